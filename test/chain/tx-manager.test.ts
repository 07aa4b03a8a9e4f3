// The transaction manager on the embedded chain: local nonces under concurrency, reverts as
// outcomes, confirmation depth, fee-bumped replacement under congestion, resumption after a
// crash without a second transaction, and rebroadcast of what the node forgot.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  createPublicClient,
  createWalletClient,
  encodeDeployData,
  encodeFunctionData,
  keccak256,
  parseEventLogs,
  parseGwei,
} from "viem";
import type { Address, Hex, PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { collectionArtifact } from "../../src/chain/evm/artifacts.js";
import { createEmbeddedChain } from "../../src/chain/evm/embedded/embedded-chain.js";
import type { EmbeddedChain, EmbeddedMining } from "../../src/chain/evm/embedded/embedded-chain.js";
import { decodeRevertReason, describeRevert } from "../../src/chain/evm/tx/revert-reason.js";
import {
  TxManager,
  TxNonceConsumedError,
  TxRejectedError,
  bumpFee,
  capFees,
} from "../../src/chain/evm/tx/tx-manager.js";
import type { TxManagerOptions, TxRecord } from "../../src/chain/evm/tx/tx-manager.js";

const buildScript = fileURLToPath(new URL("../../scripts/build-contracts.mjs", import.meta.url));
const recipient = privateKeyToAccount(generatePrivateKey()).address;
const chains: EmbeddedChain[] = [];
/** Closed at the end, so a failed test leaves no waiter polling. */
const managers: TxManager[] = [];

interface Harness {
  chain: EmbeddedChain;
  publicClient: PublicClient;
  key: Hex;
  address: Address;
  /** What onRecord received, in order. */
  calls: { key: string; record: TxRecord }[];
  /** The last record persisted per key (a deep copy, as a store would hold it). */
  store: Map<string, TxRecord>;
  logs: string[];
  manager: TxManager;
  /** Another manager on the same key, as after a restart. */
  restart(options?: Partial<TxManagerOptions>): TxManager;
}

const copy = (r: TxRecord): TxRecord => ({ ...r, raw: [...r.raw], hashes: [...r.hashes] });

async function startChain(mining: EmbeddedMining, keys: Hex[]): Promise<EmbeddedChain> {
  const chain = await createEmbeddedChain({ fundedKeys: keys, mining });
  chains.push(chain);
  return chain;
}

function harness(chain: EmbeddedChain, key: Hex, options: Partial<TxManagerOptions> = {}): Harness {
  const account = privateKeyToAccount(key);
  const clientOptions = { chain: chain.chain, transport: chain.transport };
  const publicClient = createPublicClient({ ...clientOptions, pollingInterval: 10 });
  const walletClient = createWalletClient({ ...clientOptions, account });
  const calls: Harness["calls"] = [];
  const store = new Map<string, TxRecord>();
  const logs: string[] = [];
  const make = (overrides: Partial<TxManagerOptions>) => {
    const manager = new TxManager({
      publicClient,
      walletClient,
      chain: chain.chain,
      confirmations: 1,
      replaceAfterMs: 60_000,
      pollIntervalMs: 10,
      onRecord: (k, record) => {
        calls.push({ key: k, record: copy(record) });
        store.set(k, copy(record));
      },
      log: { info: (_o, m) => logs.push(`info ${m}`), warn: (_o, m) => logs.push(`warn ${m}`) },
      ...overrides,
    });
    managers.push(manager);
    return manager;
  };
  return {
    chain,
    publicClient,
    key,
    address: account.address,
    calls,
    store,
    logs,
    manager: make(options),
    restart: (overrides = {}) => make({ ...options, ...overrides }),
  };
}

function mintData(uri: string): Hex {
  return encodeFunctionData({
    abi: collectionArtifact.abi,
    functionName: "mintTo",
    args: [recipient, uri],
  });
}

async function deploy(h: Harness, supplyLimit: bigint): Promise<Address> {
  const data = encodeDeployData({
    abi: collectionArtifact.abi,
    bytecode: collectionArtifact.bytecode,
    args: ["Herald Test", "HRLD", h.address, supplyLimit, []],
  });
  const record = await h.manager.send(`deploy-${supplyLimit}`, { data });
  const outcome = await h.manager.waitForOutcome(`deploy-${supplyLimit}`, record);
  assert.equal(outcome.status, "success");
  assert.ok(outcome.receipt.contractAddress);
  return outcome.receipt.contractAddress;
}

function tokenIdOf(logs: Parameters<typeof parseEventLogs>[0]["logs"]): bigint {
  const [transfer] = parseEventLogs({ abi: collectionArtifact.abi, logs, eventName: "Transfer" });
  return (transfer.args as { tokenId: bigint }).tokenId;
}

/** Polls `check` until it holds (or fails after `ms`). */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const known = (h: Harness, hash: Hex) =>
  h.publicClient.getTransaction({ hash }).then(
    () => true,
    () => false,
  );

const nonceOf = (h: Harness, blockTag: "latest" | "pending" = "latest") =>
  h.publicClient.getTransactionCount({ address: h.address, blockTag });

before(() => {
  execFileSync(process.execPath, [buildScript, "--quiet"], { stdio: "inherit" });
});

after(async () => {
  for (const manager of managers) manager.close();
  await Promise.all(chains.map((chain) => chain.close()));
});

test("bumpFee: +15 % over the larger of the previous fee and the estimate, rounded up", () => {
  assert.equal(bumpFee(100n, 50n), 115n);
  assert.equal(bumpFee(100n, 200n), 230n);
  assert.equal(bumpFee(7n, 0n), 9n); // 8.05 → 9: never below +10 %
  assert.equal(bumpFee(parseGwei("2"), parseGwei("1")), parseGwei("2.3"));
});

test("capFees: both fees at most the ceiling; none: as they are", () => {
  const fees = (max: bigint, tip: bigint) => ({ maxFeePerGas: max, maxPriorityFeePerGas: tip });
  const cases: Array<[ReturnType<typeof fees>, bigint | undefined, ReturnType<typeof fees>]> = [
    [fees(100n, 10n), undefined, fees(100n, 10n)],
    [fees(100n, 10n), 200n, fees(100n, 10n)],
    [fees(100n, 10n), 100n, fees(100n, 10n)],
    [fees(100n, 10n), 50n, fees(50n, 10n)],
    [fees(100n, 80n), 50n, fees(50n, 50n)],
    [fees(100n, 10n), 1n, fees(1n, 1n)],
  ];
  for (const [input, ceiling, expected] of cases) {
    assert.deepEqual(capFees(input, ceiling), expected, `${ceiling}`);
  }
});

describe("on an automining chain", () => {
  const keys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
  let h: Harness;
  let collection: Address;

  before(async () => {
    h = harness(await startChain("auto", keys), keys[0]);
  });

  test("deploys a collection through send + waitForOutcome", async () => {
    collection = await deploy(h, 0n);
    assert.equal(h.calls.length, 1);
    assert.equal(h.calls[0].record.nonce, 0);
  });

  test("100 concurrent mints all succeed with distinct token ids and consecutive nonces", async () => {
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const record = await h.manager.send(`mint-${i}`, {
          to: collection,
          data: mintData(`c${i}`),
        });
        return { record, outcome: await h.manager.waitForOutcome(`mint-${i}`, record) };
      }),
    );
    const elapsed = performance.now() - started;
    console.log(
      `100 concurrent mints (send + waitForOutcome): ${Math.round(elapsed)} ms, ` +
        `${Math.round(100_000 / elapsed)} mints/s`,
    );
    assert.ok(results.every((r) => r.outcome.status === "success"));
    const ids = results.map((r) => tokenIdOf(r.outcome.receipt.logs));
    assert.equal(new Set(ids).size, 100);
    const nonces = results.map((r) => r.record.nonce).sort((a, b) => a - b);
    assert.deepEqual(
      nonces,
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    assert.equal(await nonceOf(h), 101);
  });

  test("a mint past the supply limit: send throws before broadcast without using a nonce; with gas it is mined as reverted", async () => {
    const limited = await deploy(h, 1n);
    const first = await h.manager.send("lim-1", { to: limited, data: mintData("one") });
    assert.equal((await h.manager.waitForOutcome("lim-1", first)).status, "success");
    const nextNonce = first.nonce + 1;
    const calls = h.calls.length;

    // Estimating the gas reverts: the viem error comes back as is, nothing is signed.
    const error = await h.manager.send("lim-2", { to: limited, data: mintData("two") }).then(
      () => assert.fail("the estimate must revert"),
      (e: unknown) => e,
    );
    assert.equal(describeRevert(error)?.reason, "supply limit reached");
    assert.equal(h.calls.length, calls);
    // With the ABI, custom errors decode too.
    const stranger = harness(h.chain, keys[1]);
    const denied = await stranger.manager
      .send("stranger", { to: limited, data: mintData("x"), abi: collectionArtifact.abi })
      .catch((e: unknown) => e);
    assert.equal(describeRevert(denied)?.reason, `OwnableUnauthorizedAccount(${stranger.address})`);

    // With explicit gas it is mined, reverted, and takes the nonce the failed send did not.
    const record = await h.manager.send("lim-2", {
      to: limited,
      data: mintData("two"),
      gas: 300_000n,
    });
    assert.equal(record.nonce, nextNonce);
    const outcome = await h.manager.waitForOutcome("lim-2", record);
    assert.equal(outcome.status, "reverted");
    assert.equal(outcome.receipt.status, "reverted");
    const decoded = await decodeRevertReason(h.publicClient, outcome.hash);
    assert.equal(decoded.reason, "supply limit reached");
    assert.equal(decoded.functionName, "mintTo");
  });

  test("confirmations = 3: resolves only once the block is 3 deep", async () => {
    const deep = harness(h.chain, keys[1], { confirmations: 3 });
    const record = await deep.manager.send("deep", { to: recipient, data: "0x", value: 1n });
    let settled = false;
    const waiting = deep.manager.waitForOutcome("deep", record).finally(() => (settled = true));
    await sleep(80);
    assert.equal(settled, false, "mined but only 1 deep");
    await h.chain.mine();
    await sleep(80);
    assert.equal(settled, false, "2 deep");
    await h.chain.mine();
    const outcome = await waiting;
    assert.equal(outcome.status, "success");
    assert.equal(outcome.hash, record.hashes[0]);
    assert.equal(await h.publicClient.getBlockNumber(), outcome.blockNumber + 2n);
    assert.equal(await deep.manager.confirmationsOf(outcome), 3);
  });

  test("after a reorg: confirmationsOf says 0; waiting again rebroadcasts and confirms anew", async () => {
    const snapshot = await h.chain.snapshot();
    const record = await h.manager.send("reorg", { to: recipient, data: "0x", value: 1n });
    const first = await h.manager.waitForOutcome("reorg", record);
    await h.chain.mine(); // a second block on the branch about to vanish
    assert.equal(await h.manager.confirmationsOf(first), 2);
    assert.equal(await h.chain.revert(snapshot), true);
    assert.equal(await h.manager.confirmationsOf(first), 0);

    const again = await h.manager.waitForOutcome("reorg", record);
    assert.equal(again.status, "success");
    assert.equal(again.hash, first.hash);
    assert.equal(again.blockNumber, first.blockNumber);
    assert.equal(await h.manager.confirmationsOf(again), 1);
    assert.equal(record.hashes.length, 1, "the same raw, not a new transaction");
  });

  test("a transaction the node refuses: TxRejectedError, and the nonce stays free", async () => {
    const poor = harness(h.chain, keys[2]);
    const start = await nonceOf(poor);
    const error = await poor.manager
      .send("too-much", { to: recipient, data: "0x", value: 10n ** 30n, gas: 21_000n })
      .catch((e: unknown) => e);
    assert.ok(error instanceof TxRejectedError, String(error));
    assert.equal(error.reason, "rejected");
    assert.equal(error.record.nonce, start);
    const next = await poor.manager.send("fine", { to: recipient, data: "0x", value: 1n });
    assert.equal(next.nonce, start, "the refused send did not consume its nonce");
    assert.equal((await poor.manager.waitForOutcome("fine", next)).status, "success");
  });

  test("a fee ceiling: a send offers no more than it; below the base fee it waits, unsent", async () => {
    const block = await h.publicClient.getBlock();
    const base = block.baseFeePerGas!;
    const capped = harness(h.chain, keys[1], { maxFeePerGasCeiling: base + 1n });
    const sent = await capped.manager.send("capped", { to: recipient, data: "0x", value: 1n });
    assert.equal(sent.maxFeePerGas, base + 1n, "capped at the ceiling, not the estimate");
    assert.ok(sent.maxPriorityFeePerGas <= base + 1n);
    assert.equal((await capped.manager.waitForOutcome("capped", sent)).status, "success");
    // A ceiling under the base fee: the node will not take it; nothing is paid, the nonce stays.
    const low = harness(h.chain, keys[1], { maxFeePerGasCeiling: base / 2n });
    const start = await nonceOf(low);
    const refused = await low.manager
      .send("too-cheap", { to: recipient, data: "0x", value: 1n })
      .catch((e: unknown) => e);
    assert.ok(refused instanceof TxRejectedError, String(refused));
    assert.equal(refused.record.maxFeePerGas, base / 2n);
    assert.equal(await nonceOf(low), start, "nothing was sent");
  });

  test("another sender used the key: nonce too low → re-synced from the node, sent once", async () => {
    const one = harness(h.chain, keys[2]);
    const first = await one.manager.send("one-1", { to: recipient, data: "0x", value: 1n });
    const other = harness(h.chain, keys[2]); // a second process on the same key
    const foreign = await other.manager.send("other", { to: recipient, data: "0x", value: 1n });
    assert.equal(foreign.nonce, first.nonce + 1);
    const second = await one.manager.send("one-2", { to: recipient, data: "0x", value: 2n });
    assert.equal(second.nonce, first.nonce + 2);
    assert.deepEqual(
      one.calls.filter((c) => c.key === "one-2").map((c) => c.record.nonce),
      [first.nonce + 1, first.nonce + 2],
      "the refused record, then the one sent",
    );
    assert.equal((await one.manager.waitForOutcome("one-2", second)).status, "success");
    assert.equal(await nonceOf(one), first.nonce + 3);
  });

  test("waitForOutcome stops on its signal and on close()", async () => {
    const record = await h.manager.send("abort", { to: recipient, data: "0x", value: 1n });
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));
    await assert.rejects(h.manager.waitForOutcome("abort", record, controller.signal), {
      message: "caller gave up",
    });
    const closed = harness(h.chain, keys[1], { confirmations: 50 });
    const waiting = closed.manager.waitForOutcome("abort", record);
    closed.manager.close();
    await assert.rejects(waiting, { message: "TxManager closed" });
    await assert.rejects(closed.manager.send("x", { to: recipient, data: "0x" }), {
      message: "TxManager closed",
    });
  });
});

describe("on a manual-mining chain", () => {
  test("congestion: not mined in time → replaced with higher fees; the replacement is mined", async () => {
    const key = generatePrivateKey();
    const h = harness(await startChain("manual", [key]), key, { replaceAfterMs: 300 });
    const record = await h.manager.send("jam", { to: recipient, data: "0x", value: 1n });
    const original = { ...record };
    // Fees spike: the next block's base fee is far above what the transaction pays.
    await h.chain.provider.request({
      method: "hardhat_setNextBlockBaseFeePerGas",
      params: [`0x${parseGwei("50").toString(16)}`],
    });
    await h.chain.mine();
    assert.equal((await h.publicClient.getBlock()).transactions.length, 0, "left out");

    const started = performance.now();
    const waiting = h.manager.waitForOutcome("jam", record);
    await until(() => record.hashes.length === 2, "the replacement");
    console.log(
      `replaced after ${Math.round(performance.now() - started)} ms (replaceAfterMs 300)`,
    );
    await until(() => known(h, record.hashes[1]), "the replacement's broadcast");
    await h.chain.mine(); // the replacement pays the base fee
    assert.equal(h.calls.length, 2);
    assert.deepEqual(h.store.get("jam")?.hashes, record.hashes, "persisted before broadcast");
    assert.equal(record.nonce, original.nonce);
    assert.ok(record.maxFeePerGas >= (original.maxFeePerGas * 115n) / 100n);
    assert.ok(record.maxPriorityFeePerGas >= (original.maxPriorityFeePerGas * 115n) / 100n);
    assert.ok(record.maxFeePerGas > parseGwei("50"), `${record.maxFeePerGas} beats the base fee`);
    assert.ok(record.sentAt >= original.sentAt);

    const outcome = await waiting;
    assert.equal(outcome.status, "success");
    assert.equal(outcome.hash, record.hashes[1]);
    assert.equal(await nonceOf(h), 1);
    assert.equal(await known(h, record.hashes[0]), false);
    assert.ok(h.logs.includes("info tx not mined in time: replaced"));
  });

  test("resume after a crash: nothing sent twice, nothing forgotten", async () => {
    const key = generatePrivateKey();
    const h = harness(await startChain("manual", [key]), key);
    const start = await nonceOf(h);

    // Before the crash: job a is sent; job b is persisted but the process dies before its
    // broadcast (onRecord succeeds, then the crash).
    const a = await h.manager.send("a", { to: recipient, data: "0x", value: 1n });
    const crashing = h.restart({
      onRecord: (k, record) => {
        h.calls.push({ key: k, record: copy(record) });
        h.store.set(k, copy(record));
        throw new Error("crash before broadcast");
      },
    });
    await assert.rejects(crashing.send("b", { to: recipient, data: "0x", value: 2n }), {
      message: "crash before broadcast",
    });
    h.manager.close();
    crashing.close();
    const stored = [...h.store].map(([k, record]) => ({ key: k, record }));
    assert.deepEqual(
      stored.map((s) => [s.key, s.record.nonce]),
      [
        ["a", start],
        ["b", start + 1],
      ],
    );
    const b = h.store.get("b")!;
    assert.equal(await known(h, b.hashes[0]), false);
    assert.deepEqual(a.hashes, h.store.get("a")?.hashes);

    // After the restart: a new manager resumes from the stored records only.
    const callsBefore = h.calls.length;
    const resumed = h.restart();
    await resumed.resume(stored);
    assert.ok(await known(h, b.hashes[0]), "b rebroadcast");
    await h.chain.mine();
    const outcomes = await Promise.all(stored.map((s) => resumed.waitForOutcome(s.key, s.record)));
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.hash]),
      [
        ["success", a.hashes[0]],
        ["success", b.hashes[0]],
      ],
    );
    assert.equal(await nonceOf(h), start + 2, "exactly one transaction per nonce");
    assert.equal((await h.publicClient.getBlock()).transactions.length, 2);
    assert.equal(h.calls.length, callsBefore, "nothing new was signed");
    assert.ok(h.logs.includes("info tx unknown to the node: rebroadcast"));

    // New work continues after the stored nonces.
    const c = await resumed.send("c", { to: recipient, data: "0x", value: 3n });
    assert.equal(c.nonce, start + 2);
    await h.chain.mine();
    assert.equal((await resumed.waitForOutcome("c", c)).status, "success");
  });

  test("resume after a crash while a transaction is stuck: the local nonce skips it", async () => {
    const key = generatePrivateKey();
    const h = harness(await startChain("manual", [key]), key);
    const stuck = await h.manager.send("stuck", { to: recipient, data: "0x", value: 1n });
    await h.chain.provider.request({
      method: "hardhat_setNextBlockBaseFeePerGas",
      params: [`0x${parseGwei("50").toString(16)}`],
    });
    await h.chain.mine();
    h.manager.close();
    // The node's pending count leaves the stuck transaction out; the stored record does not.
    assert.equal(await nonceOf(h, "pending"), 0);
    const resumed = h.restart();
    await resumed.resume([{ key: "stuck", record: h.store.get("stuck")! }]);
    const next = await resumed.send("next", { to: recipient, data: "0x", value: 2n });
    assert.equal(next.nonce, stuck.nonce + 1);
    resumed.close();
  });

  test("resume: a record the node refuses was never sent; its nonce goes to the next send", async () => {
    const key = generatePrivateKey();
    const h = harness(await startChain("manual", [key]), key);
    const a = await h.manager.send("a", { to: recipient, data: "0x", value: 1n });
    // b is persisted, then the process dies before it hears the node refuse it (more value
    // than the account holds; explicit gas skips the estimate that would refuse it first).
    const crashing = h.restart({
      onRecord: (k, record) => {
        h.store.set(k, copy(record));
        throw new Error("crash before broadcast");
      },
    });
    const tooMuch = { to: recipient, data: "0x" as Hex, value: 10n ** 30n, gas: 21_000n };
    await assert.rejects(crashing.send("b", tooMuch), { message: "crash before broadcast" });
    // c holds the nonce after b's: signed and accepted into the node's queue.
    const fees = { maxFeePerGas: a.maxFeePerGas, maxPriorityFeePerGas: a.maxPriorityFeePerGas };
    const cRaw = await privateKeyToAccount(key).signTransaction({
      type: "eip1559",
      chainId: h.chain.chain.id,
      nonce: a.nonce + 2,
      to: recipient,
      value: 3n,
      gas: 21_000n,
      ...fees,
    });
    await h.publicClient.sendRawTransaction({ serializedTransaction: cRaw });
    const c: TxRecord = {
      nonce: a.nonce + 2,
      raw: [cRaw],
      hashes: [keccak256(cRaw)],
      ...fees,
      sentAt: Date.now(),
    };
    h.manager.close();
    crashing.close();

    const resumed = h.restart();
    const { refused } = await resumed.resume([
      { key: "a", record: h.store.get("a")! },
      { key: "b", record: h.store.get("b")! },
      { key: "c", record: c },
    ]);
    assert.deepEqual(refused, ["b"]);
    // b's job is sent again: it takes the free nonce, and the one after skips c's.
    const b2 = await resumed.send("b", { to: recipient, data: "0x", value: 2n });
    assert.equal(b2.nonce, a.nonce + 1);
    const d = await resumed.send("d", { to: recipient, data: "0x", value: 4n });
    assert.equal(d.nonce, a.nonce + 3);
    await h.chain.mine();
    const outcomes = await Promise.all(
      [a, b2, c, d].map((record, i) => resumed.waitForOutcome(`k${i}`, record)),
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["success", "success", "success", "success"],
    );
    assert.equal(await nonceOf(h), a.nonce + 4, "no gap, no nonce used twice");
  });

  test("a nonce mined by a transaction that is not the record's: TxNonceConsumedError", async () => {
    const key = generatePrivateKey();
    const h = harness(await startChain("manual", [key]), key);
    const record = await h.manager.send("mine", { to: recipient, data: "0x", value: 1n });
    // Someone else signs the same nonce with higher fees: the node keeps theirs.
    const theirs = await privateKeyToAccount(key).signTransaction({
      type: "eip1559",
      chainId: h.chain.chain.id,
      nonce: record.nonce,
      to: recipient,
      value: 5n,
      gas: 21_000n,
      maxFeePerGas: record.maxFeePerGas * 2n,
      maxPriorityFeePerGas: record.maxPriorityFeePerGas * 2n,
    });
    await h.publicClient.sendRawTransaction({ serializedTransaction: theirs });
    await h.chain.mine();
    await assert.rejects(h.manager.waitForOutcome("mine", record), TxNonceConsumedError);
  });

  test("rebroadcast: the node forgot the transaction (evm_revert) → the stored raw is sent again", async () => {
    const key = generatePrivateKey();
    const h = harness(await startChain("manual", [key]), key);
    const snapshot = await h.chain.snapshot();
    const record = await h.manager.send("lost", { to: recipient, data: "0x", value: 1n });
    assert.ok(await known(h, record.hashes[0]));
    assert.equal(await h.chain.revert(snapshot), true);
    assert.equal(await known(h, record.hashes[0]), false);

    const waiting = h.manager.waitForOutcome("lost", record);
    await until(() => known(h, record.hashes[0]), "the rebroadcast");
    await h.chain.mine();
    const outcome = await waiting;
    assert.equal(outcome.status, "success");
    assert.equal(outcome.hash, record.hashes[0]);
    assert.equal(record.hashes.length, 1);
    assert.equal(h.calls.length, 1, "the stored raw, not a new signature");
    assert.equal(await nonceOf(h), 1);
    assert.ok(h.logs.includes("info tx unknown to the node: rebroadcast"));
  });
});

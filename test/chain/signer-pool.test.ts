// Signer pools against a `hardhat node` with 2-second blocks (interval mining), behind a JSON-RPC
// proxy that refuses a sender's 17th pending transaction as public providers do
// (test/helpers/rpc-proxy.ts). One signer, then eight: every mint succeeds, no send is refused,
// each signer's nonces run without a gap, the eight share the drop, and an NFT's edit is sent
// by the signer that minted it, after the mint. A pool with an unfunded signer: the others carry
// the load, and `signer.balance_low` is published once for it. Two RPC URLs, the preferred one
// killed mid-drop and the other 5 blocks behind: no action fails, none completes twice.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { toHex, type Hex } from "viem";
import { startHardhatNode, type HardhatNode } from "../helpers/hardhat-node.js";
import {
  apiClient,
  eventually,
  startTestHerald,
  TEST_ADMIN_TOKEN,
  type TestHerald,
} from "../helpers/herald.js";
import { assertMinted, createCollection, mintAll, waitSucceeded } from "../helpers/minting.js";
import { Receiver } from "../helpers/receiver.js";
import { RpcProxy } from "../helpers/rpc-proxy.js";

const BLOCK_MS = 2_000;
const HANG_MS = 180_000;
const RECIPIENT = "drop:0x1111111111111111111111111111111111111111";

/** Hardhat's funded accounts (its public test mnemonic); #0 is used elsewhere. */
const hardhatKey = (i: number): Hex =>
  toHex(
    mnemonicToAccount("test test test test test test test test test test test junk", {
      addressIndex: i,
    }).getHdKey().privateKey!,
  );

let node: HardhatNode;
let proxy: RpcProxy;

before(async () => {
  node = await startHardhatNode({ blockIntervalMs: BLOCK_MS });
  proxy = await RpcProxy.start(node.rpcUrl, 16);
});
after(async () => {
  await proxy?.close();
  node?.stop();
});

/** A Herald on the proxied node; a transaction per mint (`mintBatch: 1`), so that the mints
 * spread over the pool (batches are tested in mint-batch.test.ts and restart.test.ts). */
async function startPoolHerald(entry: Record<string, unknown>): Promise<TestHerald> {
  return await startTestHerald({
    HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
    HERALD_CHAINS: JSON.stringify([
      { name: "drop", rpcUrl: proxy.url, chainId: 31337, finality: 2, mintBatch: 1, ...entry },
    ]),
  });
}

interface MinedTx {
  from: string;
  nonce: number;
  block: number;
  index: number;
}

async function minedTx(hash: string): Promise<MinedTx> {
  const tx = await node.rpc<{ from: string; nonce: Hex; blockNumber: Hex; transactionIndex: Hex }>(
    "eth_getTransactionByHash",
    [hash],
  );
  return {
    from: tx.from.toLowerCase(),
    nonce: Number(tx.nonce),
    block: Number(tx.blockNumber),
    index: Number(tx.transactionIndex),
  };
}

/** Every transaction a sender has mined, from the node's blocks: their nonces, in order. */
async function noncesMinedBy(senders: Set<string>): Promise<Map<string, number[]>> {
  const head = Number(await node.rpc<Hex>("eth_blockNumber"));
  const nonces = new Map<string, number[]>();
  for (let n = 1; n <= head; n += 1) {
    const block = await node.rpc<{ transactions: Array<{ from: string; nonce: Hex }> }>(
      "eth_getBlockByNumber",
      [toHex(n), true],
    );
    for (const tx of block.transactions) {
      const from = tx.from.toLowerCase();
      if (senders.has(from)) nonces.set(from, [...(nonces.get(from) ?? []), Number(tx.nonce)]);
    }
  }
  return nonces;
}

/** A drop of `count` mints (and an edit right after four of them) with `keys` as the pool. */
async function drop(keys: Hex[], count: number) {
  const signers = new Set(keys.map((k) => privateKeyToAccount(k).address.toLowerCase()));
  const h = await startPoolHerald({ privateKeys: keys });
  try {
    const collection = await createCollection(h.api, "drop", `Pool of ${keys.length}`);
    await waitSucceeded(h.api, [collection.actionId], HANG_MS);
    const started = Date.now();
    const names = Array.from({ length: count }, (_, i) => `Drop #${i + 1}`);
    const mints = await mintAll(h.api, collection.id, RECIPIENT, names);
    await waitSucceeded(
      h.api,
      mints.map((m) => m.actionId),
      HANG_MS,
    );
    const seconds = (Date.now() - started) / 1000;
    await assertMinted(h.api, mints);
    const byMint = new Map<string, MinedTx>();
    for (const mint of mints) {
      const nft = await h.api("GET", `/collections/${collection.id}/nfts/${mint.id}`);
      byMint.set(mint.id, await minedTx(nft.body.onChain.txId));
    }
    // An edit, then a burn of the same NFT at once: one order key, so one signer, in order.
    const pairs = [];
    for (const mint of mints.slice(0, 4)) {
      const path = `/collections/${collection.id}/nfts/${mint.id}`;
      const edit = await h.api("PATCH", path, { metadata: { name: `${mint.id} edited` } });
      assert.equal(edit.status, 200, JSON.stringify(edit.body));
      const burn = await h.api("DELETE", path);
      assert.equal(burn.status, 200, JSON.stringify(burn.body));
      pairs.push([edit.body.actionId as string, burn.body.actionId as string] as const);
    }
    await waitSucceeded(h.api, pairs.flat(), HANG_MS);
    for (const [editAction, burnAction] of pairs) {
      const txOf = async (actionId: string) =>
        minedTx((await h.api("GET", `/actions/${actionId}`)).body.data.txId);
      const [edited, burned] = [await txOf(editAction), await txOf(burnAction)];
      assert.equal(burned.from, edited.from, "an NFT's jobs go from one signer");
      assert.ok(
        burned.block > edited.block ||
          (burned.block === edited.block && burned.index > edited.index),
        "the burn is mined after the edit",
      );
    }
    const used = new Set([...byMint.values()].map((t) => t.from));
    for (const from of used) assert.ok(signers.has(from), "only the pool's signers send");
    // No gap: each signer's mined nonces are 0, 1, 2, … and nothing is left pending.
    const nonces = await noncesMinedBy(signers);
    for (const [from, mined] of nonces) {
      assert.deepEqual(
        mined,
        mined.map((_, i) => i),
        `${from}: nonces without a gap`,
      );
      const pending = Number(await node.rpc<Hex>("eth_getTransactionCount", [from, "pending"]));
      assert.equal(pending, mined.length, `${from}: nothing left pending`);
    }
    for (const from of signers)
      assert.equal(proxy.refused.get(from) ?? 0, 0, `${from}: never over 16 pending`);
    // GET /chains: the pool as the API shows it, once the balances were read after the drop.
    const head = Number(await node.rpc<Hex>("eth_blockNumber"));
    const shown = await eventually(
      async () => {
        const chains = await h.api("GET", "/chains");
        assert.equal(chains.status, 200, JSON.stringify(chains.body));
        const drop = chains.body.data.find((c: { name: string }) => c.name === "drop");
        const ok = drop.signers.every(
          (s: { nonce: number; address: string }) =>
            s.nonce === (nonces.get(s.address.toLowerCase())?.length ?? 0),
        );
        return ok ? drop : null;
      },
      { timeoutMs: HANG_MS, message: "GET /chains shows every signer's nonce" },
    );
    assert.equal(shown.running, true);
    assert.equal(shown.chainId, 31337);
    assert.ok(shown.head >= head, "the node's head");
    assert.deepEqual(
      shown.signers.map((s: { address: string }) => s.address.toLowerCase()).sort(),
      [...signers].sort(),
    );
    for (const s of shown.signers) {
      assert.equal(s.pending, 0);
      assert.equal(s.funded, true);
      assert.match(s.balance, /^\d+(\.\d+)?$/);
    }
    // Nothing waits to be sent or mined; the last jobs may still be watched until final.
    assert.equal(shown.jobs.queued, 0);
    assert.equal(shown.jobs.sent, 0);
    return { seconds, used };
  } finally {
    await h.stop();
  }
}

test(
  "1 signer, then 8: every mint succeeds, never over 16 pending, no nonce gap, the 8 share the drop",
  { timeout: 600_000 },
  async () => {
    const one = await drop([hardhatKey(1)], 48);
    assert.equal(one.used.size, 1);
    const eight = await drop(
      Array.from({ length: 8 }, (_, i) => hardhatKey(2 + i)),
      48,
    );
    assert.equal(eight.used.size, 8, "every signer of the pool minted some of the drop");
    console.log(
      `# 48 mints, ${BLOCK_MS / 1000}-second blocks: 1 signer ${one.seconds.toFixed(1)} s, 8 signers ${eight.seconds.toFixed(1)} s`,
    );
  },
);

test(
  "an unfunded signer in the pool: the others carry the load; signer.balance_low once; idle, at most 20 calls a minute",
  { timeout: 600_000 },
  async () => {
    const empty = generatePrivateKey();
    const emptyAddress = privateKeyToAccount(empty).address;
    const receiver = await Receiver.start();
    const h = await startPoolHerald({
      privateKeys: [empty, hardhatKey(10), hardhatKey(11)],
      signerBalanceLow: "1",
    });
    try {
      const endpoint = await h.api("POST", "/webhooks/endpoints", {
        url: `${receiver.url}/hook`,
        eventTypes: ["signer.balance_low"],
      });
      assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
      const collection = await createCollection(h.api, "drop", "With an empty signer");
      await waitSucceeded(h.api, [collection.actionId], HANG_MS);
      const mints = await mintAll(
        h.api,
        collection.id,
        RECIPIENT,
        Array.from({ length: 24 }, (_, i) => `Carried #${i + 1}`),
      );
      await waitSucceeded(
        h.api,
        mints.map((m) => m.actionId),
        HANG_MS,
      );
      await assertMinted(h.api, mints);
      assert.equal(proxy.sent.get(emptyAddress.toLowerCase()) ?? 0, 0, "nothing sent from it");
      const lows = () => receiver.requests.filter((r) => r.json?.type === "signer.balance_low");
      const low = await eventually(() => lows()[0], {
        timeoutMs: HANG_MS,
        message: "signer.balance_low",
      });
      assert.deepEqual(low.json.data, {
        chain: "drop",
        address: emptyAddress,
        balance: "0",
        threshold: "1",
      });
      // The balances were read again after every mint: still one event.
      assert.equal(lows().length, 1);

      // Idle: once the drop is final and the polls have backed off, a quiet chain costs at
      // most 20 calls a minute (measured over 30 s).
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      const before = proxy.totalCalls;
      await new Promise((resolve) => setTimeout(resolve, 30_000));
      const idle = proxy.totalCalls - before;
      console.log(`# idle: ${idle} JSON-RPC calls in 30 s`);
      assert.ok(idle <= 10, `${idle} calls in 30 s idle (at most 10)`);
    } finally {
      await h.stop();
      await receiver.close();
    }
  },
);

test(
  "two RPC URLs, the preferred killed mid-drop, the other 5 blocks behind: no failed action, no duplicate",
  { timeout: 600_000 },
  async () => {
    const preferred = await RpcProxy.start(node.rpcUrl, 16);
    const lagging = await RpcProxy.start(node.rpcUrl, 16);
    lagging.lagBlocks = 5;
    const receiver = await Receiver.start();
    const key = hardhatKey(12);
    const signer = privateKeyToAccount(key).address.toLowerCase();
    // rpcUrl left out (undefined is not written): the two nodes instead.
    const h = await startPoolHerald({
      rpcUrl: undefined,
      rpcUrls: [preferred.url, lagging.url],
      privateKey: key,
    });
    try {
      const endpoint = await h.api("POST", "/webhooks/endpoints", {
        url: `${receiver.url}/hook`,
        eventTypes: ["nfts.create.succeeded", "nfts.create.failed"],
      });
      assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
      const collection = await createCollection(h.api, "drop", "Failover");
      await waitSucceeded(h.api, [collection.actionId], HANG_MS);
      const mints = await mintAll(
        h.api,
        collection.id,
        RECIPIENT,
        Array.from({ length: 32 }, (_, i) => `Failover #${i + 1}`),
      );
      // Mid-drop: the first mints are on their way when the preferred node dies.
      await eventually(() => (preferred.sent.get(signer) ?? 0) >= 8, {
        timeoutMs: HANG_MS,
        message: "the drop under way on the preferred node",
      });
      await preferred.close();
      await waitSucceeded(
        h.api,
        mints.map((m) => m.actionId),
        HANG_MS,
      );
      await assertMinted(h.api, mints);
      assert.ok(
        (lagging.calls.get("eth_getTransactionReceipt") ?? 0) > 0,
        "the lagging node carried on",
      );
      const completions = (type: string) =>
        receiver.requests
          .filter((r) => r.json?.type === type)
          .map((r) => r.json.actionId as string);
      await eventually(() => completions("nfts.create.succeeded").length >= mints.length, {
        timeoutMs: HANG_MS,
        message: "every webhook",
      });
      await new Promise((resolve) => setTimeout(resolve, 2 * BLOCK_MS));
      const succeeded = completions("nfts.create.succeeded");
      assert.equal(new Set(succeeded).size, mints.length, "every mint completed");
      // One completion event per action (a redelivery of it, same webhook-id, is allowed): a
      // lagging node once made confirmed mints look reorged, so they completed twice.
      const events = new Set(
        receiver.requests
          .filter((r) => r.json?.type === "nfts.create.succeeded")
          .map((r) => r.headers["webhook-id"]),
      );
      assert.equal(events.size, mints.length, "none completed twice");
      assert.deepEqual(completions("nfts.create.failed"), []);
      const [nonces] = [...(await noncesMinedBy(new Set([signer]))).values()];
      assert.deepEqual(
        nonces,
        nonces!.map((_, i) => i),
        "nonces without a gap or a repeat",
      );
    } finally {
      await h.stop();
      await receiver.close();
      await lagging.close();
    }
  },
);

test(
  "an operator cancels a stuck nonce: a self-transfer takes it, the job fails, the next mint goes on",
  { timeout: 600_000 },
  async () => {
    const key = hardhatKey(14);
    const signer = privateKeyToAccount(key).address;
    const h = await startPoolHerald({ privateKey: key });
    const admin = (path: string, body: unknown) =>
      apiClient(h.url, null)("POST", path, body, { authorization: `Bearer ${TEST_ADMIN_TOKEN}` });
    try {
      const collection = await createCollection(h.api, "drop", "Stuck");
      await waitSucceeded(h.api, [collection.actionId], HANG_MS);
      // The node stops mining: the next mint stays pending.
      await node.rpc("evm_setIntervalMining", [0]);
      const mined = Number(await node.rpc<Hex>("eth_getTransactionCount", [signer, "latest"]));
      const [stuck] = await mintAll(h.api, collection.id, RECIPIENT, ["Stuck #1"]);
      await eventually(
        async () =>
          Number(await node.rpc<Hex>("eth_getTransactionCount", [signer, "pending"])) > mined,
        { timeoutMs: HANG_MS, message: "the mint pending on the node" },
      );
      // Refused: not a signer of the chain; a nonce with nothing pending; a chain not configured.
      const path = `/admin/chains/drop/signers/${signer}/cancel`;
      assert.equal(
        (await admin(`/admin/chains/drop/signers/0x${"12".repeat(20)}/cancel`, { nonce: mined }))
          .status,
        404,
      );
      assert.equal((await admin(path, { nonce: mined + 5 })).status, 409);
      assert.equal(
        (await admin("/admin/chains/nowhere/signers/x/cancel", { nonce: 0 })).status,
        404,
      );
      assert.equal((await admin(path, { nonce: -1 })).status, 400);
      const cancelled = await admin(path, { nonce: mined });
      assert.equal(cancelled.status, 202, JSON.stringify(cancelled.body));
      assert.equal(cancelled.body.nonce, mined);
      await node.rpc("evm_mine");
      const tx = await node.rpc<{
        from: string;
        to: string;
        value: Hex;
        nonce: Hex;
        blockNumber: Hex | null;
      }>("eth_getTransactionByHash", [cancelled.body.txHash]);
      assert.equal(tx.to.toLowerCase(), signer.toLowerCase(), "a transfer to itself");
      assert.equal(BigInt(tx.value), 0n);
      assert.equal(Number(tx.nonce), mined);
      assert.ok(tx.blockNumber !== null, "mined in place of the stuck mint");
      await node.rpc("evm_setIntervalMining", [BLOCK_MS]);
      const failed = await eventually(
        async () => {
          const action = (await h.api("GET", `/actions/${stuck!.actionId}`)).body;
          return action.status === "pending" ? null : action;
        },
        { timeoutMs: HANG_MS, message: "the stuck mint's action ends" },
      );
      assert.equal(failed.status, "failed", JSON.stringify(failed));
      assert.match(JSON.stringify(failed.data), /nonce was used by another transaction/);
      // The signer goes on from the next nonce.
      const [next] = await mintAll(h.api, collection.id, RECIPIENT, ["After the cancel"]);
      await waitSucceeded(h.api, [next!.actionId], HANG_MS);
    } finally {
      await node.rpc("evm_setIntervalMining", [BLOCK_MS]).catch(() => undefined);
      await h.stop();
    }
  },
);

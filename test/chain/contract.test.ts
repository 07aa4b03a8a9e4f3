// HeraldCollection on the embedded chain, driven by viem: deploy, mint, edit, burn, the supply
// limit's revert (simulated and mined), 100 concurrent mints, and snapshot/revert.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  BaseError,
  ContractFunctionRevertedError,
  nonceManager,
  parseEventLogs,
  zeroAddress,
} from "viem";
import type { Address, Hash, PublicClient, TransactionReceipt, WalletClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { collectionArtifact } from "../../src/chain/evm/artifacts.js";
import { embeddedClients } from "../helpers/embedded-clients.js";
import { createEmbeddedChain } from "../../src/chain/evm/embedded/embedded-chain.js";
import type { EmbeddedChain } from "../../src/chain/evm/embedded/embedded-chain.js";
import { decodeRevertReason, describeRevert } from "../../src/chain/evm/tx/revert-reason.js";

const buildScript = fileURLToPath(new URL("../../scripts/build-contracts.mjs", import.meta.url));

const minterKey = generatePrivateKey();
const strangerKey = generatePrivateKey();
// The nonce manager hands out nonces locally, so concurrent sends do not reuse one.
const minter = privateKeyToAccount(minterKey, { nonceManager });
const stranger = privateKeyToAccount(strangerKey);
const recipient = privateKeyToAccount(generatePrivateKey()).address;

let chain: EmbeddedChain;
let publicClient: PublicClient;
let wallet: WalletClient;

const ms = (since: number) => Math.round((performance.now() - since) * 10) / 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function deploy(supplyLimit: bigint): Promise<Address> {
  const hash = await wallet.deployContract({
    abi: collectionArtifact.abi,
    bytecode: collectionArtifact.bytecode,
    args: ["Herald Test", "HRLD", minter.address, supplyLimit, []],
    account: minter,
    chain: chain.chain,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  assert.ok(receipt.contractAddress);
  return receipt.contractAddress;
}

function send(address: Address, functionName: string, args: unknown[], gas?: bigint) {
  return wallet.writeContract({
    address,
    abi: collectionArtifact.abi,
    functionName,
    args,
    account: minter,
    chain: chain.chain,
    ...(gas ? { gas } : {}),
  });
}

async function write(address: Address, functionName: string, args: unknown[], gas?: bigint) {
  const hash = await send(address, functionName, args, gas);
  return { hash, receipt: await publicClient.waitForTransactionReceipt({ hash }) };
}

function read<T>(address: Address, functionName: string, args: unknown[] = []): Promise<T> {
  const abi = collectionArtifact.abi;
  return publicClient.readContract({ address, abi, functionName, args }) as Promise<T>;
}

function events<T>(receipt: TransactionReceipt, eventName: string): T[] {
  return parseEventLogs({ abi: collectionArtifact.abi, logs: receipt.logs, eventName }).map(
    (log) => log.args as T,
  );
}

type Transfer = { from: Address; to: Address; tokenId: bigint };

/** Runs tasks one at a time, in call order: with automine, transactions must arrive in nonce order. */
function createSendQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

before(async () => {
  execFileSync(process.execPath, [buildScript, "--quiet"], { stdio: "inherit" });
  const started = performance.now();
  chain = await createEmbeddedChain({ fundedKeys: [minterKey, strangerKey] });
  console.log(`embedded chain ready in ${ms(started)} ms`);
  ({ publicClient, wallet } = embeddedClients(chain));
});

after(async () => {
  await chain?.close();
});

describe("HeraldCollection on the embedded chain", () => {
  let collection: Address;

  test("deploys with an owner, a supply limit and ERC-721 + ERC-4906 interfaces", async () => {
    assert.equal(await publicClient.getChainId(), 31337);
    assert.equal(chain.chain.name, "local");
    const started = performance.now();
    collection = await deploy(2n);
    console.log(`deploy: ${ms(started)} ms`);
    assert.equal(await read<Address>(collection, "owner"), minter.address);
    assert.equal(await read<bigint>(collection, "supplyLimit"), 2n);
    assert.equal(await read<bigint>(collection, "totalMinted"), 0n);
    assert.equal(await read<string>(collection, "name"), "Herald Test");
    for (const id of ["0x80ac58cd", "0x5b5e139f", "0x49064906", "0x01ffc9a7"]) {
      assert.equal(await read<boolean>(collection, "supportsInterface", [id]), true, id);
    }
    assert.equal(await read<boolean>(collection, "supportsInterface", ["0xffffffff"]), false);
  });

  test("mints token 1 to an address with its token URI", async () => {
    const started = performance.now();
    const { receipt } = await write(collection, "mintTo", [recipient, "https://herald.test/1"]);
    const [transfer] = events<Transfer>(receipt, "Transfer");
    console.log(`mint (send → receipt → decode): ${ms(started)} ms, ${receipt.gasUsed} gas`);
    assert.equal(receipt.status, "success");
    assert.deepEqual(transfer, { from: zeroAddress, to: recipient, tokenId: 1n });
    assert.equal(await read<string>(collection, "tokenURI", [1n]), "https://herald.test/1");
    assert.equal(await read<Address>(collection, "ownerOf", [1n]), recipient);
    assert.equal(await read<bigint>(collection, "balanceOf", [recipient]), 1n);
  });

  test("setTokenURI replaces the URI and emits MetadataUpdate", async () => {
    const { receipt } = await write(collection, "setTokenURI", [1n, "https://herald.test/1b"]);
    assert.equal(receipt.status, "success");
    assert.deepEqual(events(receipt, "MetadataUpdate"), [{ _tokenId: 1n }]);
    assert.equal(await read<string>(collection, "tokenURI", [1n]), "https://herald.test/1b");
  });

  test("only the owner may mint: a custom error decodes with its arguments", async () => {
    const error = await publicClient
      .simulateContract({
        address: collection,
        abi: collectionArtifact.abi,
        functionName: "mintTo",
        args: [recipient, "x"],
        account: stranger,
      })
      .then(
        () => assert.fail("a stranger's mint must revert"),
        (e: unknown) => e,
      );
    assert.deepEqual(describeRevert(error), {
      reason: `OwnableUnauthorizedAccount(${stranger.address})`,
      errorName: "OwnableUnauthorizedAccount",
      errorArgs: [stranger.address],
      revertData: describeRevert(error)?.revertData,
    });
    assert.match(describeRevert(error)?.revertData ?? "", /^0x118cdaa7/);
  });

  test("burn emits Transfer to the zero address", async () => {
    const { receipt } = await write(collection, "burn", [1n]);
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), [
      { from: recipient, to: zeroAddress, tokenId: 1n },
    ]);
    const error = await read(collection, "ownerOf", [1n]).catch((e: unknown) => e);
    assert.equal(describeRevert(error)?.reason, "ERC721NonexistentToken(1)");
  });

  test("a mint past the supply limit reverts with a decoded reason, simulated and mined", async () => {
    const second = await write(collection, "mintTo", [recipient, "https://herald.test/2"]);
    assert.equal(events<Transfer>(second.receipt, "Transfer")[0].tokenId, 2n);

    // Before sending: the simulation throws ContractFunctionRevertedError with the reason.
    const args = [recipient, "https://herald.test/3"];
    const simulated = await publicClient
      .simulateContract({
        address: collection,
        abi: collectionArtifact.abi,
        functionName: "mintTo",
        args,
        account: minter,
      })
      .then(
        () => assert.fail("the third mint must revert"),
        (e: unknown) => e,
      );
    assert.ok(simulated instanceof BaseError);
    const reverted = simulated.walk((e) => e instanceof ContractFunctionRevertedError);
    assert.ok(reverted instanceof ContractFunctionRevertedError);
    assert.equal(reverted.reason, "supply limit reached");
    assert.equal(describeRevert(simulated)?.reason, "supply limit reached");

    // Sent anyway (explicit gas skips the estimate, which would throw): mined, reverted.
    const { hash, receipt } = await write(collection, "mintTo", args, 300_000n);
    assert.equal(receipt.status, "reverted");
    const tx = await publicClient.getTransaction({ hash });
    // The receipt has no reason; replaying the call at the block before recovers it.
    const decoded = await decodeRevertReason(publicClient, hash);
    assert.deepEqual(decoded, {
      reason: "supply limit reached",
      errorName: "Error",
      errorArgs: ["supply limit reached"],
      revertData: decoded.revertData,
      functionName: "mintTo",
      args,
      calldata: tx.input,
      recoveredBy: "call",
    });
    assert.match(decoded.revertData ?? "", /^0x08c379a0/);
    assert.equal(await read<bigint>(collection, "totalMinted"), 2n);
  });

  test("a revert that only the real block reproduces is recovered from the trace", async () => {
    // Two transactions in one block with a supply limit of 1: the first mints the only token,
    // the second then reverts. Replayed alone at the block before, the second would succeed.
    const limited = await deploy(1n);
    await chain.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      await send(limited, "mintTo", [recipient, "a"]);
      const loser = await send(limited, "mintTo", [recipient, "b"], 300_000n);
      await chain.mine();
      const receipt = await publicClient.waitForTransactionReceipt({ hash: loser });
      assert.equal(receipt.status, "reverted");
      const decoded = await decodeRevertReason(publicClient, loser);
      assert.equal(decoded.reason, "supply limit reached");
      assert.equal(decoded.functionName, "mintTo");
      assert.equal(decoded.recoveredBy, "trace");
    } finally {
      await chain.provider.request({ method: "evm_setAutomine", params: [true] });
    }
  });

  test("the supply limit can rise, never below what was minted", async () => {
    const error = await publicClient
      .simulateContract({
        address: collection,
        abi: collectionArtifact.abi,
        functionName: "setSupplyLimit",
        args: [1n],
        account: minter,
      })
      .catch((e: unknown) => e);
    assert.equal(describeRevert(error)?.reason, "supply limit below minted");
    const { receipt } = await write(collection, "setSupplyLimit", [3n]);
    assert.deepEqual(events(receipt, "SupplyLimitChanged"), [{ supplyLimit: 3n }]);
    const third = await write(collection, "mintTo", [recipient, "https://herald.test/3"]);
    assert.equal(events<Transfer>(third.receipt, "Transfer")[0].tokenId, 3n);
  });

  test("sequential mints take a few milliseconds each", async () => {
    const unlimited = await deploy(0n);
    const times: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      const { receipt } = await write(unlimited, "mintTo", [recipient, `u${i}`]);
      events<Transfer>(receipt, "Transfer");
      times.push(performance.now() - started);
    }
    console.log(`20 sequential mints: median ${median(times).toFixed(1)} ms per mint`);
  });

  test("100 concurrent mints all succeed with distinct token ids", async () => {
    const unlimited = await deploy(0n);
    const enqueue = createSendQueue();
    const started = performance.now();
    const receipts = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const hash: Hash = await enqueue(() => send(unlimited, "mintTo", [recipient, `c${i}`]));
        return publicClient.waitForTransactionReceipt({ hash });
      }),
    );
    const elapsed = performance.now() - started;
    console.log(
      `100 concurrent mints: ${Math.round(elapsed)} ms, ${Math.round(100_000 / elapsed)} mints/s`,
    );
    assert.ok(receipts.every((r) => r.status === "success"));
    const ids = receipts.map((r) => events<Transfer>(r, "Transfer")[0].tokenId);
    assert.equal(new Set(ids).size, 100);
    assert.deepEqual(
      [...ids].sort((a, b) => Number(a - b)),
      Array.from({ length: 100 }, (_, i) => BigInt(i + 1)),
    );
  });

  test("evm_revert to a snapshot removes a mined mint", async () => {
    const before = await publicClient.getBlockNumber();
    const minted = await read<bigint>(collection, "totalMinted");
    const snapshot = await chain.snapshot();
    const { hash, receipt } = await write(collection, "setSupplyLimit", [0n]).then(() =>
      write(collection, "mintTo", [recipient, "gone"]),
    );
    assert.equal(receipt.status, "success");
    assert.equal(await read<bigint>(collection, "totalMinted"), minted + 1n);

    assert.equal(await chain.revert(snapshot), true);
    // The nonce manager still counts the forgotten transactions: start it again from the chain.
    nonceManager.reset({ address: minter.address, chainId: chain.chain.id });
    assert.equal(await publicClient.getBlockNumber(), before);
    assert.equal(await read<bigint>(collection, "totalMinted"), minted);
    assert.equal(await publicClient.getTransactionReceipt({ hash }).catch(() => null), null);
    assert.equal(await publicClient.getTransaction({ hash }).catch(() => null), null);

    // The freed nonce is reused by the next transaction.
    const again = await write(collection, "setSupplyLimit", [0n]);
    assert.equal(again.receipt.status, "success");
    assert.equal(again.receipt.blockNumber, before + 1n);
  });
});

describe("burning by holders", () => {
  test("a holder burns its own token, not another's; the owner burns any", async () => {
    const collection = await deploy(0n);
    await write(collection, "mintTo", [stranger.address, "https://herald.test/s1"]);
    await write(collection, "mintTo", [recipient, "https://herald.test/r2"]);
    await write(collection, "mintTo", [recipient, "https://herald.test/r3"]);
    const asStranger = (functionName: string, args: unknown[]) =>
      wallet.writeContract({
        address: collection,
        abi: collectionArtifact.abi,
        functionName,
        args,
        account: stranger,
        chain: chain.chain,
      });

    const hash = await asStranger("burn", [1n]);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), [
      { from: stranger.address, to: zeroAddress, tokenId: 1n },
    ]);
    const refused = await asStranger("burn", [2n]).catch((e: unknown) => e);
    assert.equal(describeRevert(refused)?.errorName, "ERC721InsufficientApproval");
    assert.equal(await read<Address>(collection, "ownerOf", [2n]), recipient);

    const gone = await asStranger("burn", [9n]).catch((e: unknown) => e);
    assert.equal(describeRevert(gone)?.reason, "ERC721NonexistentToken(9)");
    const owner = await write(collection, "burn", [3n]);
    assert.equal(owner.receipt.status, "success");
    const missing = await send(collection, "burn", [3n]).catch((e: unknown) => e);
    assert.equal(describeRevert(missing)?.reason, "ERC721NonexistentToken(3)");
  });
});

describe("custody: tokens of custodial wallets, moved by the owner on their holders' behalf", () => {
  test("mintToCustody, custodyTransfer (kept or released), and what the owner cannot move", async () => {
    const custody = await deploy(0n);
    const holder = privateKeyToAccount(generatePrivateKey()).address;
    const next = privateKeyToAccount(generatePrivateKey()).address;
    const outside = privateKeyToAccount(generatePrivateKey()).address;
    const minted = await write(custody, "mintToCustody", [holder, "https://herald.test/c1"]);
    assert.deepEqual(events<Transfer>(minted.receipt, "Transfer"), [
      { from: zeroAddress, to: holder, tokenId: 1n },
    ]);
    assert.equal(await read<boolean>(custody, "inCustody", [1n]), true);
    await write(custody, "mintTo", [outside, "https://herald.test/c2"]);
    assert.equal(await read<boolean>(custody, "inCustody", [2n]), false, "mintTo: not in custody");

    // Asked on behalf of a holder that no longer holds it: refused (a late, racing transfer).
    const third = await write(custody, "mintToCustody", [holder, "https://herald.test/c3"]);
    assert.equal(third.receipt.status, "success");
    await write(custody, "custodyTransfer", [holder, next, 3n, true]);
    const late = await publicClient
      .simulateContract({
        address: custody,
        abi: collectionArtifact.abi,
        functionName: "custodyTransfer",
        args: [holder, outside, 3n, true],
        account: minter,
      })
      .then(
        () => assert.fail("a former holder's transfer must revert"),
        (e: unknown) => e,
      );
    assert.match(describeRevert(late)?.reason ?? "", /token not held by from/);

    // A burn on behalf of a former holder is refused too; the holder's own goes through.
    const lateBurn = await publicClient
      .simulateContract({
        address: custody,
        abi: collectionArtifact.abi,
        functionName: "custodyBurn",
        args: [holder, 3n],
        account: minter,
      })
      .then(
        () => assert.fail("a former holder's burn must revert"),
        (e: unknown) => e,
      );
    assert.match(describeRevert(lateBurn)?.reason ?? "", /token not held by from/);
    const burned = await write(custody, "custodyBurn", [next, 3n]);
    assert.deepEqual(events<Transfer>(burned.receipt, "Transfer"), [
      { from: next, to: zeroAddress, tokenId: 3n },
    ]);

    // To another custodial wallet: it stays in custody.
    const kept = await write(custody, "custodyTransfer", [holder, next, 1n, true]);
    assert.deepEqual(events<Transfer>(kept.receipt, "Transfer"), [
      { from: holder, to: next, tokenId: 1n },
    ]);
    assert.equal(await read<Address>(custody, "ownerOf", [1n]), next);
    assert.equal(await read<boolean>(custody, "inCustody", [1n]), true);
    // Out to an outside address: released, out of the owner's reach from then on.
    await write(custody, "custodyTransfer", [next, outside, 1n, false]);
    assert.equal(await read<Address>(custody, "ownerOf", [1n]), outside);
    assert.equal(await read<boolean>(custody, "inCustody", [1n]), false);

    const refusals: Array<[string, unknown[], Address, string]> = [
      ["a released token", [outside, next, 1n, true], minter.address, "token not in custody"],
      [
        "a token never in custody",
        [outside, next, 2n, true],
        minter.address,
        "token not in custody",
      ],
      ["a stranger", [outside, next, 1n, true], stranger.address, "OwnableUnauthorizedAccount"],
    ];
    for (const [name, args, from, reason] of refusals) {
      const error = await publicClient
        .simulateContract({
          address: custody,
          abi: collectionArtifact.abi,
          functionName: "custodyTransfer",
          args,
          account: from === minter.address ? minter : stranger,
        })
        .then(
          () => assert.fail(`${name}: must revert`),
          (e: unknown) => e,
        );
      assert.match(describeRevert(error)?.reason ?? "", new RegExp(reason), name);
    }
  });

  test("mintBatch: the next ids in order, custody per entry; all or nothing at the supply limit", async () => {
    const batched = await deploy(0n);
    const a = privateKeyToAccount(generatePrivateKey()).address;
    const b = privateKeyToAccount(generatePrivateKey()).address;
    await write(batched, "mintTo", [a, "https://herald.test/b0"]);
    const { receipt } = await write(batched, "mintBatch", [
      [a, b, a],
      ["https://herald.test/b1", "https://herald.test/b2", "https://herald.test/b3"],
      [false, true, false],
    ]);
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), [
      { from: zeroAddress, to: a, tokenId: 2n },
      { from: zeroAddress, to: b, tokenId: 3n },
      { from: zeroAddress, to: a, tokenId: 4n },
    ]);
    assert.equal(await read<string>(batched, "tokenURI", [3n]), "https://herald.test/b2");
    assert.deepEqual(
      await Promise.all([2n, 3n, 4n].map((id) => read<boolean>(batched, "inCustody", [id]))),
      [false, true, false],
    );
    assert.equal(await read<bigint>(batched, "totalMinted"), 4n);

    const refused = async (address: Address, args: unknown[], account = minter) =>
      publicClient
        .simulateContract({
          address,
          abi: collectionArtifact.abi,
          functionName: "mintBatch",
          args,
          account,
        })
        .then(
          () => assert.fail("mintBatch must revert"),
          (e: unknown) => describeRevert(e)?.reason ?? String(e),
        );
    assert.match(await refused(batched, [[a, b], ["u"], [false, false]]), /lengths differ/);
    assert.match(
      await refused(batched, [[a], ["u"], [false]], stranger),
      /OwnableUnauthorizedAccount/,
    );
    // Two left under a limit of 5: a batch of three mints none.
    const limited = await deploy(5n);
    await write(limited, "mintBatch", [
      [a, a, a],
      ["1", "2", "3"],
      [false, false, false],
    ]);
    assert.match(
      await refused(limited, [
        [a, a, a],
        ["4", "5", "6"],
        [false, false, false],
      ]),
      /supply limit reached/,
    );
    assert.equal(await read<bigint>(limited, "totalMinted"), 3n);
    await write(limited, "mintBatch", [
      [a, b],
      ["4", "5"],
      [false, false],
    ]);
    assert.equal(await read<bigint>(limited, "totalMinted"), 5n);
  });
});

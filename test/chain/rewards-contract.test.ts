// HeraldRewards on the embedded chain, driven by viem, the contract alone: deploy with a pool,
// allocate under single-use nonces, 18-decimal amounts, the owner-only functions, claim from a
// custodial balance, and withdraw, which closes the reward for good.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  BaseError,
  decodeErrorResult,
  encodeDeployData,
  getAddress,
  keccak256,
  nonceManager,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
} from "viem";
import type {
  Abi,
  Address,
  Hash,
  Hex,
  PrivateKeyAccount,
  PublicClient,
  TransactionReceipt,
  WalletClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { loadArtifact } from "../../src/chain/evm/artifacts.js";
import { embeddedClients } from "../helpers/embedded-clients.js";
import { createEmbeddedChain } from "../../src/chain/evm/embedded/embedded-chain.js";
import type { EmbeddedChain } from "../../src/chain/evm/embedded/embedded-chain.js";
import { decodeRevertReason, describeRevert } from "../../src/chain/evm/tx/revert-reason.js";

const buildScript = fileURLToPath(new URL("../../scripts/build-contracts.mjs", import.meta.url));

const ownerKey = generatePrivateKey();
const strangerKey = generatePrivateKey();
// The nonce manager hands out nonces locally; every test here sends one transaction at a time.
const owner = privateKeyToAccount(ownerKey, { nonceManager });
const stranger = privateKeyToAccount(strangerKey, { nonceManager });
// Custodial wallets: Herald holds their keys, so the owner moves their tokens; they never send.
const alice = privateKeyToAccount(generatePrivateKey()).address;
const bob = privateKeyToAccount(generatePrivateKey()).address;
const receiver = privateKeyToAccount(generatePrivateKey()).address;

const POOL = parseEther("1000");
const e18 = (value: string) => parseEther(value);
/** A distinct bytes32 nonce per label, as Herald derives one per allocation. */
const nonce = (label: string): Hex => keccak256(toHex(label));

let chain: EmbeddedChain;
let publicClient: PublicClient;
let wallet: WalletClient;
let abi: Abi;
let bytecode: Hex;

async function deploy(initialSupply: bigint, withdrawReceiver: Address = receiver) {
  const hash = await wallet.deployContract({
    abi,
    bytecode,
    args: ["Herald Points", "HPT", owner.address, withdrawReceiver, initialSupply],
    account: owner,
    chain: chain.chain,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  assert.ok(receipt.contractAddress);
  // The receipt's address is lowercase; events decode checksummed.
  return { address: getAddress(receipt.contractAddress), receipt };
}

function send(
  address: Address,
  functionName: string,
  args: unknown[],
  options: { account?: PrivateKeyAccount; gas?: bigint } = {},
): Promise<Hash> {
  return wallet.writeContract({
    address,
    abi,
    functionName,
    args,
    account: options.account ?? owner,
    chain: chain.chain,
    ...(options.gas ? { gas: options.gas } : {}),
  });
}

async function write(
  address: Address,
  functionName: string,
  args: unknown[] = [],
  options: { account?: PrivateKeyAccount; gas?: bigint } = {},
) {
  const hash = await send(address, functionName, args, options);
  return { hash, receipt: await publicClient.waitForTransactionReceipt({ hash }) };
}

function read<T>(address: Address, functionName: string, args: unknown[] = []): Promise<T> {
  return publicClient.readContract({ address, abi, functionName, args }) as Promise<T>;
}

const balanceOf = (token: Address, holder: Address) => read<bigint>(token, "balanceOf", [holder]);
const pool = (token: Address) => read<bigint>(token, "pool");

function events<T>(receipt: TransactionReceipt, eventName: string): T[] {
  return parseEventLogs({ abi, logs: receipt.logs, eventName }).map((log) => log.args as T);
}

/** The decoded reason a call would revert with, simulated (nothing is sent). */
async function revertOf(
  address: Address,
  functionName: string,
  args: unknown[] = [],
  account: PrivateKeyAccount = owner,
): Promise<string | undefined> {
  const error = await publicClient
    .simulateContract({ address, abi, functionName, args, account })
    .then(
      () => assert.fail(`${functionName} must revert`),
      (e: unknown) => e,
    );
  return describeRevert(error)?.reason;
}

/** Sends a call that reverts anyway (explicit gas skips the estimate): mined, its reason decoded. */
async function minedRevert(address: Address, functionName: string, args: unknown[]) {
  const { hash, receipt } = await write(address, functionName, args, { gas: 300_000n });
  assert.equal(receipt.status, "reverted");
  const decoded = await decodeRevertReason(publicClient, hash, { abi });
  assert.equal(decoded.functionName, functionName);
  return decoded.reason;
}

/** Every balance the tests move, and the pool, at once. */
async function snapshotOf(token: Address) {
  const [poolBalance, a, b, r, supply] = await Promise.all([
    pool(token),
    balanceOf(token, alice),
    balanceOf(token, bob),
    balanceOf(token, receiver),
    read<bigint>(token, "totalSupply"),
  ]);
  return { pool: poolBalance, alice: a, bob: b, receiver: r, supply };
}

type Transfer = { from: Address; to: Address; value: bigint };
type Allocated = { to: Address; amount: bigint; nonce: Hex };
type Claimed = { from: Address; to: Address; amount: bigint };
type Withdrawn = { receiver: Address; amount: bigint };

before(async () => {
  execFileSync(process.execPath, [buildScript, "--quiet"], { stdio: "inherit" });
  ({ abi, bytecode } = loadArtifact("HeraldRewards"));
  chain = await createEmbeddedChain({ fundedKeys: [ownerKey, strangerKey] });
  ({ publicClient, wallet } = embeddedClients(chain));
});

after(async () => {
  await chain?.close();
});

describe("HeraldRewards on the embedded chain", () => {
  let token: Address;

  test("deploys with the whole initial supply in the contract's own pool", async () => {
    const deployed = await deploy(POOL);
    token = deployed.address;
    assert.deepEqual(events<Transfer>(deployed.receipt, "Transfer"), [
      { from: zeroAddress, to: token, value: POOL },
    ]);
    assert.equal(await read<Address>(token, "owner"), owner.address);
    assert.equal(await read<string>(token, "name"), "Herald Points");
    assert.equal(await read<string>(token, "symbol"), "HPT");
    assert.equal(await read<number>(token, "decimals"), 18);
    assert.equal(await read<Address>(token, "withdrawReceiver"), receiver);
    assert.equal(await read<boolean>(token, "closed"), false);
    assert.equal(await read<bigint>(token, "totalSupply"), POOL);
    assert.equal(await pool(token), POOL);
    assert.equal(await balanceOf(token, token), POOL);
  });

  test("a zero withdraw receiver is refused at deployment", async () => {
    const data = encodeDeployData({
      abi,
      bytecode,
      args: ["Herald Points", "HPT", owner.address, zeroAddress, POOL],
    });
    const error = await publicClient.call({ account: owner.address, data }).then(
      () => assert.fail("the deployment must revert"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof BaseError);
    const found = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as {
      data?: Hex;
    } | null;
    assert.ok(found?.data, "the revert carries data");
    const decoded = decodeErrorResult({ abi, data: found.data });
    assert.equal(decoded.errorName, "Error");
    assert.deepEqual(decoded.args, ["withdraw receiver is zero"]);
  });

  const allocations: { name: string; to: Address; amount: bigint; label: string }[] = [
    { name: "100 tokens to alice", to: alice, amount: e18("100"), label: "alice-1" },
    { name: "250 tokens to bob", to: bob, amount: e18("250"), label: "bob-1" },
    { name: "1.5 tokens to alice", to: alice, amount: e18("1.5"), label: "alice-2" },
    { name: "1 wei to bob", to: bob, amount: 1n, label: "bob-2" },
  ];
  for (const { name, to, amount, label } of allocations) {
    test(`allocate ${name}: pool to wallet, Allocated + Transfer, nonce used`, async () => {
      const before = await snapshotOf(token);
      assert.equal(await read<boolean>(token, "nonceUsed", [nonce(label)]), false);
      const { receipt } = await write(token, "allocate", [to, amount, nonce(label)]);
      assert.equal(receipt.status, "success");
      assert.deepEqual(events<Allocated>(receipt, "Allocated"), [
        { to, amount, nonce: nonce(label) },
      ]);
      assert.deepEqual(events<Transfer>(receipt, "Transfer"), [{ from: token, to, value: amount }]);
      const after = await snapshotOf(token);
      assert.equal(after.pool, before.pool - amount);
      assert.equal(after.alice, before.alice + (to === alice ? amount : 0n));
      assert.equal(after.bob, before.bob + (to === bob ? amount : 0n));
      assert.equal(after.supply, before.supply);
      assert.equal(await read<boolean>(token, "nonceUsed", [nonce(label)]), true);
    });
  }

  test("the same nonce twice reverts 'nonce already used' and changes nothing", async () => {
    const before = await snapshotOf(token);
    // Whatever the recipient and amount: the nonce alone decides.
    for (const [to, amount] of [
      [alice, e18("100")],
      [bob, 1n],
    ] as const) {
      const args = [to, amount, nonce("alice-1")];
      assert.equal(await revertOf(token, "allocate", args), "nonce already used");
    }
    // Sent anyway and mined: reverted, with the same reason recovered from the chain.
    const args = [alice, e18("100"), nonce("alice-1")];
    assert.equal(await minedRevert(token, "allocate", args), "nonce already used");
    assert.deepEqual(await snapshotOf(token), before);
  });

  test("allocation refusals, and a refused allocation leaves its nonce unused", async () => {
    const available = await pool(token);
    const cases: { name: string; args: unknown[]; reason: string }[] = [
      { name: "zero", args: [alice, 0n, nonce("zero")], reason: "amount is zero" },
      {
        name: "one wei more than the pool",
        args: [alice, available + 1n, nonce("over")],
        reason: "insufficient reward pool",
      },
      {
        name: "more than the initial supply",
        args: [bob, POOL * 2n, nonce("far-over")],
        reason: "insufficient reward pool",
      },
      {
        name: "to the zero address",
        args: [zeroAddress, 1n, nonce("to-zero")],
        reason: `ERC20InvalidReceiver(${zeroAddress})`,
      },
      {
        name: "to the contract itself",
        args: [token, 1n, nonce("to-self")],
        reason: "invalid recipient",
      },
    ];
    const before = await snapshotOf(token);
    for (const { name, args, reason } of cases) {
      assert.equal(await revertOf(token, "allocate", args), reason, name);
      assert.equal(await read<boolean>(token, "nonceUsed", [args[2]]), false, name);
    }
    assert.equal(await minedRevert(token, "allocate", cases[1].args), "insufficient reward pool");
    assert.equal(await read<boolean>(token, "nonceUsed", [nonce("over")]), false);
    assert.deepEqual(await snapshotOf(token), before);
  });

  test("only the owner may allocate, claim, fund or withdraw", async () => {
    const calls: [string, unknown[]][] = [
      ["allocate", [stranger.address, 1n, nonce("stranger")]],
      ["claim", [alice, stranger.address, 1n]],
      ["fund", [e18("1")]],
      ["withdraw", []],
    ];
    const before = await snapshotOf(token);
    for (const [functionName, args] of calls) {
      const error = await publicClient
        .simulateContract({ address: token, abi, functionName, args, account: stranger })
        .then(
          () => assert.fail(`a stranger's ${functionName} must revert`),
          (e: unknown) => e,
        );
      const described = describeRevert(error);
      assert.equal(described?.errorName, "OwnableUnauthorizedAccount", functionName);
      assert.deepEqual(described?.errorArgs, [stranger.address], functionName);
    }
    // Mined too: the stranger's transaction reverts and moves nothing.
    const { hash, receipt } = await write(token, "allocate", calls[0][1], {
      account: stranger,
      gas: 300_000n,
    });
    assert.equal(receipt.status, "reverted");
    const decoded = await decodeRevertReason(publicClient, hash, { abi });
    assert.equal(decoded.reason, `OwnableUnauthorizedAccount(${stranger.address})`);
    assert.deepEqual(await snapshotOf(token), before);
    assert.equal(await read<boolean>(token, "nonceUsed", [nonce("stranger")]), false);
    assert.equal(await balanceOf(token, stranger.address), 0n);
  });

  test("claim moves a custodial balance and emits Claimed", async () => {
    const before = await snapshotOf(token);
    const amount = e18("40.25");
    const { receipt } = await write(token, "claim", [alice, bob, amount]);
    assert.equal(receipt.status, "success");
    assert.deepEqual(events<Claimed>(receipt, "Claimed"), [{ from: alice, to: bob, amount }]);
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), [
      { from: alice, to: bob, value: amount },
    ]);
    const after = await snapshotOf(token);
    assert.equal(after.alice, before.alice - amount);
    assert.equal(after.bob, before.bob + amount);
    assert.equal(after.pool, before.pool);
    assert.equal(after.supply, before.supply);
  });

  test("claim refusals: more than held, zero, bad recipient, the pool as source", async () => {
    const held = await balanceOf(token, alice);
    const cases: { name: string; args: unknown[]; reason: string }[] = [
      {
        name: "one wei more than held",
        args: [alice, bob, held + 1n],
        reason: `ERC20InsufficientBalance(${alice}, ${held}, ${held + 1n})`,
      },
      {
        name: "from a wallet that holds nothing",
        args: [stranger.address, bob, 1n],
        reason: `ERC20InsufficientBalance(${stranger.address}, 0, 1)`,
      },
      { name: "zero", args: [alice, bob, 0n], reason: "amount is zero" },
      { name: "to the zero address", args: [alice, zeroAddress, 1n], reason: "invalid recipient" },
      { name: "to the contract", args: [alice, token, 1n], reason: "invalid recipient" },
      { name: "from the pool", args: [token, bob, 1n], reason: "cannot claim from the pool" },
    ];
    const before = await snapshotOf(token);
    for (const { name, args, reason } of cases) {
      assert.equal(await revertOf(token, "claim", args), reason, name);
    }
    const { hash, receipt } = await write(token, "claim", cases[0].args, { gas: 300_000n });
    assert.equal(receipt.status, "reverted");
    const decoded = await decodeRevertReason(publicClient, hash, { abi });
    assert.equal(decoded.errorName, "ERC20InsufficientBalance");
    assert.deepEqual(decoded.errorArgs, [alice, held, held + 1n]);
    assert.deepEqual(await snapshotOf(token), before);
  });

  test("a holder transfers as with any ERC-20, but never to the contract", async () => {
    await write(token, "allocate", [stranger.address, e18("2"), nonce("stranger-own")]);
    const before = await snapshotOf(token);
    assert.equal(
      await revertOf(token, "transfer", [token, e18("1")], stranger),
      "invalid recipient",
    );
    const { receipt } = await write(token, "transfer", [alice, e18("1")], { account: stranger });
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), [
      { from: stranger.address, to: alice, value: e18("1") },
    ]);
    const after = await snapshotOf(token);
    assert.equal(after.alice, before.alice + e18("1"));
    assert.equal(after.pool, before.pool);
  });

  test("fund mints more into the pool; zero is refused", async () => {
    const before = await snapshotOf(token);
    const { receipt } = await write(token, "fund", [e18("10")]);
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), [
      { from: zeroAddress, to: token, value: e18("10") },
    ]);
    const after = await snapshotOf(token);
    assert.equal(after.pool, before.pool + e18("10"));
    assert.equal(after.supply, before.supply + e18("10"));
    assert.equal(await revertOf(token, "fund", [0n]), "amount is zero");
  });

  test("withdraw sends the remaining pool to the receiver and closes the reward", async () => {
    const before = await snapshotOf(token);
    assert.ok(before.pool > 0n);
    assert.equal(before.receiver, 0n);
    const { receipt } = await write(token, "withdraw");
    assert.equal(receipt.status, "success");
    assert.deepEqual(events<Withdrawn>(receipt, "Withdrawn"), [{ receiver, amount: before.pool }]);
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), [
      { from: token, to: receiver, value: before.pool },
    ]);
    assert.equal(await read<boolean>(token, "closed"), true);
    assert.deepEqual(await snapshotOf(token), {
      ...before,
      pool: 0n,
      receiver: before.pool,
    });
  });

  test("once closed, allocate, fund and withdraw revert 'rewards closed'", async () => {
    const before = await snapshotOf(token);
    const calls: [string, unknown[]][] = [
      ["allocate", [alice, 1n, nonce("after-close")]],
      // Even with nothing to pay from: closed is checked first.
      ["allocate", [alice, e18("5000"), nonce("after-close-big")]],
      ["fund", [e18("1")]],
      ["withdraw", []],
    ];
    for (const [functionName, args] of calls) {
      assert.equal(await revertOf(token, functionName, args), "rewards closed", functionName);
    }
    assert.equal(await minedRevert(token, "withdraw", []), "rewards closed");
    assert.equal(await minedRevert(token, "fund", [e18("1")]), "rewards closed");
    assert.deepEqual(await snapshotOf(token), before);
  });

  test("once closed, allocated tokens stay with their holders and can still be claimed", async () => {
    const before = await snapshotOf(token);
    assert.ok(before.alice > 0n && before.bob > 0n);
    const amount = e18("1.5");
    const { receipt } = await write(token, "claim", [bob, alice, amount]);
    assert.equal(receipt.status, "success");
    assert.deepEqual(events<Claimed>(receipt, "Claimed"), [{ from: bob, to: alice, amount }]);
    const after = await snapshotOf(token);
    assert.equal(after.bob, before.bob - amount);
    assert.equal(after.alice, before.alice + amount);
    assert.equal(after.pool, 0n);
  });
});

describe("18-decimal amounts", () => {
  test("1 wei, 1.5 tokens, then exactly the rest of the pool; one wei more is refused", async () => {
    const { address: token } = await deploy(POOL);
    const rows: { name: string; amount: (remaining: bigint) => bigint }[] = [
      { name: "1 wei", amount: () => 1n },
      { name: "1.5 tokens", amount: () => 1_500_000_000_000_000_000n },
      { name: "the whole remaining pool", amount: (remaining) => remaining },
    ];
    let allocated = 0n;
    for (const [i, { name, amount }] of rows.entries()) {
      const value = amount(await pool(token));
      const { receipt } = await write(token, "allocate", [alice, value, nonce(`exact-${i}`)]);
      assert.equal(receipt.status, "success", name);
      assert.deepEqual(
        events<Allocated>(receipt, "Allocated"),
        [{ to: alice, amount: value, nonce: nonce(`exact-${i}`) }],
        name,
      );
      allocated += value;
      assert.equal(await balanceOf(token, alice), allocated, name);
      assert.equal(await pool(token), POOL - allocated, name);
    }
    assert.equal(allocated, POOL);
    assert.equal(await pool(token), 0n);
    assert.equal(await balanceOf(token, alice), e18("1000"));
    const args = [bob, 1n, nonce("empty")];
    assert.equal(await revertOf(token, "allocate", args), "insufficient reward pool");

    // Withdrawing an empty pool still closes the reward; the event says 0.
    const { receipt } = await write(token, "withdraw");
    assert.deepEqual(events<Withdrawn>(receipt, "Withdrawn"), [{ receiver, amount: 0n }]);
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), []);
    assert.equal(await read<boolean>(token, "closed"), true);
    assert.equal(await balanceOf(token, alice), POOL);
  });

  test("a reward deployed with an empty pool is funded, then allocates", async () => {
    const { address: token, receipt } = await deploy(0n);
    assert.deepEqual(events<Transfer>(receipt, "Transfer"), [
      { from: zeroAddress, to: token, value: 0n },
    ]);
    assert.equal(
      await revertOf(token, "allocate", [bob, 1n, nonce("n")]),
      "insufficient reward pool",
    );
    await write(token, "fund", [e18("0.000000000000000002")]);
    assert.equal(await pool(token), 2n);
    await write(token, "allocate", [bob, 2n, nonce("n")]);
    assert.equal(await balanceOf(token, bob), 2n);
    assert.equal(await pool(token), 0n);
  });
});

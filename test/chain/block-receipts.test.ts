// Receipts read a block at a time (eth_getBlockReceipts), shared by a chain's signers
// (src/chain/evm/tx/block-receipts.ts). Against a `hardhat node` with 1-second blocks behind the
// counting proxy: where the proxy serves the method, a dozen transactions mined together cost a
// call per block, not one each; where the node lacks it (Hardhat itself), it is asked once and
// every receipt is read per transaction, as before.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPublicClient, createWalletClient, defineChain, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { BlockReceipts, isUnsupportedMethod } from "../../src/chain/evm/tx/block-receipts.js";
import { TxManager } from "../../src/chain/evm/tx/tx-manager.js";
import { NODE_KEY, startHardhatNode, type HardhatNode } from "../helpers/hardhat-node.js";
import { RpcProxy } from "../helpers/rpc-proxy.js";

const chain = defineChain({
  id: 31337,
  name: "hardhat",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: ["http://127.0.0.1"] } },
});
const RECIPIENT = "0x10324e5B8879CA6662ff83617F74b0AaD251b819";

let node: HardhatNode;

before(async () => {
  node = await startHardhatNode({ blockIntervalMs: 1_000 });
});
after(() => node?.stop());

/** A transaction manager for the node's funded key, through `proxy`. */
function managerVia(proxy: RpcProxy) {
  const transport = http(proxy.url, { retryCount: 0 });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 200 });
  const walletClient = createWalletClient({
    chain,
    transport,
    account: privateKeyToAccount(NODE_KEY),
  });
  const blockReceipts = new BlockReceipts(publicClient, 10_000);
  const manager = new TxManager({
    publicClient,
    walletClient,
    chain,
    confirmations: 1,
    replaceAfterMs: 60_000,
    pollIntervalMs: 200,
    blockReceipts,
  });
  return { manager, blockReceipts, publicClient };
}

async function sendAndWait(manager: TxManager, n: number, prefix: string) {
  const records = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      manager.send(`${prefix}-${i}`, { to: RECIPIENT, data: "0x", value: 1n, gas: 21_000n }),
    ),
  );
  return await Promise.all(records.map((r, i) => manager.waitForOutcome(`${prefix}-${i}`, r)));
}

test("isUnsupportedMethod: the node lacks the method, not the block or the connection", () => {
  const cases: [unknown, boolean][] = [
    [{ code: -32601, message: "the method eth_getBlockReceipts does not exist" }, true],
    [{ code: -32004, message: "Method not supported" }, true],
    [new Error("Method eth_getBlockReceipts is not supported"), true],
    [new Error("unsupported method"), true],
    [new Error("fetch failed"), false],
    [{ code: -32000, message: "header not found" }, false],
    [new Error("block not found"), false],
  ];
  for (const [error, expected] of cases) assert.equal(isUnsupportedMethod(error), expected);
});

test("a dozen transactions mined together: their receipts a block at a time", async () => {
  const proxy = await RpcProxy.start(node.rpcUrl, 64);
  proxy.blockReceipts = true;
  try {
    const { manager, blockReceipts } = managerVia(proxy);
    const outcomes = await sendAndWait(manager, 12, "batch");
    assert.ok(outcomes.every((o) => o.status === "success"));
    const blocks = new Set(outcomes.map((o) => o.blockNumber)).size;
    const byBlock = proxy.calls.get("eth_getBlockReceipts") ?? 0;
    const byHash = proxy.calls.get("eth_getTransactionReceipt") ?? 0;
    console.log(
      `# 12 transactions in ${blocks} block(s): ${byBlock} eth_getBlockReceipts, ${byHash} eth_getTransactionReceipt`,
    );
    assert.ok(byBlock >= 1, "read by block");
    // A block at a time (a block past a stale head is asked too, and is not there yet); by hash
    // only what a busy machine let slip past the blocks looked at.
    assert.ok(byBlock <= blocks + 3, `${byBlock} eth_getBlockReceipts for ${blocks} blocks`);
    assert.ok(byHash <= 3, `${byHash} receipts by hash for 12 transactions`);
    assert.equal(blockReceipts.usable, true);
    manager.close();
  } finally {
    await proxy.close();
  }
});

test("transactions mined before anyone looked: found in the last blocks, newest first", async () => {
  const proxy = await RpcProxy.start(node.rpcUrl, 64);
  proxy.blockReceipts = true;
  try {
    const { manager } = managerVia(proxy);
    const records = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        manager.send(`late-${i}`, { to: RECIPIENT, data: "0x", value: 1n, gas: 21_000n }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // two blocks on
    const outcomes = await Promise.all(
      records.map((r, i) => manager.waitForOutcome(`late-${i}`, r)),
    );
    assert.ok(outcomes.every((o) => o.status === "success"));
    const byHash = proxy.calls.get("eth_getTransactionReceipt") ?? 0;
    assert.ok(byHash <= 1, `${byHash} receipts by hash for 6 transactions`);
    assert.ok((proxy.calls.get("eth_getBlockReceipts") ?? 0) <= 6);
    manager.close();
  } finally {
    await proxy.close();
  }
});

test("a node without eth_getBlockReceipts: asked once, then a receipt per transaction", async () => {
  const proxy = await RpcProxy.start(node.rpcUrl, 64); // passes the method on: Hardhat refuses it
  try {
    const { manager, blockReceipts } = managerVia(proxy);
    const first = await sendAndWait(manager, 3, "plain-1");
    const second = await sendAndWait(manager, 3, "plain-2");
    assert.ok([...first, ...second].every((o) => o.status === "success"));
    assert.equal(blockReceipts.usable, false);
    assert.ok((proxy.calls.get("eth_getBlockReceipts") ?? 0) <= 1, "asked once at most");
    assert.ok((proxy.calls.get("eth_getTransactionReceipt") ?? 0) >= 6, "per transaction");
    manager.close();
  } finally {
    await proxy.close();
  }
});

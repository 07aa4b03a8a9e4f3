// Chains by Crossmint's names: a `hardhat node` started with base-sepolia's chain id (84532)
// stands in for base-sepolia, configured by its name and rpcUrl alone.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { evmAdapter } from "../../src/chain/evm/adapter.js";
import type { ChainInfo } from "../../src/core/chain/chain-types.js";
import { freePort, runHerald, startChildHerald } from "../helpers/child-herald.js";
import { startHardhatNode, NODE_KEY, type HardhatNode } from "../helpers/hardhat-node.js";
import {
  apiClient,
  eventually,
  startTestHerald,
  TEST_API_KEY,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";

const BASE_SEPOLIA = 84532;
const RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const ENABLE_BASE =
  'chain "base" is not configured on this Herald: add {"name":"base","rpcUrl":"…"} to HERALD_CHAINS';

let node: HardhatNode;
/** A node of another chain: Hardhat's own chain id, 31337. */
let otherNode: HardhatNode;
let h: TestHerald;
let receiver: Receiver;

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  node = await startHardhatNode({ chainId: BASE_SEPOLIA });
  otherNode = await startHardhatNode();
  h = await startTestHerald({
    HERALD_CHAINS: JSON.stringify([
      { name: "base-sepolia", rpcUrl: node.rpcUrl, privateKey: NODE_KEY },
    ]),
  });
  receiver = await Receiver.start();
  await h.api("POST", "/webhooks/endpoints", { url: receiver.url, eventTypes: ["nfts.*"] });
});

after(async () => {
  await h?.stop();
  await receiver?.close();
  node?.stop();
  otherNode?.stop();
});

/** The action once it is no longer pending (generous: a busy machine is slow). */
async function settled(actionId: string) {
  return eventually(
    async () => {
      const action = (await h.api("GET", `/actions/${actionId}?wait=30`)).body;
      return action.status === "pending" ? null : action;
    },
    { timeoutMs: 180_000, message: `action ${actionId}` },
  );
}

function chainInfo(name: string, chainId: number, rpcUrl: string): ChainInfo {
  return {
    name,
    family: "evm",
    chainId,
    confirmations: 1,
    finality: 64,
    rpcUrl,
    replaceAfterMs: 60_000,
  };
}

test("base-sepolia by its name alone: its default collection, a deployment, a mint and its webhook", async () => {
  assert.equal(h.herald.services.chains.get("base-sepolia")?.chainId, BASE_SEPOLIA);
  // Every configured chain has its default collection, deployed on first use.
  const defaults = await h.api("GET", "/collections/default-base-sepolia");
  assert.equal(defaults.status, 200, JSON.stringify(defaults.body));
  assert.equal((await settled(defaults.body.actionId)).status, "succeeded");

  const created = await h.api("POST", "/collections", {
    chain: "base-sepolia",
    metadata: { name: "Named chain" },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal((await settled(created.body.actionId)).status, "succeeded");

  const mint = await h.api("POST", `/collections/${created.body.id}/nfts`, {
    recipient: `base-sepolia:${RECIPIENT}`,
    metadata: { name: "Named #1" },
  });
  assert.equal(mint.status, 200, JSON.stringify(mint.body));
  const email = await h.api("POST", "/collections/default-base-sepolia/nfts", {
    recipient: "email:a@b.co:base-sepolia",
    metadata: { name: "Default #1" },
  });
  assert.equal(email.status, 200, JSON.stringify(email.body));
  assert.equal((await settled(mint.body.actionId)).status, "succeeded");
  assert.equal((await settled(email.body.actionId)).status, "succeeded");

  const webhook = await eventually(
    () => receiver.requests.find((r) => r.json?.actionId === mint.body.actionId)!,
    { timeoutMs: 60_000, message: "the mint's webhook" },
  );
  assert.equal(webhook.json.type, "nfts.create.succeeded");
  assert.equal(webhook.json.data.chain, "base-sepolia");
  const receipt = await node.rpc<{ status: string }>("eth_getTransactionReceipt", [
    webhook.json.data.txId,
  ]);
  assert.equal(receipt.status, "0x1", "the node itself has the mined mint");
});

test("a chain Crossmint names but this Herald does not run: 400 naming the setting", async () => {
  const rows: Array<[string, string, unknown, number, string]> = [
    // what, method and path, body, status, message
    [
      "collection",
      "POST /collections",
      { chain: "base", metadata: { name: "x" } },
      400,
      ENABLE_BASE,
    ],
    [
      "collection by id",
      "PUT /collections/mine",
      { chain: "base", metadata: { name: "x" } },
      400,
      ENABLE_BASE,
    ],
    ["default collection", "GET /collections/default-base", undefined, 400, ENABLE_BASE],
    [
      "address recipient",
      "POST /collections/default-base-sepolia/nfts",
      { recipient: `base:${RECIPIENT}`, metadata: { name: "x" } },
      400,
      `recipient: ${ENABLE_BASE}`,
    ],
    [
      "email recipient",
      "POST /collections/default-base-sepolia/nfts",
      { recipient: "email:a@b.co:base", metadata: { name: "x" } },
      400,
      `recipient: ${ENABLE_BASE}`,
    ],
    // A name no family knows: what is configured.
    [
      "unknown chain",
      "POST /collections",
      { chain: "nowhere", metadata: { name: "x" } },
      400,
      'unknown chain "nowhere"; known chains: local, solana, base-sepolia',
    ],
    [
      "unknown recipient chain",
      "POST /collections/default-base-sepolia/nfts",
      { recipient: `nowhere:${RECIPIENT}`, metadata: { name: "x" } },
      400,
      'recipient: unknown chain "nowhere"; known chains: local, solana, base-sepolia',
    ],
    ["unknown default collection", "GET /collections/default-nowhere", undefined, 404, ""],
  ];
  for (const [what, call, body, status, message] of rows) {
    const [method, path] = call.split(" ") as [string, string];
    const response = await h.api(method, path, body);
    assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
    if (message) assert.deepEqual(response.body, { error: true, message }, what);
  }
});

test("verifyChain asks the node: the same chain, another chain, no answer in time", async () => {
  const verify = evmAdapter.verifyChain!;
  const here = chainInfo("base-sepolia", BASE_SEPOLIA, node.rpcUrl);
  assert.deepEqual(await verify(here, 10_000), { status: "verified" });
  assert.deepEqual(await verify(chainInfo("base", 8453, node.rpcUrl), 10_000), {
    status: "mismatch",
    message:
      'chain "base" is configured as chain id 8453, but its rpcUrl\'s node reports chain id 84532',
  });
  const closed = `http://127.0.0.1:${await freePort()}`;
  assert.equal((await verify(chainInfo("base", 8453, closed), 10_000)).status, "unreachable");
  // A node that takes the connection and never answers is given up on after the timeout.
  const sockets = new Set<Socket>();
  const silent: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const port = (silent.address() as { port: number }).port;
  try {
    const started = Date.now();
    const answer = await verify(chainInfo("base", 8453, `http://127.0.0.1:${port}`), 300);
    assert.equal(answer.status, "unreachable");
    assert.ok(Date.now() - started < 10_000, `gave up after ${Date.now() - started} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test(
  "start-up refuses base-sepolia when its node is another chain, in one line",
  { timeout: 300_000 },
  async () => {
    const result = await runHerald(["start"], {
      HERALD_DATA_DIR: mkdtempSync(join(tmpdir(), "herald-named-")),
      HERALD_API_KEY: TEST_API_KEY,
      PORT: String(await freePort()),
      HERALD_LOG_LEVEL: "warn",
      HERALD_CHAINS: JSON.stringify([{ name: "base-sepolia", rpcUrl: otherNode.rpcUrl }]),
    });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const lines = result.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 1, result.stderr);
    assert.equal(
      lines[0],
      `herald: invalid configuration: HERALD_CHAINS: chain "base-sepolia" is configured as chain id 84532, but its rpcUrl's node reports chain id 31337`,
    );
  },
);

test(
  "a node that cannot be asked at start does not stop it; answering later as another chain, it is sent nothing",
  { timeout: 300_000 },
  async () => {
    // Nothing listens on this port yet; later it leads to the node of chain 31337.
    const port = await freePort();
    const child = await startChildHerald({
      dataDir: mkdtempSync(join(tmpdir(), "herald-named-")),
      env: {
        HERALD_API_KEY: TEST_API_KEY,
        HERALD_CHAINS: JSON.stringify([
          { name: "base-sepolia", rpcUrl: `http://127.0.0.1:${port}`, privateKey: NODE_KEY },
        ]),
      },
    });
    const proxy = await tcpProxy(port, new URL(otherNode.rpcUrl).port);
    try {
      const warning = await eventually(
        () =>
          child
            .output()
            .split("\n")
            .find((line) => line.includes("could not ask")),
        { timeoutMs: 60_000, message: "the warning" },
      );
      assert.equal(JSON.parse(warning ?? "{}").chain, "base-sepolia", child.output());
      // The chain is configured: work for it is accepted, to be sent when its node answers.
      const api = apiClient(child.url, TEST_API_KEY);
      const created = await api("POST", "/collections", {
        chain: "base-sepolia",
        metadata: { name: "x" },
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      // Its runner asks the node before sending, and refuses it.
      await eventually(() => child.output().includes("not sending to it"), {
        timeoutMs: 120_000,
        message: "the runner's refusal",
      });
      assert.equal(await otherNode.rpc("eth_blockNumber"), "0x0", "nothing was sent");
      const action = await api("GET", `/actions/${created.body.actionId}`);
      assert.equal(action.body.status, "pending");
    } finally {
      await child.kill();
      proxy.close();
    }
  },
);

/** Forwards connections on `port` to `target` (on 127.0.0.1), byte for byte. */
async function tcpProxy(port: number, target: string) {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const upstream = connect(Number(target), "127.0.0.1");
    sockets.add(socket).add(upstream);
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

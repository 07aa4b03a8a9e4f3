import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { request } from "undici";
import { freePort } from "../helpers/child-herald.js";
import { eventually, startTestHerald, type TestHerald } from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";

// Hardhat's first default account: a public test key, funded on every `hardhat node`.
const NODE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

let node: ChildProcess;
let dir: string;
let rpcUrl: string;
let h: TestHerald;
let receiver: Receiver;

async function rpc(method: string, params: unknown[] = []) {
  const res = await request(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  return ((await res.body.json()) as { result: unknown }).result;
}

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  dir = mkdtempSync(join(tmpdir(), "herald-node-"));
  const config = join(dir, "hardhat.config.cjs");
  writeFileSync(
    config,
    "module.exports = { networks: { hardhat: { throwOnTransactionFailures: false } } };\n",
  );
  const port = await freePort();
  rpcUrl = `http://127.0.0.1:${port}`;
  node = spawn(
    process.execPath,
    [
      "node_modules/hardhat/internal/cli/cli.js",
      "node",
      "--config",
      config,
      "--hostname",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    { stdio: "ignore", env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" } },
  );
  await eventually(async () => (await rpc("eth_chainId")) === "0x7a69", {
    timeoutMs: 30_000,
    intervalMs: 200,
    message: "hardhat node",
  });
  h = await startTestHerald({
    HERALD_CHAINS: JSON.stringify([
      { name: "devnet", rpcUrl, chainId: 31337, privateKey: NODE_KEY },
    ]),
  });
  receiver = await Receiver.start();
  await h.api("POST", "/webhooks/endpoints", {
    url: receiver.url,
    eventTypes: ["collections.*", "nfts.*"],
  });
});

after(async () => {
  await h?.stop();
  await receiver?.close();
  node?.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
});

test("a collection and a mint on a chain reached over HTTP JSON-RPC", async () => {
  const created = await h.api("POST", "/collections", {
    chain: "devnet",
    metadata: { name: "Over HTTP" },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const deployed = (await h.api("GET", `/actions/${created.body.actionId}?wait=30`)).body;
  assert.equal(deployed.status, "succeeded", JSON.stringify(deployed));
  const mint = await h.api("POST", `/collections/${created.body.id}/nfts`, {
    recipient: "devnet:0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    metadata: { name: "HTTP #1" },
  });
  assert.equal(mint.status, 200, JSON.stringify(mint.body));
  assert.equal(
    (await h.api("GET", `/actions/${mint.body.actionId}?wait=30`)).body.status,
    "succeeded",
  );
  const webhook = await eventually(
    () => receiver.requests.find((r) => r.json?.actionId === mint.body.actionId)!,
    {
      timeoutMs: 10_000,
    },
  );
  assert.equal(webhook.json.type, "nfts.create.succeeded");
  assert.equal(webhook.json.data.chain, "devnet");
  const receipt = (await rpc("eth_getTransactionReceipt", [webhook.json.data.txId])) as {
    status: string;
  };
  assert.equal(receipt.status, "0x1", "the node itself has the mined mint");
});

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { startHardhatNode, NODE_KEY, type HardhatNode } from "../helpers/hardhat-node.js";
import { eventually, startTestHerald, type TestHerald } from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";

let node: HardhatNode;
let h: TestHerald;
let receiver: Receiver;

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  node = await startHardhatNode();
  h = await startTestHerald({
    HERALD_CHAINS: JSON.stringify([
      { name: "devnet", rpcUrl: node.rpcUrl, chainId: 31337, privateKey: NODE_KEY },
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
  node?.stop();
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
  const receipt = await node.rpc<{ status: string }>("eth_getTransactionReceipt", [
    webhook.json.data.txId,
  ]);
  assert.equal(receipt.status, "0x1", "the node itself has the mined mint");
});

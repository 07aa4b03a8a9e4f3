import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { createWalletClient, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { collectionArtifact } from "../../src/chain/evm/artifacts.js";
import {
  apiClient,
  embeddedEvmChain,
  eventually,
  startTestHerald,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";

const SIGNER_KEY = generatePrivateKey();

let h: TestHerald;
let receiver: Receiver;
let secret: string;

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  // The operator brings the signer's key, so the test can act with it behind Herald's back.
  h = await startTestHerald({
    HERALD_CHAINS: JSON.stringify([{ name: "local", privateKey: SIGNER_KEY }]),
  });
  receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", { url: receiver.url + "/hook" });
  secret = endpoint.body.secret;
});
after(async () => {
  await h.stop();
  await receiver.close();
});

/** The webhook of an action, verified with the receivers' library. */
async function webhookOf(actionId: string) {
  const request = await eventually(
    () => receiver.requests.find((r) => r.json?.actionId === actionId)!,
    {
      timeoutMs: 20_000,
      message: `the webhook of ${actionId}`,
    },
  );
  new Webhook(secret).verify(request.body, {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  });
  return request.json;
}

async function settled(actionId: string) {
  const res = await h.api("GET", `/actions/${actionId}?wait=20`);
  assert.equal(res.status, 200);
  return res.body;
}

test("a collection is deployed, minted into, edited and burned, each with its webhook", async () => {
  const created = await h.api("POST", "/collections", {
    chain: "local",
    metadata: { name: "Herald Cats", description: "test" },
    supplyLimit: 3,
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal(created.body.onChain.chain, "local");
  const deploy = await settled(created.body.actionId);
  assert.equal(deploy.status, "succeeded", JSON.stringify(deploy));
  const deployed = await webhookOf(created.body.actionId);
  assert.equal(deployed.type, "collections.create.succeeded");
  assert.match(deployed.data.collection.contractAddress, /^0x[0-9a-fA-F]{40}$/);
  assert.match(deployed.data.txId, /^0x[0-9a-f]{64}$/);
  const cid = created.body.id;

  const to = "0x10324e5B8879CA6662ff83617F74b0AaD251b819";
  const mint = await h.api("POST", `/collections/${cid}/nfts`, {
    recipient: `local:${to}`,
    metadata: { name: "Cat #1", image: "https://example.com/1.png" },
  });
  assert.equal(mint.status, 200, JSON.stringify(mint.body));
  assert.equal(mint.body.onChain.status, "pending");
  assert.equal((await settled(mint.body.actionId)).status, "succeeded");
  const minted = await webhookOf(mint.body.actionId);
  assert.equal(minted.type, "nfts.create.succeeded");
  assert.equal(minted.data.chain, "local");
  assert.equal(minted.data.recipient.walletAddress, to);
  assert.equal(minted.data.token.tokenId, "1");
  assert.equal(minted.data.token.owner.walletAddress, to);
  assert.ok(minted.completedAt && minted.startedAt);

  const project = await h.herald.services.store.getProjectByName("default");
  const tokenUri = `//metadata/${project!.id}/${cid}/${mint.body.id}`;
  const publicApi = apiClient(h.url, null);
  const served = await publicApi("GET", tokenUri);
  assert.equal(served.status, 200, "the token URI needs no API key");
  assert.equal(served.body.name, "Cat #1");
  const nft = await h.api("GET", `/collections/${cid}/nfts/${mint.body.id}`);
  assert.equal(nft.body.onChain.status, "success");
  assert.equal(nft.body.onChain.tokenId, "1");

  const byEmail = await h.api("POST", `/collections/${cid}/nfts`, {
    recipient: "email:Alice@Example.com:local",
    metadata: { name: "Cat #2" },
  });
  assert.equal((await settled(byEmail.body.actionId)).status, "succeeded");
  const toEmail = await webhookOf(byEmail.body.actionId);
  assert.equal(toEmail.data.recipient.email, "alice@example.com");
  const wallet = receiver.requests.find((r) => r.json?.type === "wallets.create.succeeded");
  assert.ok(wallet, "wallets.create.succeeded was sent");
  assert.equal(wallet.json.data.wallet.address, toEmail.data.recipient.walletAddress);

  const edit = await h.api("PATCH", `/collections/${cid}/nfts/${mint.body.id}`, {
    metadata: { name: "Cat #1, edited" },
  });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  assert.equal(edit.body.action, "nfts.update");
  assert.equal((await settled(edit.body.actionId)).status, "succeeded");
  const edited = await webhookOf(edit.body.actionId);
  assert.equal(edited.type, "nfts.update.succeeded");
  assert.deepEqual(edited.data.changes, ["metadata"]);
  assert.equal(
    (await h.api("GET", `/collections/${cid}/nfts/${mint.body.id}`)).body.metadata.name,
    "Cat #1, edited",
  );
  assert.equal((await publicApi("GET", tokenUri)).body.name, "Cat #1, edited");

  const burn = await h.api("DELETE", `/collections/${cid}/nfts/${mint.body.id}`);
  assert.equal(burn.status, 200, JSON.stringify(burn.body));
  assert.equal((await settled(burn.body.actionId)).status, "succeeded");
  assert.equal((await webhookOf(burn.body.actionId)).type, "nfts.delete.succeeded");
  assert.equal(
    (await h.api("GET", `/collections/${cid}/nfts/${mint.body.id}`)).body.onChain.status,
    "burned",
  );
  assert.equal((await publicApi("GET", tokenUri)).status, 404, "a burned token's metadata is gone");
});

test("a mint past the supply limit is refused with a 409 before it reaches the chain", async () => {
  const created = await h.api("PUT", "/collections/limited", {
    chain: "local",
    metadata: { name: "One only" },
    supplyLimit: 1,
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const recipient = "local:0x78359E7dF948834caFEcBE0494B010C6f7f7fA74";
  const first = await h.api("POST", "/collections/limited/nfts", {
    recipient,
    metadata: { name: "1" },
  });
  assert.equal((await settled(first.body.actionId)).status, "succeeded");
  const second = await h.api("POST", "/collections/limited/nfts", {
    recipient,
    metadata: { name: "2" },
  });
  assert.equal(second.status, 409, JSON.stringify(second.body));
  assert.deepEqual(second.body, {
    error: true,
    message: "supply limit reached: the collection allows 1 tokens",
  });
  const listed = await h.api("GET", "/collections/limited/nfts");
  assert.equal(listed.body.length, 1, "nothing was recorded");
  const again = await h.api("PUT", "/collections/limited", {
    chain: "local",
    metadata: { name: "One only" },
    supplyLimit: 1,
  });
  assert.equal(again.body.actionId, created.body.actionId, "PUT is idempotent");
});

test("a mint the contract reverts fails with the decoded revert reason", async () => {
  const created = await h.api("PUT", "/collections/drifted", {
    chain: "local",
    metadata: { name: "Changed behind Herald's back" },
    supplyLimit: 5,
  });
  assert.equal((await settled(created.body.actionId)).status, "succeeded");
  const recipient = "local:0x78359E7dF948834caFEcBE0494B010C6f7f7fA74";
  const first = await h.api("POST", "/collections/drifted/nfts", {
    recipient,
    metadata: { name: "1" },
  });
  assert.equal((await settled(first.body.actionId)).status, "succeeded");
  // The chain disagrees with Herald's records: the operator's key lowered the supply limit to
  // 1 elsewhere, so Herald's own check passes and the contract reverts.
  const contract = (await h.api("GET", "/collections/drifted")).body.onChain.contractAddress;
  const embedded = await embeddedEvmChain(h.herald);
  const operator = createWalletClient({
    account: privateKeyToAccount(SIGNER_KEY),
    chain: embedded.chain,
    transport: embedded.transport,
  });
  await operator.writeContract({
    address: contract as Address,
    abi: collectionArtifact.abi,
    functionName: "setSupplyLimit",
    args: [1n],
  });

  const second = await h.api("POST", "/collections/drifted/nfts", {
    recipient,
    metadata: { name: "2" },
  });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  const failed = await settled(second.body.actionId);
  assert.equal(failed.status, "failed");
  const webhook = await webhookOf(second.body.actionId);
  assert.equal(webhook.type, "nfts.create.failed");
  assert.equal(webhook.completedAt, undefined);
  assert.equal(webhook.data.error.reason, "execution_reverted");
  assert.match(webhook.data.error.revertReason, /supply limit reached/);
  assert.equal(webhook.data.error.callInfo.functionName, "mintTo");
  assert.equal(
    webhook.data.error.callInfo.arguments.to,
    "0x78359E7dF948834caFEcBE0494B010C6f7f7fA74",
  );
  assert.match(webhook.data.error.callInfo.calldata, /^0x/);
});

test("bad minting input is a 4xx before anything reaches the chain", async () => {
  const rows: Array<[string, string, unknown, number, RegExp]> = [
    ["POST", "/collections", { chain: "nochain", metadata: { name: "x" } }, 400, /chain "nochain"/],
    ["POST", "/collections", { chain: "local", metadata: {} }, 400, /name/],
    [
      "POST",
      "/collections/default-local/nfts",
      { recipient: "local:0x123", metadata: { name: "x" } },
      400,
      /recipient/,
    ],
    [
      "POST",
      "/collections/default-local/nfts",
      { recipient: "email:not-an-email:local", metadata: { name: "x" } },
      400,
      /recipient/,
    ],
    [
      "POST",
      "/collections/default-local/nfts",
      { recipient: "local:0x78359E7dF948834caFEcBE0494B010C6f7f7fA74", metadata: {} },
      400,
      /metadata.name/,
    ],
    [
      "POST",
      "/collections/nope/nfts",
      { recipient: "local:0x78359E7dF948834caFEcBE0494B010C6f7f7fA74", metadata: { name: "x" } },
      404,
      /collection/,
    ],
  ];
  for (const [method, path, body, status, message] of rows) {
    const res = await h.api(method, path, body);
    assert.equal(
      res.status,
      status,
      `${method} ${path} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`,
    );
    assert.match(res.body.message, message);
  }
});

test("100 concurrent mints through the API all succeed with distinct token ids", async () => {
  const recipient = "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819";
  const started = Date.now();
  const mints = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      h.api("POST", "/collections/default-local/nfts", {
        recipient,
        metadata: { name: `Bulk #${i}` },
      }),
    ),
  );
  for (const m of mints) assert.equal(m.status, 200, JSON.stringify(m.body));
  const actions = await Promise.all(mints.map((m) => settled(m.body.actionId)));
  const seconds = (Date.now() - started) / 1000;
  console.log(`100 concurrent mints: ${(100 / seconds).toFixed(0)} mints/s end to end`);
  assert.deepEqual(
    actions.map((a) => a.status),
    Array(100).fill("succeeded"),
  );
  const nfts = await Promise.all(
    mints.map((m) => h.api("GET", `/collections/default-local/nfts/${m.body.id}`)),
  );
  const tokenIds = new Set(nfts.map((n) => n.body.onChain.tokenId));
  assert.equal(tokenIds.size, 100);
});

test("PATCH /collections: a new supply limit is a transaction; new metadata completes at once", async () => {
  // "limited" (supply limit 1, one token minted) comes from the revert test above.
  const raise = await h.api("PATCH", "/collections/limited", { supplyLimit: 5 });
  assert.equal(raise.status, 200, JSON.stringify(raise.body));
  assert.equal(raise.body.action, "collections.update");
  assert.equal((await settled(raise.body.actionId)).status, "succeeded");
  const raised = await webhookOf(raise.body.actionId);
  assert.equal(raised.type, "collections.update.succeeded");
  assert.deepEqual(raised.data.changes, ["supplyLimit"]);
  assert.match(raised.data.txId, /^0x/);
  assert.equal((await h.api("GET", "/collections/limited")).body.supplyLimit, 5);

  const lower = await h.api("PATCH", "/collections/limited", { supplyLimit: 1 });
  const lowered = await settled(lower.body.actionId);
  assert.equal(lowered.status, "succeeded", "1 is not below the one token minted");

  const rename = await h.api("PATCH", "/collections/limited", { metadata: { name: "Renamed" } });
  assert.equal(rename.status, 200, JSON.stringify(rename.body));
  assert.equal(rename.body.status, "succeeded");
  assert.deepEqual((await webhookOf(rename.body.actionId)).data.changes, ["metadata"]);
  assert.equal((await h.api("GET", "/collections/limited")).body.metadata.name, "Renamed");

  const bad = await h.api("PATCH", "/collections/limited", {});
  assert.equal(bad.status, 400);
});

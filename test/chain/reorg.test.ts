// A reorg on the embedded chain (snapshot → mint confirmed → revert): the action goes back to
// pending, the transaction is rebroadcast, and the succeeded webhook goes out again only once
// the configured depth is reached on the surviving chain; after the finality depth the job
// closes. The chain-observed `asset.minted` of the re-mined transaction is not sent twice.
// A holder's own transfer that a reorg removes is announced (`asset.reorged`), and Herald's
// record of the token's owner goes back.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { EmbeddedChain } from "../../src/chain/evm/embedded/embedded-chain.js";
import {
  embeddedEvmChain,
  eventually,
  startTestHerald,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";
import { createWalletClient, parseEther, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { collectionArtifact } from "../../src/chain/evm/artifacts.js";

const CONFIRMATIONS = 2;
const FINALITY = 6;

let h: TestHerald;
let receiver: Receiver;
let chain: EmbeddedChain;
// The operator's own key signs for Herald, and pays the holder's gas.
const signerKey = generatePrivateKey();

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  h = await startTestHerald({
    HERALD_CHAINS: JSON.stringify([
      { name: "local", confirmations: CONFIRMATIONS, finality: FINALITY, privateKey: signerKey },
    ]),
  });
  receiver = await Receiver.start();
  await h.api("POST", "/webhooks/endpoints", { url: receiver.url + "/hook" });
});
after(async () => {
  await h.stop();
  await receiver.close();
});

const action = async (id: string) => (await h.api("GET", `/actions/${id}`)).body;
const webhooks = (type: string, actionId?: string) =>
  receiver.requests.filter(
    // Crossmint's envelope names its type `type`, Original's body `event`.
    (r) =>
      (r.json?.type ?? r.json?.event) === type &&
      (actionId === undefined || r.json.actionId === actionId),
  );

/** Mines a block at a time until the action leaves pending (automine adds none by itself). */
async function mineUntilSettled(actionId: string) {
  return eventually(
    async () => {
      const current = await action(actionId);
      if (current.status !== "pending") return current;
      await chain.mine();
      return null;
    },
    { intervalMs: 50, message: `action ${actionId}` },
  );
}

test("a reorged mint goes back to pending and is confirmed again on the surviving chain", async () => {
  const created = await h.api("POST", "/collections", {
    chain: "local",
    metadata: { name: "Reorg Cats" },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  chain = await embeddedEvmChain(h.herald);
  assert.equal((await mineUntilSettled(created.body.actionId)).status, "succeeded");
  const cid = created.body.id;

  const snapshot = await chain.snapshot();
  const head = () => chain.provider.request({ method: "eth_blockNumber" });
  const headBefore = await head();
  const mint = await h.api("POST", `/collections/${cid}/nfts`, {
    recipient: "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819",
    metadata: { name: "Cat #1" },
  });
  assert.equal(mint.status, 200, JSON.stringify(mint.body));
  const actionId = mint.body.actionId;
  // Mined (automine) but one block deep: not confirmed yet.
  await eventually(async () => (await head()) !== headBefore, { message: "the mint mined" });
  await sleep(300);
  assert.equal((await action(actionId)).status, "pending");
  assert.equal((await mineUntilSettled(actionId)).status, "succeeded");
  const first = await eventually(() => webhooks("nfts.create.succeeded", actionId)[0], {
    message: "the first succeeded webhook",
  });
  const txId = first.json.data.txId;
  await eventually(() => webhooks("asset.minted").length === 1, { message: "asset.minted" });

  // The block holding the mint disappears, and the mempool with it.
  assert.equal(await chain.revert(snapshot), true);
  const reopened = await eventually(
    async () => {
      const current = await action(actionId);
      return current.status === "pending" ? current : null;
    },
    { message: "the action back to pending" },
  );
  assert.equal(reopened.completedAt, undefined);
  const nft = await h.api("GET", `/collections/${cid}/nfts/${mint.body.id}`);
  assert.equal(nft.body.onChain.status, "pending", JSON.stringify(nft.body));
  // Announced: the action, its previous completion and the orphaned transaction and block.
  const reorged = await eventually(() => webhooks("action.reorged", actionId)[0], {
    message: "action.reorged",
  });
  assert.deepEqual(reorged.json.data, {
    actionId,
    action: "nfts.create",
    previousStatus: "succeeded",
    chain: "local",
    orphaned: {
      txId,
      blockNumber: reorged.json.data.orphaned.blockNumber,
      blockHash: reorged.json.data.orphaned.blockHash,
    },
  });
  assert.match(reorged.json.data.orphaned.blockHash, /^0x[0-9a-f]{64}$/);
  assert.ok(
    Number(headBefore) < reorged.json.data.orphaned.blockNumber,
    "a block after the snapshot",
  );

  // Rebroadcast and mined again (automine), one block deep: still pending, no second webhook.
  await eventually(
    async () =>
      (await chain.provider.request({ method: "eth_getTransactionReceipt", params: [txId] })) !==
      null,
    { message: "the rebroadcast transaction mined" },
  );
  await sleep(300);
  assert.equal((await action(actionId)).status, "pending");
  assert.equal(webhooks("nfts.create.succeeded", actionId).length, 1);

  // One more block on the surviving chain: confirmed again, a second webhook.
  await chain.mine();
  const second = await eventually(() => webhooks("nfts.create.succeeded", actionId)[1], {
    message: "the second succeeded webhook",
  });
  assert.notEqual(second.headers["webhook-id"], first.headers["webhook-id"]);
  assert.ok(
    receiver.requests.indexOf(reorged) < receiver.requests.indexOf(second),
    "action.reorged arrives before the second completion",
  );
  assert.equal(webhooks("action.reorged", actionId).length, 1);
  assert.equal(second.json.data.txId, txId, "the same signed transaction, rebroadcast");
  assert.equal(second.json.data.token.tokenId, "1");
  assert.equal((await action(actionId)).status, "succeeded");

  // Final after FINALITY blocks: the job closes; the re-mined log was not published again.
  await chain.mine(FINALITY);
  await eventually(
    async () => (await h.herald.services.store.listOpenChainJobs("local", 10)).length === 0,
    { message: "every job closed at finality" },
  );
  await sleep(200);
  assert.equal(webhooks("asset.minted").length, 1);
  assert.equal(webhooks("nfts.create.succeeded", actionId).length, 2);
});

test("a holder's transfer that a reorg removes is announced, and the owner goes back", async () => {
  const created = await h.api("POST", "/collections", {
    chain: "local",
    metadata: { name: "Reorg Dogs" },
  });
  chain = await embeddedEvmChain(h.herald);
  assert.equal((await mineUntilSettled(created.body.actionId)).status, "succeeded");
  const cid = created.body.id;
  const contract = (await h.api("GET", `/collections/${cid}`)).body.onChain
    .contractAddress as Address;
  const holderKey = generatePrivateKey();
  const holder = privateKeyToAccount(holderKey).address;
  const other = privateKeyToAccount(generatePrivateKey()).address;
  const mint = await h.api("POST", `/collections/${cid}/nfts`, {
    recipient: `local:${holder}`,
    metadata: { name: "Dog #1" },
  });
  assert.equal((await mineUntilSettled(mint.body.actionId)).status, "succeeded");
  const nftPath = `/collections/${cid}/nfts/${mint.body.id}`;
  const tokenId = BigInt((await h.api("GET", nftPath)).body.onChain.tokenId);
  const operator = createWalletClient({
    account: privateKeyToAccount(signerKey),
    chain: chain.chain,
    transport: chain.transport,
  });
  await operator.sendTransaction({ to: holder, value: parseEther("1") });

  // The holder's own transfer, confirmed and published.
  const snapshot = await chain.snapshot();
  const transferHash = await createWalletClient({
    account: privateKeyToAccount(holderKey),
    chain: chain.chain,
    transport: chain.transport,
  }).writeContract({
    address: contract,
    abi: collectionArtifact.abi,
    functionName: "transferFrom",
    args: [holder, other, tokenId],
  });
  await chain.mine(CONFIRMATIONS);
  const transferred = await eventually(() => webhooks("asset.transferred")[0], {
    message: "asset.transferred",
  });
  assert.equal(transferred.json.data.transaction_log.transaction_hash, transferHash);
  await eventually(async () => (await h.api("GET", nftPath)).body.onChain.owner === other, {
    message: "the record follows the transfer",
  });

  // The block holding it disappears (the mempool too); the surviving chain grows past it.
  assert.equal(await chain.revert(snapshot), true);
  await chain.mine(FINALITY);
  const reorged = await eventually(() => webhooks("asset.reorged")[0], {
    message: "asset.reorged",
  });
  const { undone_event, ...data } = reorged.json.data;
  assert.deepEqual(undone_event, {
    id: transferred.json["x-webhook-correlation-id"],
    type: "asset.transferred",
  });
  assert.deepEqual(data, transferred.json.data, "the undone event's data");
  await eventually(async () => (await h.api("GET", nftPath)).body.onChain.owner === holder, {
    message: "the owner goes back",
  });
  await chain.mine(FINALITY);
  await sleep(300);
  assert.equal(webhooks("asset.reorged").length, 1, "announced once");
  assert.equal(webhooks("asset.transferred").length, 1);
});

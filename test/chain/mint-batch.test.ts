// Queued mints of one collection go in one transaction (`mintBatch`), each NFT still its own
// action and webhook with its own token id, read from the transaction's logs in call order.
// On the embedded chain: a Crossmint batch-mint request of 30 NFTs with `mintBatch: 25`.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { createPublicClient, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { collectionArtifact } from "../../src/chain/evm/artifacts.js";
import {
  embeddedEvmChain,
  eventually,
  startTestHerald,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";

const BATCH = 25;
const COUNT = 30;

let h: TestHerald;
let receiver: Receiver;

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  h = await startTestHerald({
    HERALD_CHAINS: JSON.stringify([{ name: "local", mintBatch: BATCH }]),
  });
  receiver = await Receiver.start();
  await h.api("POST", "/webhooks/endpoints", {
    url: receiver.url + "/hook",
    eventTypes: ["nfts.create.succeeded", "nfts.create.failed"],
  });
});
after(async () => {
  await h.stop();
  await receiver.close();
});

test("30 queued mints of a collection: two transactions, each NFT its own token and webhook", async () => {
  const created = await h.api("POST", "/collections", {
    chain: "local",
    metadata: { name: "Batched" },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const deployed = await h.api("GET", `/actions/${created.body.actionId}?wait=20`);
  assert.equal(deployed.body.status, "succeeded");
  const cid = created.body.id;

  const recipients = Array.from(
    { length: COUNT },
    () => privateKeyToAccount(generatePrivateKey()).address,
  );
  const batch = await h.api("POST", `/collections/${cid}/nfts`, {
    nfts: recipients.map((address, i) => ({
      recipient: `local:${address}`,
      metadata: { name: `Item ${i}` },
    })),
  });
  assert.equal(batch.status, 200, JSON.stringify(batch.body));
  const results = batch.body.results as { id: string; actionId: string }[];
  assert.equal(results.length, COUNT);

  const webhooks = (await eventually(
    () => {
      const found = receiver.requests.filter((r) => r.json?.type?.startsWith("nfts.create."));
      return found.length >= COUNT ? found : null;
    },
    { message: "a webhook per NFT", timeoutMs: 60_000 },
  ))!;
  assert.equal(webhooks.length, COUNT, "one webhook per NFT, none twice");
  const byAction = new Map(webhooks.map((r) => [r.json.actionId as string, r.json]));
  const chain = await embeddedEvmChain(h.herald);
  const client = createPublicClient({ chain: chain.chain, transport: chain.transport });
  const contract = (await h.api("GET", `/collections/${cid}`)).body.onChain
    .contractAddress as Address;
  const txIds = new Set<string>();
  const tokenIds = new Set<string>();
  for (const [i, { id, actionId }] of results.entries()) {
    const body = byAction.get(actionId);
    assert.equal(body?.type, "nfts.create.succeeded", `NFT ${i}: ${JSON.stringify(body)}`);
    const tokenId = body.data.token.tokenId as string;
    tokenIds.add(tokenId);
    txIds.add(body.data.txId);
    // The token is the recipient's, with this NFT's own URI.
    const owner = await client.readContract({
      address: contract,
      abi: collectionArtifact.abi,
      functionName: "ownerOf",
      args: [BigInt(tokenId)],
    });
    assert.equal(owner, recipients[i], `NFT ${i}'s token ${tokenId}`);
    const uri = (await client.readContract({
      address: contract,
      abi: collectionArtifact.abi,
      functionName: "tokenURI",
      args: [BigInt(tokenId)],
    })) as string;
    assert.ok(uri.endsWith(`/${cid}/${id}`), `${uri} is NFT ${i}'s`);
    const nft = (await h.api("GET", `/collections/${cid}/nfts/${id}`)).body;
    assert.equal(nft.onChain.tokenId, tokenId);
    assert.equal(nft.onChain.status, "success");
  }
  assert.equal(tokenIds.size, COUNT, "distinct token ids");
  assert.deepEqual(
    [...tokenIds].map(Number).sort((a, b) => a - b),
    Array.from({ length: COUNT }, (_, i) => i + 1),
  );
  for (const hash of txIds) {
    const receipt = await client.getTransactionReceipt({ hash: hash as `0x${string}` });
    const mints = webhooks.filter((r) => r.json.data.txId === hash).length;
    console.log(`# ${mints} mints in one transaction: ${receipt.gasUsed} gas`);
  }
  assert.ok(txIds.size <= 3, `${txIds.size} transactions for ${COUNT} mints`);
  assert.ok(txIds.size >= 2, `a batch holds at most ${BATCH}`);
});

// Crossmint's minting API, with the requests of its documentation sent as they are (each test
// names its page), to Herald with `polygon` configured by name (crossmint-fixture.ts). What comes
// back is checked against the documented answers; webhooks are verified with svix.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPublicClient, http, type Address } from "viem";
import { collectionArtifact } from "../../src/chain/evm/artifacts.js";
import {
  assertChecksummed,
  settled,
  startCrossmintWorld,
  verifiedWebhook,
  type CrossmintWorld,
} from "./crossmint-fixture.js";

let world: CrossmintWorld;
let collectionId: string;
let contractAddress: string;

before(async () => {
  world = await startCrossmintWorld();
});
after(async () => {
  await world.stop();
});

// https://docs.crossmint.com/docs/create-your-collection (request and response examples)
const CREATE_COLLECTION = {
  chain: "polygon",
  metadata: {
    name: "Sample NFT Collection",
    description: "This is a sample NFT collection",
    imageUrl: "https://www.crossmint.com/assets/crossmint/logo.png",
    symbol: "TOKEN",
  },
  fungibility: "non-fungible",
  transferable: true,
  supplyLimit: 123,
  payments: { price: "<string>", recipientAddress: "<string>", currency: "<string>" },
  subscription: { enabled: false },
  reuploadLinkedFiles: true,
};

// https://docs.crossmint.com/reference/mint-nft (request example)
const MINT = {
  metadata: {
    name: "Crossmint Example NFT",
    image: "https://www.crossmint.com/assets/crossmint/logo.png",
    description: "My NFT created via the mint API!",
    animation_url: "",
    attributes: [{ trait_type: "<string>", value: "<string>", display_type: "boost_number" }],
  },
  recipient: "email:testy@crossmint.com:polygon",
  sendNotification: true,
  locale: "en-US",
  reuploadLinkedFiles: true,
  compressed: true,
};

test("create a collection: POST /collections/ with the documented body", async () => {
  const res = await world.h.api("POST", "/collections/", CREATE_COLLECTION);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // The documented answer: id == actionId, onChain {chain, type}, the metadata given.
  assert.equal(res.body.id, res.body.actionId);
  assert.deepEqual(res.body.onChain, { chain: "polygon", type: "erc-721" });
  assert.deepEqual(res.body.metadata, CREATE_COLLECTION.metadata);
  assert.equal(res.body.fungibility, "non-fungible");
  collectionId = res.body.id;
  const action = await settled(world.h, res.body.actionId);
  assert.equal(action.status, "succeeded", JSON.stringify(action));
  const { body } = await verifiedWebhook(world, "collections.create.succeeded", res.body.actionId);
  contractAddress = body.data.collection.contractAddress;
  assertChecksummed(body, "collections.create.succeeded");
  // https://docs.crossmint.com/reference/list-collections: GET /collections/ lists, `results`.
  const list = await world.h.api("GET", "/collections/");
  assert.equal(list.status, 200);
  const listed = list.body.results.find((c: any) => c.id === collectionId);
  assert.equal(listed.onChain.contractAddress, contractAddress);
  assertChecksummed(list.body, "GET /collections/");
});

test("update a collection: the documented PATCH body (supplyLimit and payments)", async () => {
  // https://docs.crossmint.com/api-reference/minting/collection/update-collection
  const res = await world.h.api("PATCH", `/collections/${collectionId}`, {
    supplyLimit: 123,
    payments: { price: "<string>", recipientAddress: "<string>" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.action, "collections.update");
  assert.equal(res.body.data.collection.contractAddress, contractAddress);
  assert.equal((await settled(world.h, res.body.actionId)).status, "succeeded");
  // payments alone: accepted, nothing to do on a chain.
  const alone = await world.h.api("PATCH", `/collections/${collectionId}`, {
    payments: { price: "0.001", recipientAddress: "0x6C3b3225759Cbda68F96378A9F0277B4374f9F06" },
  });
  assert.equal(alone.status, 200, JSON.stringify(alone.body));
  assert.equal(alone.body.status, "succeeded");
});

test("mint: the documented body; id == actionId; the action while pending; the webhook", async () => {
  const res = await world.h.api("POST", `/collections/${collectionId}/nfts`, MINT);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  // https://docs.crossmint.com/reference/mint-nft (response): {id, onChain{status, chain,
  // contractAddress}, actionId} with id == actionId.
  assert.equal(res.body.id, res.body.actionId);
  assert.equal(res.body.onChain.chain, "polygon");
  assert.equal(res.body.onChain.contractAddress, contractAddress);
  // https://docs.crossmint.com/reference/get-action-status: the action by the NFT's id, with
  // the collection's contract and the recipient's wallet while pending.
  const pending = await world.h.api("GET", `/actions/${res.body.id}`);
  assert.equal(pending.status, 200);
  assert.equal(pending.body.action, "nfts.create");
  assert.equal(pending.body.data.collection.contractAddress, contractAddress);
  assert.match(pending.body.data.recipient.walletAddress, /^0x[0-9a-fA-F]{40}$/);
  assert.equal(pending.body.data.token.id, res.body.id);
  assertChecksummed(pending.body, "the pending action");
  assert.equal((await settled(world.h, res.body.actionId)).status, "succeeded");
  const { body } = await verifiedWebhook(world, "nfts.create.succeeded", res.body.actionId);
  assert.equal(body.data.recipient.email, "testy@crossmint.com");
  assertChecksummed(body, "nfts.create.succeeded");
  // https://docs.crossmint.com/api-reference/minting/nfts/mint-status: `action` is its URL.
  const status = await world.h.api("GET", `/collections/${collectionId}/nfts/${res.body.id}`);
  assert.equal(status.body.onChain.status, "success");
  assert.match(status.body.action, new RegExp(`/api/2022-06-09/actions/${res.body.actionId}$`));
  assertChecksummed(status.body, "mint status");
});

test("mint with an id: PUT …/nfts/order.42 is an idempotency key; repeating it mints nothing", async () => {
  // https://docs.crossmint.com/reference/mint-nft-idempotent
  const path = `/collections/${collectionId}/nfts/order.42`;
  const first = await world.h.api("PUT", path, MINT);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.id, first.body.actionId, "the NFT's id is its action's");
  const again = await world.h.api("PUT", path, MINT);
  assert.equal(again.body.id, first.body.id);
  assert.equal((await settled(world.h, first.body.actionId)).status, "succeeded");
  const byKey = await world.h.api("GET", path);
  assert.equal(byKey.status, 200);
  assert.equal(byKey.body.id, first.body.id);
  for (const bad of ["..", "a%2Fb"]) {
    const res = await world.h.api("PUT", `/collections/${collectionId}/nfts/${bad}`, MINT);
    assert.equal(res.status, 400, `${bad}: ${JSON.stringify(res.body)}`);
  }
});

test("batch mint: POST …/nfts/ with {nfts: [...]} answers {results: [...]}", async () => {
  // https://docs.crossmint.com/api-reference/minting/nfts/batch-mint-nfts
  const item = (i: number) => ({
    recipient: "email:testy@crossmint.com:polygon",
    metadata: { ...MINT.metadata, name: `Batch ${i}` },
    compressed: true,
    id: `batch-${i}`,
  });
  const res = await world.h.api("POST", `/collections/${collectionId}/nfts/`, {
    nfts: [item(1), item(2), item(3)],
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.results.length, 3);
  for (const result of res.body.results) {
    assert.equal(result.id, result.actionId);
    assert.equal(result.onChain.chain, "polygon");
    assert.equal((await settled(world.h, result.actionId)).status, "succeeded");
    await verifiedWebhook(world, "nfts.create.succeeded", result.actionId);
  }
  // One bad item: nothing is minted; every problem named with its index.
  const before = (await world.h.api("GET", `/collections/${collectionId}/nfts?page=1&perPage=100`))
    .body.length;
  const bad = await world.h.api("POST", `/collections/${collectionId}/nfts/`, {
    nfts: [item(4), { ...item(5), recipient: "polygon:0x12" }, { ...item(6), metadata: {} }],
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(
    bad.body.validationErrors.map((e: any) => [e.index, e.id]),
    [
      [1, "batch-5"],
      [2, "batch-6"],
    ],
  );
  const after = (await world.h.api("GET", `/collections/${collectionId}/nfts?page=1&perPage=100`))
    .body.length;
  assert.equal(after, before, "nothing of the batch was minted");
  const tooMany = await world.h.api("POST", `/collections/${collectionId}/nfts/`, {
    nfts: Array.from({ length: 126 }, (_, i) => item(100 + i)),
  });
  assert.equal(tooMany.status, 400);
});

test("metadata given as the URL of published metadata is the token URI", async () => {
  // https://docs.crossmint.com/reference/mint-nft: "Enter a URL to a JSON file containing the
  // metadata contents".
  const uri = "https://metadata.example.com/tokens/1.json";
  const res = await world.h.api("POST", `/collections/${collectionId}/nfts`, {
    recipient: "polygon:0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    metadata: uri,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const action = await settled(world.h, res.body.actionId);
  assert.equal(action.status, "succeeded", JSON.stringify(action));
  const client = createPublicClient({ transport: http(world.node.rpcUrl) });
  const onChain = await client.readContract({
    address: contractAddress as Address,
    abi: collectionArtifact.abi,
    functionName: "tokenURI",
    args: [BigInt(action.data.token.tokenId)],
  });
  assert.equal(onChain, uri);
});

test("edit and burn: the pending actions carry the token; a DELETE with a JSON type and no body burns", async () => {
  const minted = await world.h.api("POST", `/collections/${collectionId}/nfts`, MINT);
  const mintAction = await settled(world.h, minted.body.actionId);
  const nftPath = `/collections/${collectionId}/nfts/${minted.body.id}`;
  // https://docs.crossmint.com/reference/edit-nft (request example)
  const edit = await world.h.api("PATCH", nftPath, {
    metadata: { ...MINT.metadata, name: "Edited" },
    reuploadLinkedFiles: true,
  });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  assert.equal(edit.body.action, "nfts.update");
  assert.equal(edit.body.data.token.tokenId, mintAction.data.token.tokenId);
  assert.equal(edit.body.data.token.owner.walletAddress, mintAction.data.token.owner.walletAddress);
  assert.deepEqual(edit.body.data.changes, ["metadata"]);
  assert.equal((await settled(world.h, edit.body.actionId)).status, "succeeded");
  // https://docs.crossmint.com/api-reference/minting/nfts/burn-nft
  const burn = await world.h.api("DELETE", nftPath, "", { "content-type": "application/json" });
  assert.equal(burn.status, 200, JSON.stringify(burn.body));
  assert.equal(burn.body.action, "nfts.delete");
  assert.equal(burn.body.data.token.tokenId, mintAction.data.token.tokenId);
  assert.equal((await settled(world.h, burn.body.actionId)).status, "succeeded");
  await verifiedWebhook(world, "nfts.delete.succeeded", burn.body.actionId);
});

test("recipients: userId gets a wallet of its own; twitter is a clear 400", async () => {
  // https://docs.crossmint.com/minting/advanced/specify-recipient
  const byUser = await world.h.api("POST", `/collections/${collectionId}/nfts`, {
    ...MINT,
    recipient: "userId:testy@crossmint.com:polygon",
  });
  assert.equal(byUser.status, 200, JSON.stringify(byUser.body));
  const action = await settled(world.h, byUser.body.actionId);
  const byEmail = await world.h.api(
    "GET",
    `/actions/${(await world.h.api("POST", `/collections/${collectionId}/nfts`, MINT)).body.actionId}`,
  );
  assert.notEqual(
    action.data.recipient.walletAddress,
    byEmail.body.data.recipient.walletAddress,
    "a user id and an email of the same text have different wallets",
  );
  const twitter = await world.h.api("POST", `/collections/${collectionId}/nfts`, {
    ...MINT,
    recipient: "twitter:crossmint:polygon",
  });
  assert.equal(twitter.status, 400);
  assert.match(twitter.body.message, /identity provider/);
});

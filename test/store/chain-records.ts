// Chain records for the store contract files, built with explicit times relative to T0: a
// collection, a job, an NFT, and each created through the store with its action and job.
import assert from "node:assert/strict";
import type { ChainJobKind, Collection, Nft } from "../../src/core/chain/chain-types.js";
import type { NewChainJob } from "../../src/core/ports/chain-store.js";
import { newId } from "../../src/core/runtime/ids.js";
import { T0, type Fixture } from "./store-fixtures.js";

export const CHAIN = "local";

export function collectionRecord(projectId: string, fields: Partial<Collection> = {}): Collection {
  return {
    projectId,
    id: `col-${newId()}`,
    chain: CHAIN,
    metadata: { name: "Heralds", symbol: "HRLD", description: "Ünïcødé ✓" },
    fungibility: "non-fungible",
    transferable: true,
    custody: true,
    supplyLimit: null,
    status: "pending",
    contractAddress: null,
    actionId: newId(),
    createdAt: T0,
    updatedAt: T0,
    ...fields,
  };
}

/** A job on `subject`: a collection id, or `<collectionId>/<nftId>`. The payload is any JSON
 * here (the store keeps it as given). */
export function jobRecord(
  projectId: string,
  kind: ChainJobKind,
  subject: string,
  actionId: string,
  fields: Record<string, unknown> = {},
): NewChainJob {
  const [collectionId, nftId = null] = subject.split("/");
  return {
    id: newId(),
    projectId,
    chain: CHAIN,
    kind,
    collectionId,
    nftId,
    actionId,
    payload: { subject, nested: { list: [1, "two", null] } },
    runAt: T0,
    createdAt: T0,
    ...fields,
  } as unknown as NewChainJob;
}

export async function newCollection(
  fx: Fixture,
  projectId: string,
  fields: Partial<Collection> = {},
) {
  const collection = collectionRecord(projectId, fields);
  const action = fx.action(projectId, {
    id: collection.actionId,
    action: "collections.create",
    data: { collection: { id: collection.id } },
  });
  const job = jobRecord(projectId, "deploy", collection.id, action.id, { chain: collection.chain });
  const result = await fx.store.createCollection(collection, action, job);
  assert.deepEqual(result, { created: true, collection });
  return { collection, action, job };
}

export function nftRecord(collection: Collection, fields: Partial<Nft> = {}): Nft {
  return {
    projectId: collection.projectId,
    collectionId: collection.id,
    id: `nft-${newId()}`,
    recipient: `${collection.chain}:0x00000000000000000000000000000000000000a1`,
    email: null,
    owner: "0x00000000000000000000000000000000000000a1",
    metadata: { name: "Token", attributes: [{ trait: "rarity", value: 3 }] },
    tokenId: null,
    status: "pending",
    txId: null,
    actionId: newId(),
    idempotencyKey: null,
    tokenUri: null,
    createdAt: T0,
    updatedAt: T0,
    ...fields,
  };
}

/** createNft with its action and mint job; returns all three and what the store answered. */
export async function createNft(
  fx: Fixture,
  collection: Collection,
  fields: Partial<Nft> = {},
  supplyLimit: number | null = null,
) {
  const nft = nftRecord(collection, fields);
  const action = fx.action(collection.projectId, { id: nft.actionId });
  const job = jobRecord(collection.projectId, "mint", `${collection.id}/${nft.id}`, action.id, {
    chain: collection.chain,
  });
  const result = await fx.store.createNft(nft, action, job, supplyLimit);
  return { nft, action, job, result };
}

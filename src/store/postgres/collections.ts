import type { Collection, Nft } from "../../core/chain/chain-types.js";
import type { Action, Page } from "../../core/interfaces.js";
import type { NftPatch } from "../../core/chain/job-effects.js";
import type { NewChainJob } from "../../core/ports/chain-store.js";
import type { PageRequest } from "../../core/ports/store.js";
import { insertAction } from "./actions.js";
import { insertChainJob } from "./chain-jobs.js";
import { atomically, row, rows, run, type Db } from "./database.js";
import { NFT_COLUMNS, nftValues, num, pageOf, toCollection, toNft } from "../rows.js";

export async function getCollection(
  db: Db,
  projectId: string,
  id: string,
): Promise<Collection | null> {
  const found = await row(db, "SELECT * FROM collections WHERE project_id = $1 AND id = $2", [
    projectId,
    id,
  ]);
  return found ? toCollection(found) : null;
}

/** The collection, its pending `collections.create` action and the deploy job; or the existing one. */
export function createCollection(
  db: Db,
  collection: Collection,
  action: Action,
  job: NewChainJob,
): Promise<{ created: boolean; collection: Collection }> {
  return atomically(db, async (client) => {
    // ON CONFLICT: a concurrent create of the same id waits for the first, then gets it.
    const inserted = await run(
      client,
      `INSERT INTO collections (project_id, id, chain, metadata, fungibility, transferable,
         supply_limit, status, contract_address, action_id, created_at, updated_at, custody)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (project_id, id) DO NOTHING`,
      [
        collection.projectId,
        collection.id,
        collection.chain,
        JSON.stringify(collection.metadata),
        collection.fungibility,
        collection.transferable,
        collection.supplyLimit,
        collection.status,
        collection.contractAddress,
        collection.actionId,
        collection.createdAt,
        collection.updatedAt,
        collection.custody ?? false,
      ],
    );
    if (inserted === 0) {
      const existing = await getCollection(client, collection.projectId, collection.id);
      return { created: false, collection: existing! };
    }
    await insertAction(client, action);
    await insertChainJob(client, job);
    return { created: true, collection };
  });
}

export async function listCollections(
  db: Db,
  projectId: string,
  page: PageRequest,
): Promise<Page<Collection>> {
  const found = await rows(
    db,
    "SELECT * FROM collections WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    [projectId, page.cursor ?? "", page.limit + 1],
  );
  return pageOf(found.map(toCollection), page.limit);
}

export function updateCollection(
  db: Db,
  projectId: string,
  id: string,
  patch: Partial<Pick<Collection, "status" | "contractAddress" | "supplyLimit" | "metadata">>,
  at: number,
): Promise<void> {
  return atomically(db, async (client) => {
    const found = await row(
      client,
      "SELECT * FROM collections WHERE project_id = $1 AND id = $2 FOR NO KEY UPDATE",
      [projectId, id],
    );
    if (!found) return;
    const next = { ...toCollection(found), ...patch };
    await run(
      client,
      `UPDATE collections SET status = $1, contract_address = $2, supply_limit = $3, metadata = $4,
         updated_at = $5
       WHERE project_id = $6 AND id = $7`,
      [
        next.status,
        next.contractAddress,
        next.supplyLimit,
        JSON.stringify(next.metadata),
        at,
        projectId,
        id,
      ],
    );
  });
}

export async function getNft(
  db: Db,
  projectId: string,
  collectionId: string,
  id: string,
): Promise<Nft | null> {
  const found = await row(
    db,
    "SELECT * FROM nfts WHERE project_id = $1 AND collection_id = $2 AND id = $3",
    [projectId, collectionId, id],
  );
  return found ? toNft(found) : null;
}

/** The NFT, its pending `nfts.create` action and the mint job; or the existing one (idempotent
 * PUT); or `limitReached` (burned tokens count: the contract's limit counts every mint). */
/** The NFT a PUT with this idempotency key minted, if any. */
export async function getNftByKey(
  db: Db,
  projectId: string,
  collectionId: string,
  key: string,
): Promise<Nft | null> {
  const found = await row(
    db,
    "SELECT * FROM nfts WHERE project_id = $1 AND collection_id = $2 AND idempotency_key = $3",
    [projectId, collectionId, key],
  );
  return found ? toNft(found) : null;
}

/** The NFT minted before with this one's idempotency key, or else its id. */
function earlier(db: Db, nft: Nft): Promise<Nft | null> {
  return nft.idempotencyKey
    ? getNftByKey(db, nft.projectId, nft.collectionId, nft.idempotencyKey)
    : getNft(db, nft.projectId, nft.collectionId, nft.id);
}

/** Inserts the NFT unless one with its id or key exists; whether it did. */
async function insertNft(db: Db, nft: Nft): Promise<boolean> {
  const places = NFT_COLUMNS.map((_, i) => `$${i + 1}`).join(", ");
  const inserted = await run(
    db,
    `INSERT INTO nfts (${NFT_COLUMNS.join(", ")}) VALUES (${places}) ON CONFLICT DO NOTHING`,
    nftValues(nft),
  );
  return inserted > 0;
}

/** Thrown inside a batch's transaction to undo it: the collection has no room for it. */
class NoRoom extends Error {}

export async function createNft(
  db: Db,
  nft: Nft,
  action: Action,
  job: NewChainJob,
  supplyLimit: number | null,
): Promise<{ created: boolean; nft: Nft } | { limitReached: true }> {
  const created = await createNfts(db, [{ nft, action, job }], supplyLimit);
  return "limitReached" in created ? created : created[0]!;
}

/**
 * NFTs with their actions and mint jobs, in one transaction: all of them, or none when the
 * collection has no room for the new ones (`limitReached`). One minted before with the same
 * id (or idempotency key), here or by a concurrent request, is given back instead.
 */
export async function createNfts(
  db: Db,
  items: Array<{ nft: Nft; action: Action; job: NewChainJob }>,
  supplyLimit: number | null,
): Promise<Array<{ created: boolean; nft: Nft }> | { limitReached: true }> {
  try {
    return await atomically(db, async (client) => {
      const [first] = items;
      if (supplyLimit && first) {
        // Mints into a limited collection count one after another, or two could both see
        // room for the last token.
        await client.query(
          "SELECT 1 FROM collections WHERE project_id = $1 AND id = $2 FOR NO KEY UPDATE",
          [first.nft.projectId, first.nft.collectionId],
        );
      }
      const results: Array<{ created: boolean; nft: Nft }> = [];
      for (const { nft, action, job } of items) {
        const existing = await earlier(client, nft);
        if (existing) {
          results.push({ created: false, nft: existing });
          continue;
        }
        if (supplyLimit) {
          const counted = await row(
            client,
            `SELECT count(*) AS n FROM nfts
             WHERE project_id = $1 AND collection_id = $2 AND status <> 'failed'`,
            [nft.projectId, nft.collectionId],
          );
          if (num(counted!.n) >= supplyLimit) throw new NoRoom();
        }
        if (!(await insertNft(client, nft))) {
          // Created by a concurrent request since the check above.
          results.push({ created: false, nft: (await earlier(client, nft))! });
          continue;
        }
        await insertAction(client, action);
        await insertChainJob(client, job);
        results.push({ created: true, nft });
      }
      return results;
    });
  } catch (error) {
    if (error instanceof NoRoom) return { limitReached: true };
    throw error;
  }
}

export async function listNfts(
  db: Db,
  projectId: string,
  collectionId: string,
  page: PageRequest,
): Promise<Page<Nft>> {
  const found = await rows(
    db,
    `SELECT * FROM nfts WHERE project_id = $1 AND collection_id = $2 AND id > $3
     ORDER BY id LIMIT $4`,
    [projectId, collectionId, page.cursor ?? "", page.limit + 1],
  );
  return pageOf(found.map(toNft), page.limit);
}

export function updateNft(
  db: Db,
  projectId: string,
  collectionId: string,
  id: string,
  patch: NftPatch,
  at: number,
): Promise<void> {
  return atomically(db, async (client) => {
    const found = await row(
      client,
      `SELECT * FROM nfts WHERE project_id = $1 AND collection_id = $2 AND id = $3
       FOR NO KEY UPDATE`,
      [projectId, collectionId, id],
    );
    if (!found) return;
    const next = { ...toNft(found), ...patch };
    await run(
      client,
      `UPDATE nfts SET status = $1, token_id = $2, tx_id = $3, metadata = $4, owner = $5,
         token_uri = $6, updated_at = $7
       WHERE project_id = $8 AND collection_id = $9 AND id = $10`,
      [
        next.status,
        next.tokenId,
        next.txId,
        JSON.stringify(next.metadata),
        next.owner,
        next.tokenUri,
        at,
        projectId,
        collectionId,
        id,
      ],
    );
  });
}

/** A follow-up operation (edit, burn, supply limit): its pending action and its job, together. */
export function queueOperation(db: Db, action: Action, job: NewChainJob): Promise<void> {
  return atomically(db, async (client) => {
    await insertAction(client, action);
    await insertChainJob(client, job);
  });
}

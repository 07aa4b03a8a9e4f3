import type { Collection, Nft } from "../../core/chain/chain-types.js";
import type { Action, Page } from "../../core/interfaces.js";
import type { PageRequest } from "../../core/ports/store.js";
import { insertAction } from "./actions.js";
import type { NftPatch } from "../../core/chain/job-effects.js";
import type { NewChainJob } from "../../core/ports/chain-store.js";
import { insertChainJob } from "./chain-jobs.js";
import { sql, type Db } from "./database.js";
import { NFT_COLUMNS, nftValues, pageOf, toCollection, toNft } from "../rows.js";

type Row = Record<string, unknown>;

export function getCollection(db: Db, projectId: string, id: string): Collection | null {
  const row = sql(db, "SELECT * FROM collections WHERE project_id = ? AND id = ?").get(
    projectId,
    id,
  ) as Row | undefined;
  return row ? toCollection(row) : null;
}

/** The collection, its pending `collections.create` action and the deploy job; or the existing one. */
export function createCollection(
  db: Db,
  collection: Collection,
  action: Action,
  job: NewChainJob,
): { created: boolean; collection: Collection } {
  return db.transaction(() => {
    const existing = getCollection(db, collection.projectId, collection.id);
    if (existing) return { created: false, collection: existing };
    sql(
      db,
      `INSERT INTO collections (project_id, id, chain, metadata, fungibility, transferable, supply_limit,
         status, contract_address, action_id, created_at, updated_at, custody)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      collection.projectId,
      collection.id,
      collection.chain,
      JSON.stringify(collection.metadata),
      collection.fungibility,
      collection.transferable ? 1 : 0,
      collection.supplyLimit,
      collection.status,
      collection.contractAddress,
      collection.actionId,
      collection.createdAt,
      collection.updatedAt,
      collection.custody ? 1 : 0,
    );
    insertAction(db, action);
    insertChainJob(db, job);
    return { created: true, collection };
  })();
}

export function listCollections(db: Db, projectId: string, page: PageRequest): Page<Collection> {
  const rows = sql(
    db,
    "SELECT * FROM collections WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?",
  ).all(projectId, page.cursor ?? "", page.limit + 1) as Row[];
  return pageOf(rows.map(toCollection), page.limit);
}

export function updateCollection(
  db: Db,
  projectId: string,
  id: string,
  patch: Partial<Pick<Collection, "status" | "contractAddress" | "supplyLimit" | "metadata">>,
  at: number,
): void {
  const current = getCollection(db, projectId, id);
  if (!current) return;
  const next = { ...current, ...patch };
  sql(
    db,
    `UPDATE collections SET status = ?, contract_address = ?, supply_limit = ?, metadata = ?, updated_at = ?
     WHERE project_id = ? AND id = ?`,
  ).run(
    next.status,
    next.contractAddress,
    next.supplyLimit,
    JSON.stringify(next.metadata),
    at,
    projectId,
    id,
  );
}

export function getNft(db: Db, projectId: string, collectionId: string, id: string): Nft | null {
  const row = sql(
    db,
    "SELECT * FROM nfts WHERE project_id = ? AND collection_id = ? AND id = ?",
  ).get(projectId, collectionId, id) as Row | undefined;
  return row ? toNft(row) : null;
}

/** The NFT, its pending `nfts.create` action and the mint job; or the existing one (idempotent
 * PUT); or `limitReached` (burned tokens count: the contract's limit counts every mint). */
/** The NFT a PUT with this idempotency key minted, if any. */
export function getNftByKey(
  db: Db,
  projectId: string,
  collectionId: string,
  key: string,
): Nft | null {
  const row = sql(
    db,
    "SELECT * FROM nfts WHERE project_id = ? AND collection_id = ? AND idempotency_key = ?",
  ).get(projectId, collectionId, key) as Row | undefined;
  return row ? toNft(row) : null;
}

function insertNft(db: Db, nft: Nft): void {
  const places = NFT_COLUMNS.map(() => "?").join(", ");
  sql(db, `INSERT INTO nfts (${NFT_COLUMNS.join(", ")}) VALUES (${places})`).run(...nftValues(nft));
}

/** Thrown inside a batch's transaction to undo it: the collection has no room for it. */
class NoRoom extends Error {}

export function createNft(
  db: Db,
  nft: Nft,
  action: Action,
  job: NewChainJob,
  supplyLimit: number | null,
): { created: boolean; nft: Nft } | { limitReached: true } {
  const created = createNfts(db, [{ nft, action, job }], supplyLimit);
  return "limitReached" in created ? created : created[0]!;
}

/** NFTs with their actions and mint jobs in one transaction; throws NoRoom to undo it. */
function insertNfts(
  db: Db,
  items: Array<{ nft: Nft; action: Action; job: NewChainJob }>,
  supplyLimit: number | null,
): Array<{ created: boolean; nft: Nft }> {
  return db.transaction(() =>
    items.map(({ nft, action, job }) => {
      const existing = nft.idempotencyKey
        ? getNftByKey(db, nft.projectId, nft.collectionId, nft.idempotencyKey)
        : getNft(db, nft.projectId, nft.collectionId, nft.id);
      if (existing) return { created: false, nft: existing };
      if (supplyLimit) {
        const { n } = sql(
          db,
          "SELECT count(*) AS n FROM nfts WHERE project_id = ? AND collection_id = ? AND status <> 'failed'",
        ).get(nft.projectId, nft.collectionId) as { n: number };
        if (n >= supplyLimit) throw new NoRoom();
      }
      insertNft(db, nft);
      insertAction(db, action);
      insertChainJob(db, job);
      return { created: true, nft };
    }),
  )();
}

/**
 * NFTs with their actions and mint jobs, in one transaction: all of them, or none when the
 * collection has no room for the new ones (`limitReached`). One minted before with the same
 * id (or idempotency key) is given back instead of minted again.
 */
export function createNfts(
  db: Db,
  items: Array<{ nft: Nft; action: Action; job: NewChainJob }>,
  supplyLimit: number | null,
): Array<{ created: boolean; nft: Nft }> | { limitReached: true } {
  try {
    return insertNfts(db, items, supplyLimit);
  } catch (error) {
    if (error instanceof NoRoom) return { limitReached: true };
    throw error;
  }
}

export function listNfts(
  db: Db,
  projectId: string,
  collectionId: string,
  page: PageRequest,
): Page<Nft> {
  const rows = sql(
    db,
    "SELECT * FROM nfts WHERE project_id = ? AND collection_id = ? AND id > ? ORDER BY id LIMIT ?",
  ).all(projectId, collectionId, page.cursor ?? "", page.limit + 1) as Row[];
  return pageOf(rows.map(toNft), page.limit);
}

export function updateNft(
  db: Db,
  projectId: string,
  collectionId: string,
  id: string,
  patch: NftPatch,
  at: number,
): void {
  const current = getNft(db, projectId, collectionId, id);
  if (!current) return;
  const next = { ...current, ...patch };
  sql(
    db,
    `UPDATE nfts SET status = ?, token_id = ?, tx_id = ?, metadata = ?, owner = ?, token_uri = ?,
       updated_at = ?
     WHERE project_id = ? AND collection_id = ? AND id = ?`,
  ).run(
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
  );
}

/** A follow-up operation (edit, burn, supply limit): its pending action and its job, together. */
export function queueOperation(db: Db, action: Action, job: NewChainJob): void {
  db.transaction(() => {
    insertAction(db, action);
    insertChainJob(db, job);
  })();
}

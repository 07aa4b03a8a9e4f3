import type {
  BlockRef,
  Collection,
  Nft,
  ObservedLog,
  RecordedLog,
  Wallet,
} from "../../core/chain/chain-types.js";
import { sql, type Db } from "./database.js";
import { toCollection, toNft, toRecordedLog, toWallet } from "../rows.js";
import { updateNft } from "./collections.js";
import { insertEventWithDeliveries } from "./events.js";

type Row = Record<string, unknown>;

export function getChainCursor(db: Db, chain: string): BlockRef | null {
  const row = sql(db, "SELECT block_number, block_hash FROM chain_cursors WHERE chain = ?").get(
    chain,
  ) as Row | undefined;
  return row ? { number: row.block_number as number, hash: row.block_hash as string } : null;
}

function setCursor(db: Db, chain: string, cursor: BlockRef, at: number): void {
  sql(
    db,
    `INSERT INTO chain_cursors (chain, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (chain) DO UPDATE SET block_number = excluded.block_number,
       block_hash = excluded.block_hash, updated_at = excluded.updated_at`,
  ).run(chain, cursor.number, cursor.hash, at);
}

/** Every collection deployed on the chain, of every project: what the watcher watches. */
export function listDeployedCollections(db: Db, chain: string): Collection[] {
  const rows = sql(
    db,
    "SELECT * FROM collections WHERE chain = ? AND contract_address IS NOT NULL",
  ).all(chain) as Row[];
  return rows.map(toCollection);
}

export function getNftByTokenId(
  db: Db,
  projectId: string,
  collectionId: string,
  tokenId: string,
): Nft | null {
  const row = sql(
    db,
    "SELECT * FROM nfts WHERE project_id = ? AND collection_id = ? AND token_id = ?",
  ).get(projectId, collectionId, tokenId) as Row | undefined;
  return row ? toNft(row) : null;
}

export function findWalletByAddress(
  db: Db,
  projectId: string,
  chain: string,
  address: string,
): Wallet | null {
  const row = sql(
    db,
    "SELECT * FROM wallets WHERE project_id = ? AND chain = ? AND address = ?",
  ).get(projectId, chain, address) as Row | undefined;
  return row ? toWallet(row) : null;
}

/** The logs recorded in a range of blocks, oldest first, with their events. */
export function listObservedLogs(
  db: Db,
  chain: string,
  fromBlock: number,
  toBlock: number,
): RecordedLog[] {
  const rows = sql(
    db,
    `SELECT l.tx_hash, l.log_position, l.block_number, e.*
     FROM chain_observed_logs l LEFT JOIN events e ON e.id = l.event_id
     WHERE l.chain = ? AND l.block_number BETWEEN ? AND ?
     ORDER BY l.block_number, l.tx_hash, l.log_position`,
  ).all(chain, fromBlock, toBlock) as Row[];
  return rows.map(toRecordedLog);
}

/**
 * A batch of observed logs and the cursor after them, in one transaction: a log already
 * recorded (seen again after a restart or a reorg) changes nothing. Returns the deliveries
 * queued.
 */
export function recordObservedLogs(
  db: Db,
  chain: string,
  cursor: BlockRef,
  logs: ObservedLog[],
  at: number,
): number {
  return db.transaction(() => {
    let deliveries = 0;
    for (const log of logs) {
      // A log a reorg removed: forgotten, and announced if it was still recorded.
      if (log.undone) {
        const gone = sql(
          db,
          "DELETE FROM chain_observed_logs WHERE chain = ? AND tx_hash = ? AND log_position = ?",
        ).run(chain, log.txHash, log.position);
        if (gone.changes === 0) continue;
        if (log.nft)
          updateNft(db, log.nft.projectId, log.nft.collectionId, log.nft.id, log.nft.patch, at);
        if (log.event) deliveries += insertEventWithDeliveries(db, log.event);
        continue;
      }
      const fresh = sql(
        db,
        `INSERT INTO chain_observed_logs (chain, tx_hash, log_position, block_number, event_id,
           created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ).run(chain, log.txHash, log.position, log.blockNumber, log.event?.id ?? null, at);
      if (fresh.changes === 0) continue;
      if (log.nft)
        updateNft(db, log.nft.projectId, log.nft.collectionId, log.nft.id, log.nft.patch, at);
      if (log.event) deliveries += insertEventWithDeliveries(db, log.event);
    }
    setCursor(db, chain, cursor, at);
    return deliveries;
  })();
}

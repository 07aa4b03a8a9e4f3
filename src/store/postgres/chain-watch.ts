import type {
  BlockRef,
  Collection,
  Nft,
  ObservedLog,
  RecordedLog,
  Wallet,
} from "../../core/chain/chain-types.js";
import { toCollection, toNft, toRecordedLog, toWallet } from "../rows.js";
import { updateNft } from "./collections.js";
import { atomically, row, rows, run, type Db } from "./database.js";
import { insertEventsWithDeliveries } from "./outbox.js";
import { num } from "../rows.js";

export async function getChainCursor(db: Db, chain: string): Promise<BlockRef | null> {
  const found = await row(
    db,
    "SELECT block_number, block_hash FROM chain_cursors WHERE chain = $1",
    [chain],
  );
  return found ? { number: num(found.block_number), hash: found.block_hash as string } : null;
}

async function setCursor(db: Db, chain: string, cursor: BlockRef, at: number): Promise<void> {
  await run(
    db,
    `INSERT INTO chain_cursors (chain, block_number, block_hash, updated_at)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (chain) DO UPDATE SET block_number = excluded.block_number,
       block_hash = excluded.block_hash, updated_at = excluded.updated_at`,
    [chain, cursor.number, cursor.hash, at],
  );
}

/** Every collection deployed on the chain, of every project: what the watcher watches. */
export async function listDeployedCollections(db: Db, chain: string): Promise<Collection[]> {
  const found = await rows(
    db,
    `SELECT * FROM collections WHERE chain = $1 AND contract_address IS NOT NULL
     ORDER BY project_id, id`,
    [chain],
  );
  return found.map(toCollection);
}

export async function getNftByTokenId(
  db: Db,
  projectId: string,
  collectionId: string,
  tokenId: string,
): Promise<Nft | null> {
  const found = await row(
    db,
    `SELECT * FROM nfts WHERE project_id = $1 AND collection_id = $2 AND token_id = $3
     ORDER BY id LIMIT 1`,
    [projectId, collectionId, tokenId],
  );
  return found ? toNft(found) : null;
}

export async function findWalletByAddress(
  db: Db,
  projectId: string,
  chain: string,
  address: string,
): Promise<Wallet | null> {
  const found = await row(
    db,
    `SELECT * FROM wallets WHERE project_id = $1 AND chain = $2 AND address = $3
     ORDER BY email LIMIT 1`,
    [projectId, chain, address],
  );
  return found ? toWallet(found) : null;
}

/** The logs recorded in a range of blocks, oldest first, with their events. */
export async function listObservedLogs(
  db: Db,
  chain: string,
  fromBlock: number,
  toBlock: number,
): Promise<RecordedLog[]> {
  const found = await rows(
    db,
    `SELECT l.tx_hash, l.log_position, l.block_number, e.*
     FROM chain_observed_logs l LEFT JOIN events e ON e.id = l.event_id
     WHERE l.chain = $1 AND l.block_number BETWEEN $2 AND $3
     ORDER BY l.block_number, l.tx_hash, l.log_position`,
    [chain, fromBlock, toBlock],
  );
  return found.map(toRecordedLog);
}

/** Forgets the logs a reorg removed; those still recorded (another process may have been
 * first) undo their change and publish their announcement. */
async function forgetUndone(client: Db, chain: string, logs: ObservedLog[], at: number) {
  const announced: NonNullable<ObservedLog["event"]>[] = [];
  for (const log of logs) {
    const gone = await rows(
      client,
      `DELETE FROM chain_observed_logs WHERE chain = $1 AND tx_hash = $2 AND log_position = $3
       RETURNING tx_hash`,
      [chain, log.txHash, log.position],
    );
    if (gone.length === 0) continue;
    if (log.nft) {
      const { projectId, collectionId, id, patch } = log.nft;
      await updateNft(client, projectId, collectionId, id, patch, at);
    }
    if (log.event) announced.push(log.event);
  }
  return announced;
}

/**
 * A batch of observed logs and the cursor after them, in one transaction: a log already
 * recorded (seen again after a restart or a reorg, or by another process at the same time:
 * its insert waits for the first one's commit) changes nothing. Returns the deliveries queued.
 */
export function recordObservedLogs(
  db: Db,
  chain: string,
  cursor: BlockRef,
  logs: ObservedLog[],
  at: number,
): Promise<number> {
  return atomically(db, async (client) => {
    const announced = await forgetUndone(
      client,
      chain,
      logs.filter((l) => l.undone),
      at,
    );
    logs = logs.filter((l) => !l.undone);
    // One statement records them all and says which are new (a log twice in the batch: once).
    const recorded = await rows(
      client,
      `INSERT INTO chain_observed_logs (chain, tx_hash, log_position, block_number, event_id,
         created_at)
       SELECT $1, l.tx_hash, l.log_position, l.block_number, l.event_id, $2
       FROM unnest($3::text[], $4::int[], $5::bigint[], $6::text[])
         AS l (tx_hash, log_position, block_number, event_id)
       ON CONFLICT DO NOTHING
       RETURNING tx_hash, log_position`,
      [
        chain,
        at,
        logs.map((l) => l.txHash),
        logs.map((l) => l.position),
        logs.map((l) => l.blockNumber),
        logs.map((l) => l.event?.id ?? null),
      ],
    );
    const unclaimed = new Set(recorded.map((r) => JSON.stringify([r.tx_hash, r.log_position])));
    const fresh = logs.filter((l) => unclaimed.delete(JSON.stringify([l.txHash, l.position])));
    // In log order: a token minted and transferred in one batch ends with its last owner.
    for (const { nft } of fresh) {
      if (nft) await updateNft(client, nft.projectId, nft.collectionId, nft.id, nft.patch, at);
    }
    const counts = await insertEventsWithDeliveries(client, [
      ...announced,
      ...fresh.flatMap((l) => (l.event ? [l.event] : [])),
    ]);
    await setCursor(client, chain, cursor, at);
    return counts.reduce((sum, n) => sum + n, 0);
  });
}

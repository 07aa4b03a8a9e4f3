import type { ChainAccount, ChainJob, Wallet } from "../../core/chain/chain-types.js";
import type { NewEvent } from "../../core/interfaces.js";
import { sql, type Db } from "./database.js";
import { insertEventWithDeliveries } from "./events.js";
import { replaceBigInt, toChainJob, toWallet } from "../rows.js";

import type { ChainJobPatch, NewChainJob } from "../../core/ports/chain-store.js";

type Row = Record<string, unknown>;

export function insertChainJob(db: Db, job: NewChainJob): void {
  sql(
    db,
    `INSERT INTO chain_jobs (id, project_id, chain, kind, collection_id, nft_id, action_id, payload,
       status, run_at, created_at, updated_at, trace_parent, max_fee_per_gas)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
  ).run(
    job.id,
    job.projectId,
    job.chain,
    job.kind,
    job.collectionId,
    job.nftId,
    job.actionId,
    JSON.stringify(job.payload),
    job.runAt,
    job.createdAt,
    job.createdAt,
    job.traceParent ?? null,
    job.maxFeePerGas ?? null,
  );
}

/** Jobs not finished yet (or only those in one open status), oldest first. */
export function listOpenChainJobs(
  db: Db,
  chain: string,
  limit: number,
  status?: "queued" | "sent" | "confirmed",
): ChainJob[] {
  const rows = status
    ? sql(db, "SELECT * FROM chain_jobs WHERE chain = ? AND status = ? ORDER BY id LIMIT ?").all(
        chain,
        status,
        limit,
      )
    : sql(
        db,
        `SELECT * FROM chain_jobs WHERE chain = ? AND status IN ('queued', 'sent', 'confirmed')
         ORDER BY id LIMIT ?`,
      ).all(chain, limit);
  return (rows as Row[]).map(toChainJob);
}

/** Queued jobs that can be sent now, oldest first: not those waiting for a deployment. */
export function listSendableChainJobs(
  db: Db,
  chain: string,
  limit: number,
  now = Number.MAX_SAFE_INTEGER,
): ChainJob[] {
  const rows = sql(
    db,
    `SELECT j.* FROM chain_jobs j
       LEFT JOIN collections c ON c.project_id = j.project_id AND c.id = j.collection_id
       LEFT JOIN original_rewards r ON r.project_id = j.project_id AND r.id = j.collection_id
     WHERE j.chain = ? AND j.status = 'queued' AND j.run_at <= ?
       AND (j.kind = 'deploy' OR c.status IS NULL OR c.status <> 'pending')
       AND (j.kind = 'rewardDeploy' OR r.status IS NULL OR r.status <> 'deploying')
     ORDER BY j.id LIMIT ?`,
  ).all(chain, now, limit);
  return (rows as Row[]).map(toChainJob);
}

/** `txRecord: null` clears the record (a send that was never accepted); undefined keeps it.
 * Likewise `minedBlock`. */
export function updateChainJob(db: Db, id: string, patch: ChainJobPatch, at: number): boolean {
  const current = sql(db, "SELECT * FROM chain_jobs WHERE id = ?").get(id) as Row | undefined;
  if (!current || (patch.onlyIf && current.status !== patch.onlyIf)) return false;
  const txRecord =
    patch.txRecord === undefined
      ? current.tx_record
      : patch.txRecord === null
        ? null
        : JSON.stringify(patch.txRecord, replaceBigInt);
  const block =
    patch.minedBlock === undefined
      ? { number: current.mined_block_number, hash: current.mined_block_hash }
      : { number: patch.minedBlock?.number ?? null, hash: patch.minedBlock?.hash ?? null };
  sql(
    db,
    `UPDATE chain_jobs SET status = ?, tx_record = ?, run_at = ?, mined_block_number = ?,
       mined_block_hash = ?, updated_at = ? WHERE id = ?`,
  ).run(
    patch.status ?? current.status,
    txRecord,
    patch.runAt ?? current.run_at,
    block.number,
    block.hash,
    at,
    id,
  );
  return true;
}

export function getChainAccount(db: Db, chain: string): ChainAccount | null {
  const row = sql(db, "SELECT * FROM chain_accounts WHERE chain = ?").get(chain) as Row | undefined;
  return row
    ? {
        chain: row.chain as string,
        address: row.address as string,
        privateKeyEnc: row.private_key_enc as string,
      }
    : null;
}

/** Keeps the first account saved for a chain: concurrent first starts agree on one signer. */
export function saveChainAccount(db: Db, account: ChainAccount, at: number): ChainAccount {
  sql(
    db,
    "INSERT INTO chain_accounts (chain, address, private_key_enc, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
  ).run(account.chain, account.address, account.privateKeyEnc, at);
  return getChainAccount(db, account.chain)!;
}

export function getWallet(db: Db, projectId: string, email: string, chain: string): Wallet | null {
  const row = sql(db, "SELECT * FROM wallets WHERE project_id = ? AND email = ? AND chain = ?").get(
    projectId,
    email,
    chain,
  ) as Row | undefined;
  return row ? toWallet(row) : null;
}

/** Records a custodial wallet once; its events (`wallets.create.succeeded`, `wallet.created`)
 * go out with it. */
export function ensureWallet(
  db: Db,
  wallet: Wallet,
  events: NewEvent[],
): { created: boolean; wallet: Wallet } {
  return db.transaction(() => {
    const existing = getWallet(db, wallet.projectId, wallet.email, wallet.chain);
    if (existing) return { created: false, wallet: existing };
    sql(
      db,
      "INSERT INTO wallets (project_id, email, chain, address, created_at) VALUES (?, ?, ?, ?, ?)",
    ).run(wallet.projectId, wallet.email, wallet.chain, wallet.address, wallet.createdAt);
    for (const event of events) insertEventWithDeliveries(db, event);
    return { created: true, wallet };
  })();
}

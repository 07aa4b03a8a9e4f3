import type { ChainAccount, ChainJob, Wallet } from "../../core/chain/chain-types.js";
import type { NewEvent } from "../../core/interfaces.js";
import type { ChainJobPatch, NewChainJob } from "../../core/ports/chain-store.js";
import { atomically, row, rows, run, type Db } from "./database.js";
import { insertEventWithDeliveries } from "./outbox.js";
import { replaceBigInt, toChainJob, toWallet } from "../rows.js";

export async function insertChainJob(db: Db, job: NewChainJob): Promise<void> {
  await run(
    db,
    `INSERT INTO chain_jobs (id, project_id, chain, kind, collection_id, nft_id, action_id, payload,
       status, run_at, created_at, updated_at, trace_parent, max_fee_per_gas)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10, $10, $11, $12)`,
    [
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
      job.traceParent ?? null,
      job.maxFeePerGas ?? null,
    ],
  );
}

/** Jobs not finished yet (or only those in one open status), oldest first. */
export async function listOpenChainJobs(
  db: Db,
  chain: string,
  limit: number,
  status?: "queued" | "sent" | "confirmed",
): Promise<ChainJob[]> {
  const found = status
    ? await rows(
        db,
        "SELECT * FROM chain_jobs WHERE chain = $1 AND status = $2 ORDER BY id LIMIT $3",
        [chain, status, limit],
      )
    : await rows(
        db,
        `SELECT * FROM chain_jobs WHERE chain = $1 AND status IN ('queued', 'sent', 'confirmed')
         ORDER BY id LIMIT $2`,
        [chain, limit],
      );
  return found.map(toChainJob);
}

/** Queued jobs that can be sent now, oldest first: not those waiting for a deployment. */
export async function listSendableChainJobs(
  db: Db,
  chain: string,
  limit: number,
  now = Number.MAX_SAFE_INTEGER,
): Promise<ChainJob[]> {
  const found = await rows(
    db,
    `SELECT j.* FROM chain_jobs j
       LEFT JOIN collections c ON c.project_id = j.project_id AND c.id = j.collection_id
       LEFT JOIN original_rewards r ON r.project_id = j.project_id AND r.id = j.collection_id
     WHERE j.chain = $1 AND j.status = 'queued' AND j.run_at <= $3
       AND (j.kind = 'deploy' OR c.status IS NULL OR c.status <> 'pending')
       AND (j.kind = 'rewardDeploy' OR r.status IS NULL OR r.status <> 'deploying')
     ORDER BY j.id LIMIT $2`,
    [chain, limit, now],
  );
  return found.map(toChainJob);
}

/** `txRecord: null` clears the record (a send that was never accepted); undefined keeps it.
 * Likewise `minedBlock`. */
export function updateChainJob(
  db: Db,
  id: string,
  patch: ChainJobPatch,
  at: number,
): Promise<boolean> {
  return atomically(db, async (client) => {
    const current = await row(client, "SELECT * FROM chain_jobs WHERE id = $1 FOR UPDATE", [id]);
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
    await run(
      client,
      `UPDATE chain_jobs SET status = $1, tx_record = $2, run_at = $3, mined_block_number = $4,
         mined_block_hash = $5, updated_at = $6
       WHERE id = $7`,
      [
        patch.status ?? current.status,
        txRecord,
        patch.runAt ?? current.run_at,
        block.number,
        block.hash,
        at,
        id,
      ],
    );
    return true;
  });
}

export async function getChainAccount(db: Db, chain: string): Promise<ChainAccount | null> {
  const found = await row(db, "SELECT * FROM chain_accounts WHERE chain = $1", [chain]);
  return found
    ? {
        chain: found.chain as string,
        address: found.address as string,
        privateKeyEnc: found.private_key_enc as string,
      }
    : null;
}

/** Keeps the first account saved for a chain: concurrent first starts agree on one signer. */
export async function saveChainAccount(
  db: Db,
  account: ChainAccount,
  at: number,
): Promise<ChainAccount> {
  await run(
    db,
    `INSERT INTO chain_accounts (chain, address, private_key_enc, created_at)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [account.chain, account.address, account.privateKeyEnc, at],
  );
  return (await getChainAccount(db, account.chain))!;
}

export async function getWallet(
  db: Db,
  projectId: string,
  email: string,
  chain: string,
): Promise<Wallet | null> {
  const found = await row(
    db,
    "SELECT * FROM wallets WHERE project_id = $1 AND email = $2 AND chain = $3",
    [projectId, email, chain],
  );
  return found ? toWallet(found) : null;
}

/** Records a custodial wallet once; its events (`wallets.create.succeeded`, `wallet.created`)
 * go out with it. */
export function ensureWallet(
  db: Db,
  wallet: Wallet,
  events: NewEvent[],
): Promise<{ created: boolean; wallet: Wallet }> {
  return atomically(db, async (client) => {
    // ON CONFLICT: of two concurrent first uses, one creates the wallet (and its event), the
    // other gets it.
    const inserted = await run(
      client,
      `INSERT INTO wallets (project_id, email, chain, address, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [wallet.projectId, wallet.email, wallet.chain, wallet.address, wallet.createdAt],
    );
    if (inserted === 0) {
      const existing = await getWallet(client, wallet.projectId, wallet.email, wallet.chain);
      return { created: false, wallet: existing! };
    }
    for (const event of events) await insertEventWithDeliveries(client, event);
    return { created: true, wallet };
  });
}

// Original's rewards: each reward with its contract's deployment, and its allocations, claims
// and withdraws, each read with its action's status.
import type { NewChainJob } from "../../core/chain/chain-types.js";
import type {
  Action,
  NewRewardOperation,
  OriginalReward,
  Page,
  RewardOperation,
  RewardPatch,
} from "../../core/interfaces.js";
import type { PageRequest, RewardOperationQuery } from "../../core/ports/store.js";
import { pageOf, toOriginalReward, toRewardOperation } from "../rows.js";
import { insertAction } from "./actions.js";
import { insertChainJob } from "./chain-jobs.js";
import { sql, type Db } from "./database.js";

type Row = Record<string, unknown>;

const OPS = `SELECT o.*, a.status AS action_status FROM original_reward_ops o
  LEFT JOIN actions a ON a.id = o.action_id`;

/** The reward, its deployment's action and its job, together. */
export function createOriginalReward(
  db: Db,
  reward: OriginalReward,
  action: Action,
  job: NewChainJob,
): void {
  db.transaction(() => {
    sql(
      db,
      `INSERT INTO original_rewards (id, project_id, chain, name, token_name, token_symbol,
         description, withdraw_receiver, initial_supply, status, contract_address, action_id,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      reward.id,
      reward.projectId,
      reward.chain,
      reward.name,
      reward.tokenName,
      reward.tokenSymbol,
      reward.description,
      reward.withdrawReceiver,
      reward.initialSupply,
      reward.status,
      reward.contractAddress,
      reward.actionId,
      reward.createdAt,
      reward.updatedAt,
    );
    insertAction(db, action);
    insertChainJob(db, job);
  })();
}

export function getOriginalReward(db: Db, projectId: string, id: string): OriginalReward | null {
  const row = sql(db, "SELECT * FROM original_rewards WHERE project_id = ? AND id = ?").get(
    projectId,
    id,
  ) as Row | undefined;
  return row ? toOriginalReward(row) : null;
}

export function listOriginalRewards(
  db: Db,
  projectId: string,
  page: PageRequest,
): Page<OriginalReward> {
  const rows = sql(
    db,
    "SELECT * FROM original_rewards WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?",
  ).all(projectId, page.cursor ?? "", page.limit + 1) as Row[];
  return pageOf(rows.map(toOriginalReward), page.limit);
}

/** A deployment's outcome (or its undoing by a reorg). */
export function updateOriginalReward(
  db: Db,
  projectId: string,
  id: string,
  patch: RewardPatch,
  at: number,
): void {
  const current = getOriginalReward(db, projectId, id);
  if (!current) return;
  const next = { ...current, ...patch };
  sql(
    db,
    `UPDATE original_rewards SET status = ?, contract_address = ?, updated_at = ?
     WHERE project_id = ? AND id = ?`,
  ).run(next.status, next.contractAddress, at, projectId, id);
}

/**
 * The operation with its action and job; for an allocation whose nonce the reward already has,
 * that allocation instead (`created: false`) and nothing new.
 */
export function createRewardOperation(
  db: Db,
  operation: NewRewardOperation,
  action: Action,
  job: NewChainJob,
): { created: boolean; operation: RewardOperation } {
  return db.transaction(() => {
    const inserted = sql(
      db,
      `INSERT INTO original_reward_ops (id, project_id, reward_id, kind, user_uid, address, amount,
         nonce, action_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(
      operation.id,
      operation.projectId,
      operation.rewardId,
      operation.kind,
      operation.userUid,
      operation.address,
      operation.amount,
      operation.nonce,
      operation.actionId,
      operation.createdAt,
    );
    if (inserted.changes === 0) {
      const existing = sql(db, `${OPS} WHERE o.reward_id = ? AND o.nonce = ?`).get(
        operation.rewardId,
        operation.nonce,
      ) as Row;
      return { created: false, operation: toRewardOperation(existing) };
    }
    insertAction(db, action);
    insertChainJob(db, job);
    return { created: true, operation: { ...operation, status: "pending" as const } };
  })();
}

export function getRewardOperation(
  db: Db,
  projectId: string,
  kind: RewardOperation["kind"],
  id: string,
): RewardOperation | null {
  const row = sql(db, `${OPS} WHERE o.project_id = ? AND o.kind = ? AND o.id = ?`).get(
    projectId,
    kind,
    id,
  ) as Row | undefined;
  return row ? toRewardOperation(row) : null;
}

/** A reward's operations of one kind, or a user's (in one reward or all), newest first. */
export function listRewardOperations(
  db: Db,
  projectId: string,
  query: RewardOperationQuery,
  limit: number,
): RewardOperation[] {
  const where = ["o.project_id = ?", "o.kind = ?"];
  const args: unknown[] = [projectId, query.kind];
  if (query.rewardId !== undefined) {
    where.push("o.reward_id = ?");
    args.push(query.rewardId);
  }
  if (query.userUid !== undefined) {
    where.push("o.user_uid = ?");
    args.push(query.userUid);
  }
  const rows = sql(db, `${OPS} WHERE ${where.join(" AND ")} ORDER BY o.id DESC LIMIT ?`).all(
    ...args,
    limit,
  ) as Row[];
  return rows.map(toRewardOperation);
}

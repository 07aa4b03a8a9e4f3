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
import { atomically, row, rows, run, type Db } from "./database.js";

const OPS = `SELECT o.*, a.status AS action_status FROM original_reward_ops o
  LEFT JOIN actions a ON a.id = o.action_id`;

/** The reward, its deployment's action and its job, together. */
export function createOriginalReward(
  db: Db,
  reward: OriginalReward,
  action: Action,
  job: NewChainJob,
): Promise<void> {
  return atomically(db, async (client) => {
    await run(
      client,
      `INSERT INTO original_rewards (id, project_id, chain, name, token_name, token_symbol,
         description, withdraw_receiver, initial_supply, status, contract_address, action_id,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
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
      ],
    );
    await insertAction(client, action);
    await insertChainJob(client, job);
  });
}

export async function getOriginalReward(
  db: Db,
  projectId: string,
  id: string,
): Promise<OriginalReward | null> {
  const found = await row(db, "SELECT * FROM original_rewards WHERE project_id = $1 AND id = $2", [
    projectId,
    id,
  ]);
  return found ? toOriginalReward(found) : null;
}

export async function listOriginalRewards(
  db: Db,
  projectId: string,
  page: PageRequest,
): Promise<Page<OriginalReward>> {
  const found = await rows(
    db,
    "SELECT * FROM original_rewards WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    [projectId, page.cursor ?? "", page.limit + 1],
  );
  return pageOf(found.map(toOriginalReward), page.limit);
}

/** A deployment's outcome (or its undoing by a reorg). */
export async function updateOriginalReward(
  db: Db,
  projectId: string,
  id: string,
  patch: RewardPatch,
  at: number,
): Promise<void> {
  const sets: string[] = ["updated_at = $3"];
  const args: unknown[] = [projectId, id, at];
  if (patch.status !== undefined) {
    args.push(patch.status);
    sets.push(`status = $${args.length}`);
  }
  if (patch.contractAddress !== undefined) {
    args.push(patch.contractAddress);
    sets.push(`contract_address = $${args.length}`);
  }
  await run(
    db,
    `UPDATE original_rewards SET ${sets.join(", ")} WHERE project_id = $1 AND id = $2`,
    args,
  );
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
): Promise<{ created: boolean; operation: RewardOperation }> {
  return atomically(db, async (client) => {
    // ON CONFLICT: of two concurrent allocations with one nonce, one wins; the other waits for
    // it and finds it.
    const inserted = await run(
      client,
      `INSERT INTO original_reward_ops (id, project_id, reward_id, kind, user_uid, address, amount,
         nonce, action_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
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
      ],
    );
    if (inserted === 0) {
      const existing = await row(client, `${OPS} WHERE o.reward_id = $1 AND o.nonce = $2`, [
        operation.rewardId,
        operation.nonce,
      ]);
      if (!existing)
        throw new Error("a reward operation could not be inserted, and no nonce is taken");
      return { created: false, operation: toRewardOperation(existing) };
    }
    await insertAction(client, action);
    await insertChainJob(client, job);
    return { created: true, operation: { ...operation, status: "pending" as const } };
  });
}

export async function getRewardOperation(
  db: Db,
  projectId: string,
  kind: RewardOperation["kind"],
  id: string,
): Promise<RewardOperation | null> {
  const found = await row(db, `${OPS} WHERE o.project_id = $1 AND o.kind = $2 AND o.id = $3`, [
    projectId,
    kind,
    id,
  ]);
  return found ? toRewardOperation(found) : null;
}

/** A reward's operations of one kind, or a user's (in one reward or all), newest first. */
export async function listRewardOperations(
  db: Db,
  projectId: string,
  query: RewardOperationQuery,
  limit: number,
): Promise<RewardOperation[]> {
  const where = ["o.project_id = $1", "o.kind = $2"];
  const args: unknown[] = [projectId, query.kind];
  if (query.rewardId !== undefined) {
    args.push(query.rewardId);
    where.push(`o.reward_id = $${args.length}`);
  }
  if (query.userUid !== undefined) {
    args.push(query.userUid);
    where.push(`o.user_uid = $${args.length}`);
  }
  args.push(limit);
  const found = await rows(
    db,
    `${OPS} WHERE ${where.join(" AND ")} ORDER BY o.id DESC LIMIT $${args.length}`,
    args,
  );
  return found.map(toRewardOperation);
}

// A chain job's outcome and its undoing by a reorg, each one transaction over the records it
// changes, its action (and the action's event) and the job itself.
import { isRewardJob, type ChainJob } from "../../core/chain/chain-types.js";
import { jobReversal } from "../../core/chain/job-effects.js";
import type { Action, NewEvent, PublishedEvent } from "../../core/interfaces.js";
import type { ChainJobFinish } from "../../core/ports/chain-store.js";
import { completeActionWith, getAction, reopenAction } from "./actions.js";
import { insertEventWithDeliveries } from "./events.js";
import { updateOriginalReward } from "./original-rewards.js";
import { updateChainJob } from "./chain-jobs.js";
import { getNft, updateCollection, updateNft } from "./collections.js";
import type { Db } from "./database.js";

export function finishChainJob(
  db: Db,
  finish: ChainJobFinish,
): { action: Action; event: PublishedEvent | null } | null {
  const { job, action, at } = finish;
  return db.transaction(() => {
    if (finish.collection)
      updateCollection(db, job.projectId, job.collectionId, finish.collection, at);
    if (finish.nft && job.nftId !== null) {
      updateNft(db, job.projectId, job.collectionId, job.nftId, finish.nft, at);
    }
    if (finish.reward) updateOriginalReward(db, job.projectId, job.collectionId, finish.reward, at);
    const completed = completeActionWith(
      db,
      job.projectId,
      job.actionId,
      action.status,
      action.data,
      at,
      action.buildEvent,
    );
    updateChainJob(db, job.id, { status: finish.status, minedBlock: finish.minedBlock }, at);
    return completed === null || completed === "conflict" ? null : completed;
  })();
}

/** A confirmed job whose block was reorged away: followed again, its action pending again,
 * its records as before it. */
export function reopenChainJob(
  db: Db,
  job: ChainJob,
  at: number,
  announce?: (completed: Action) => NewEvent | null,
): Action | null {
  return db.transaction(() => {
    const completed = getAction(db, job.projectId, job.actionId);
    const event = completed && completed.status !== "pending" ? announce?.(completed) : null;
    if (event) insertEventWithDeliveries(db, event);
    const current =
      job.nftId === null || isRewardJob(job)
        ? null
        : getNft(db, job.projectId, job.collectionId, job.nftId);
    const { collection, nft, reward } = jobReversal(job, current);
    if (collection) updateCollection(db, job.projectId, job.collectionId, collection, at);
    if (reward) updateOriginalReward(db, job.projectId, job.collectionId, reward, at);
    if (nft && job.nftId !== null)
      updateNft(db, job.projectId, job.collectionId, job.nftId, nft, at);
    updateChainJob(db, job.id, { status: "sent", minedBlock: null }, at);
    return reopenAction(db, job.projectId, job.actionId);
  })();
}

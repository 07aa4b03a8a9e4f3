// A chain job's outcome and its undoing by a reorg, each one transaction over the records it
// changes, its action (and the action's event) and the job itself.
import { isRewardJob, type ChainJob } from "../../core/chain/chain-types.js";
import { jobReversal } from "../../core/chain/job-effects.js";
import type { Action, NewEvent, PublishedEvent } from "../../core/interfaces.js";
import type { ChainJobFinish } from "../../core/ports/chain-store.js";
import { completeActionWith, getAction, reopenAction } from "./actions.js";
import { insertEventWithDeliveries } from "./outbox.js";
import { updateOriginalReward } from "./original-rewards.js";
import { updateChainJob } from "./chain-jobs.js";
import { getNft, updateCollection, updateNft } from "./collections.js";
import { atomically, type Db } from "./database.js";

export function finishChainJob(
  db: Db,
  finish: ChainJobFinish,
): Promise<{ action: Action; event: PublishedEvent | null } | null> {
  const { job, action, at } = finish;
  return atomically(db, async (client) => {
    if (finish.collection) {
      await updateCollection(client, job.projectId, job.collectionId, finish.collection, at);
    }
    if (finish.nft && job.nftId !== null) {
      await updateNft(client, job.projectId, job.collectionId, job.nftId, finish.nft, at);
    }
    if (finish.reward) {
      await updateOriginalReward(client, job.projectId, job.collectionId, finish.reward, at);
    }
    const completed = await completeActionWith(
      client,
      job.projectId,
      job.actionId,
      action.status,
      action.data,
      at,
      action.buildEvent,
    );
    await updateChainJob(
      client,
      job.id,
      { status: finish.status, minedBlock: finish.minedBlock },
      at,
    );
    return completed === null || completed === "conflict" ? null : completed;
  });
}

/** A confirmed job whose block was reorged away: followed again, its action pending again,
 * its records as before it. */
export function reopenChainJob(
  db: Db,
  job: ChainJob,
  at: number,
  announce?: (completed: Action) => NewEvent | null,
): Promise<Action | null> {
  return atomically(db, async (client) => {
    const completed = await getAction(client, job.projectId, job.actionId);
    const event = completed && completed.status !== "pending" ? announce?.(completed) : null;
    if (event) await insertEventWithDeliveries(client, event);
    const current =
      job.nftId === null || isRewardJob(job)
        ? null
        : await getNft(client, job.projectId, job.collectionId, job.nftId);
    const { collection, nft, reward } = jobReversal(job, current);
    if (collection) await updateCollection(client, job.projectId, job.collectionId, collection, at);
    if (reward) await updateOriginalReward(client, job.projectId, job.collectionId, reward, at);
    if (nft && job.nftId !== null) {
      await updateNft(client, job.projectId, job.collectionId, job.nftId, nft, at);
    }
    await updateChainJob(client, job.id, { status: "sent", minedBlock: null }, at);
    return reopenAction(client, job.projectId, job.actionId);
  });
}

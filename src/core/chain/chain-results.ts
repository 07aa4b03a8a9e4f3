import type { Store } from "../ports/store.js";
import type { Signals } from "../runtime/signals.js";
import { completionEvent } from "../webhooks/actions.js";
import type { BlockRef, ChainJob } from "./chain-types.js";
import { jobEffect, type ChainOutcome } from "./job-effects.js";

/**
 * Turns a chain job's outcome into Herald's records and the action's completion, whose
 * webhook carries Crossmint's payload: one transaction per job. Safe to run twice (after a
 * crash): an action already completed is left as it is.
 */
export class ChainResults {
  constructor(
    private readonly store: Store,
    private readonly signals: Signals,
    private readonly now: () => number = Date.now,
  ) {}

  /** `untilFinal`: the block the transaction was mined in, when it is not final yet; the job
   * then stays `confirmed` (watched for reorgs) instead of closing. */
  async finish(job: ChainJob, outcome: ChainOutcome, untilFinal?: BlockRef): Promise<void> {
    const at = this.now();
    const { projectId, collectionId, nftId } = job;
    const collection = await this.store.getCollection(projectId, collectionId);
    const nft = nftId === null ? null : await this.store.getNft(projectId, collectionId, nftId);
    if (nftId !== null && !nft) return;
    const ok = outcome.status === "success";
    const effect = jobEffect(job, outcome, collection, nft);
    const completed = await this.store.finishChainJob({
      job,
      ...(effect.collection ? { collection: effect.collection } : {}),
      ...(effect.nft ? { nft: effect.nft } : {}),
      action: {
        status: ok ? "succeeded" : "failed",
        data: effect.data,
        buildEvent: (action) => completionEvent(action, at),
      },
      status: untilFinal ? "confirmed" : ok ? "done" : "failed",
      minedBlock: untilFinal ?? null,
      at,
    });
    if (!completed) return;
    this.signals.actionChanged(completed.action);
    if (completed.event.deliveries > 0) this.signals.deliveriesQueued();
  }

  /**
   * The block of a confirmed job is gone (a reorg): its action is pending again and the
   * records it changed go back, until the transaction is mined again on the surviving chain
   * and `finish` runs once more (a new event, since token ids may differ there).
   */
  async reopen(job: ChainJob): Promise<void> {
    await this.store.reopenChainJob(job, this.now());
  }

  /** The job's block is final: the job closes as its action ended. */
  async finalize(job: ChainJob): Promise<void> {
    const action = await this.store.getAction(job.projectId, job.actionId);
    const status = action?.status === "failed" ? "failed" : "done";
    await this.store.updateChainJob(job.id, { status }, this.now());
  }
}

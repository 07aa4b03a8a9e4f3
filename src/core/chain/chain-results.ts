import type { Action, NewEvent } from "../interfaces.js";
import { rewardEvent } from "../original/reward-events.js";
import type { Store } from "../ports/store.js";
import type { Signals } from "../runtime/signals.js";
import { completionEvent } from "../webhooks/actions.js";
import {
  isRewardJob,
  type BlockRef,
  type ChainInfo,
  type ChainJob,
  type RewardJob,
} from "./chain-types.js";
import { jobEffect, type ChainOutcome, type JobEffect } from "./job-effects.js";
import { actionReorgedEvent, type Orphaned } from "./reorg-events.js";

/** The operation kind a reward job carries out (its deployment has none). */
const REWARD_OPERATIONS = { allocate: "allocation", claim: "claim", withdraw: "withdraw" } as const;

/**
 * Turns a chain job's outcome into Herald's records and the action's completion, whose
 * webhook carries Crossmint's payload (a reward's operation: Original's `reward.*` event, once
 * it succeeded): one transaction per job. Safe to run twice (after a crash): an action already
 * completed is left as it is.
 */
export class ChainResults {
  constructor(
    private readonly store: Store,
    private readonly signals: Signals,
    /** The configured chains (a reward event names its chain's id). */
    private readonly chains: { get(name: string): ChainInfo | undefined },
    private readonly now: () => number = Date.now,
  ) {}

  /** `untilFinal`: the block the transaction was mined in, when it is not final yet; the job
   * then stays `confirmed` (watched for reorgs) instead of closing. */
  async finish(job: ChainJob, outcome: ChainOutcome, untilFinal?: BlockRef): Promise<void> {
    const at = this.now();
    const ok = outcome.status === "success";
    const completion = isRewardJob(job)
      ? await this.rewardCompletion(job, outcome, at)
      : await this.collectionCompletion(job, outcome, at);
    if (!completion) return;
    const { effect } = completion;
    // The completion's event joins the trace of the request that asked for the job.
    const traceParent = job.traceParent ?? null;
    const buildEvent = (action: Action): NewEvent | null => {
      const event = completion.buildEvent(action);
      return event && { ...event, traceParent };
    };
    const completed = await this.store.finishChainJob({
      job,
      ...(effect.collection ? { collection: effect.collection } : {}),
      ...(effect.nft ? { nft: effect.nft } : {}),
      ...(effect.reward ? { reward: effect.reward } : {}),
      action: { status: ok ? "succeeded" : "failed", data: effect.data, buildEvent },
      status: untilFinal ? "confirmed" : ok ? "done" : "failed",
      minedBlock: untilFinal ?? null,
      at,
    });
    if (!completed) return;
    this.signals.actionChanged(completed.action);
    if (completed.event && completed.event.deliveries > 0) this.signals.deliveriesQueued();
  }

  private async collectionCompletion(job: ChainJob, outcome: ChainOutcome, at: number) {
    const { projectId, collectionId, nftId } = job;
    const collection = await this.store.getCollection(projectId, collectionId);
    const nft = nftId === null ? null : await this.store.getNft(projectId, collectionId, nftId);
    if (nftId !== null && !nft) return null;
    return {
      effect: jobEffect(job, outcome, collection, nft, this.chains.get(job.chain)?.onChainNames),
      buildEvent: (action: Action): NewEvent => completionEvent(action, at),
    };
  }

  /** A reward's job: its deployment publishes nothing (Original has no such event); an
   * operation publishes its `reward.*` event once it succeeded, and nothing when it failed
   * (its status says so). */
  private async rewardCompletion(
    job: RewardJob,
    outcome: ChainOutcome,
    at: number,
  ): Promise<{ effect: JobEffect; buildEvent: (action: Action) => NewEvent | null }> {
    const effect = jobEffect(job, outcome, null, null);
    const { projectId } = job;
    const [reward, project, operation] = await Promise.all([
      this.store.getOriginalReward(projectId, job.collectionId),
      this.store.getProject(projectId),
      job.kind === "rewardDeploy"
        ? null
        : this.store.getRewardOperation(projectId, REWARD_OPERATIONS[job.kind], job.nftId),
    ]);
    const chainId = this.chains.get(job.chain)?.chainId ?? null;
    const buildEvent = (action: Action): NewEvent | null =>
      action.status === "succeeded" && reward && project && operation
        ? rewardEvent({
            project,
            reward,
            operation,
            chainId,
            txHash: outcome.txHash,
            actionId: action.id,
            at,
          })
        : null;
    return { effect, buildEvent };
  }

  /**
   * The block of a confirmed job is gone (a reorg): its action is pending again and the
   * records it changed go back, until the transaction is mined again on the surviving chain
   * and `finish` runs once more (a new event, since token ids may differ there).
   */
  /** A confirmed job whose block a reorg removed: pending again, announced (`action.reorged`)
   * when its action had completed. */
  async reopen(job: ChainJob, orphaned?: Orphaned): Promise<void> {
    const at = this.now();
    const announce = orphaned
      ? (completed: Action) => actionReorgedEvent(completed, orphaned, at)
      : undefined;
    await this.store.reopenChainJob(job, at, announce);
    if (announce) this.signals.deliveriesQueued();
  }

  /** The job's block is final: the job closes as its action ended. */
  async finalize(job: ChainJob): Promise<void> {
    const action = await this.store.getAction(job.projectId, job.actionId);
    const status = action?.status === "failed" ? "failed" : "done";
    await this.store.updateChainJob(job.id, { status }, this.now());
  }
}

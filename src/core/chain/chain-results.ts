import type { Store } from "../ports/store.js";
import type { ActionService } from "../webhooks/actions.js";
import type { BlockRef, ChainJob, Nft } from "./chain-types.js";
import { HeraldError } from "../errors.js";

/** What happened to a job's transaction, as the chain module saw it. */
export interface ChainOutcome {
  status: "success" | "reverted";
  txHash: string | null;
  contractAddress?: string;
  tokenId?: string;
  revert?: {
    reason: string;
    functionName: string;
    arguments: Record<string, unknown>;
    calldata: string;
  };
}

const REVERT_MESSAGES: Record<string, string> = {
  deploy: "Collection deployment reverted. Check 'revertReason' for details",
  mint: "Minting smart contract reverted. Check 'revertReason' for details",
  update: "Metadata update reverted. Check 'revertReason' for details",
  burn: "Burn reverted. Check 'revertReason' for details",
  setSupplyLimit: "Supply limit change reverted. Check 'revertReason' for details",
};

/**
 * Turns a chain job's outcome into Herald's records and the action's completion, whose
 * webhook carries Crossmint's payload. Safe to run twice (after a crash): an action already
 * completed is left as it is.
 */
export class ChainResults {
  constructor(
    private readonly store: Store,
    private readonly actions: ActionService,
    private readonly now: () => number = Date.now,
  ) {}

  /** `untilFinal`: the block the transaction was mined in, when it is not final yet; the job
   * then stays `confirmed` (watched for reorgs) instead of closing. */
  async finish(job: ChainJob, outcome: ChainOutcome, untilFinal?: BlockRef): Promise<void> {
    const at = this.now();
    const [collectionId, nftId] = job.subject.split("/") as [string, string | undefined];
    const collection = await this.store.getCollection(job.projectId, collectionId);
    const contractAddress = outcome.contractAddress ?? collection?.contractAddress ?? undefined;
    const collectionRef = { id: collectionId, ...(contractAddress ? { contractAddress } : {}) };
    const base = {
      chain: job.chain,
      ...(outcome.txHash ? { txId: outcome.txHash } : {}),
      collection: collectionRef,
    };
    const error = outcome.revert && {
      reason: "execution_reverted",
      message: REVERT_MESSAGES[job.kind],
      revertReason: outcome.revert.reason,
      callInfo: {
        functionName: outcome.revert.functionName,
        arguments: outcome.revert.arguments,
        calldata: outcome.revert.calldata,
      },
    };
    const ok = outcome.status === "success";
    let data: Record<string, unknown>;
    if (job.kind === "setSupplyLimit") {
      const { supplyLimit, changes, metadata } = job.payload as {
        supplyLimit: number;
        changes: string[];
        metadata?: Record<string, unknown>;
      };
      if (ok) {
        await this.store.updateCollection(
          job.projectId,
          collectionId,
          { supplyLimit: supplyLimit || null, ...(metadata ? { metadata } : {}) },
          at,
        );
      }
      data = { ...base, changes, ...(ok ? {} : { error }) };
    } else if (job.kind === "deploy") {
      await this.store.updateCollection(
        job.projectId,
        collectionId,
        ok
          ? { status: "deployed", contractAddress: outcome.contractAddress ?? null }
          : { status: "failed" },
        at,
      );
      data = ok ? base : { ...base, error };
    } else {
      const nft = nftId ? await this.store.getNft(job.projectId, collectionId, nftId) : null;
      if (!nft) return;
      const owner = { walletAddress: nft.owner };
      if (job.kind === "mint") {
        await this.store.updateNft(
          job.projectId,
          collectionId,
          nft.id,
          ok
            ? { status: "minted", tokenId: outcome.tokenId ?? null, txId: outcome.txHash }
            : { status: "failed" },
          at,
        );
        const recipient = { walletAddress: nft.owner, ...(nft.email ? { email: nft.email } : {}) };
        data = ok
          ? { ...base, recipient, token: { id: nft.id, owner, tokenId: outcome.tokenId } }
          : { ...base, recipient, token: { id: nft.id }, error };
      } else {
        const token = { id: nft.id, owner, tokenId: nft.tokenId };
        if (ok && job.kind === "update") {
          await this.store.updateNft(
            job.projectId,
            collectionId,
            nft.id,
            { metadata: job.payload.metadata as Record<string, unknown> },
            at,
          );
        }
        if (ok && job.kind === "burn")
          await this.store.updateNft(job.projectId, collectionId, nft.id, { status: "burned" }, at);
        data = {
          ...base,
          token,
          ...(job.kind === "update" ? { changes: ["metadata"] } : {}),
          ...(ok ? {} : { error }),
        };
      }
    }
    // The job is closed last: a crash before that finishes it again on restart.
    try {
      await this.actions.complete(job.projectId, job.actionId, ok ? "succeeded" : "failed", data);
    } catch (e) {
      if (!(e instanceof HeraldError && e.kind === "conflict")) throw e;
    }
    const status = untilFinal ? "confirmed" : ok ? "done" : "failed";
    await this.store.updateChainJob(job.id, { status, minedBlock: untilFinal ?? null }, at);
  }

  /**
   * The block of a confirmed job is gone (a reorg): its action is pending again and the
   * records it changed go back, until the transaction is mined again on the surviving chain
   * and `finish` runs once more (a new event, since token ids may differ there).
   */
  async reopen(job: ChainJob): Promise<void> {
    const at = this.now();
    const [collectionId, nftId] = job.subject.split("/") as [string, string | undefined];
    if (job.kind === "deploy") {
      await this.store.updateCollection(job.projectId, collectionId, { status: "pending" }, at);
    } else if (nftId && (job.kind === "mint" || job.kind === "burn")) {
      const patch: Partial<Nft> =
        job.kind === "mint"
          ? { status: "pending", tokenId: null, txId: null }
          : { status: "minted" };
      await this.store.updateNft(job.projectId, collectionId, nftId, patch, at);
    }
    await this.store.reopenChainJob(job, at);
  }

  /** The job's block is final: the job closes as its action ended. */
  async finalize(job: ChainJob): Promise<void> {
    const action = await this.store.getAction(job.projectId, job.actionId);
    const status = action?.status === "failed" ? "failed" : "done";
    await this.store.updateChainJob(job.id, { status }, this.now());
  }
}

// `action.reorged`: a completed action's transaction was in a block that a reorg removed. The
// action is pending again (its webhook will come again once the transaction is confirmed on the
// surviving chain, or its failure); this event comes first, so a receiver that acted on the
// first completion can undo or hold what it did.
import type { Action, NewEvent } from "../interfaces.js";
import { buildEnvelope } from "../policy/envelope.js";
import { newId } from "../runtime/ids.js";
import type { BlockRef } from "./chain-types.js";

export const ACTION_REORGED = "action.reorged";

export interface Orphaned {
  chain: string;
  /** The block the transaction was in, no longer on the chain. */
  block: BlockRef;
  /** The transaction's hashes (a replaced one has several); the action's own `txId` is named
   * when it is one of them. */
  txHashes: readonly string[];
}

export function actionReorgedEvent(completed: Action, orphaned: Orphaned, at: number): NewEvent {
  const id = newId();
  const recorded = (completed.data as { txId?: unknown } | null)?.txId;
  const txId =
    typeof recorded === "string" && orphaned.txHashes.includes(recorded)
      ? recorded
      : (orphaned.txHashes.at(-1) ?? null);
  const data = {
    actionId: completed.id,
    action: completed.action,
    previousStatus: completed.status,
    chain: orphaned.chain,
    orphaned: { txId, blockNumber: orphaned.block.number, blockHash: orphaned.block.hash },
  };
  return {
    id,
    projectId: completed.projectId,
    type: ACTION_REORGED,
    actionId: completed.id,
    createdAt: at,
    payload: buildEnvelope({
      id,
      type: ACTION_REORGED,
      actionId: completed.id,
      data,
      resource: completed.resource,
      timestamp: at,
    }),
  };
}

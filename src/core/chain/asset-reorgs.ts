// `asset.reorged`: a chain-observed event (`asset.minted`, `asset.transferred`, `asset.burned`,
// `asset.edited`) whose log was in a block a reorg removed. The announcement carries the undone
// event's data and names it; Herald's record of the token goes back (a transfer's owner, a
// burn's status) when it still shows that log's change. Should the transaction land again on
// the surviving chain, its event is published again, as a new event.
import type { NewEvent } from "../interfaces.js";
import { buildEnvelope } from "../policy/envelope.js";
import { newId } from "../runtime/ids.js";
import type { Nft, ObservedLog, RecordedLog } from "./chain-types.js";

export const ASSET_REORGED = "asset.reorged";

/** What the undone event's body says (Original's chain-observed shape). */
interface AssetEventData {
  asset?: { uid?: string | null };
  collection?: { uid?: string };
  transaction_log?: { type?: string; from_address?: string; to_address?: string };
}

/** The recorded logs of a re-read range that the chain no longer has (by transaction and
 * position: a transaction mined again in another block of the range is still there). */
export function removedLogs(
  recorded: readonly RecordedLog[],
  present: readonly { txHash: string; position: number }[],
): RecordedLog[] {
  const seen = new Set(present.map((l) => `${l.txHash}:${l.position}`));
  return recorded.filter((l) => !seen.has(`${l.txHash}:${l.position}`));
}

/** The token the undone event was about, for its record to go back. */
export function nftOfUndone(log: RecordedLog) {
  if (!log.event) return null;
  const data = (JSON.parse(log.event.payload) as { data?: AssetEventData }).data;
  const nftId = data?.asset?.uid;
  const collectionId = data?.collection?.uid;
  if (!nftId || !collectionId) return null;
  return { projectId: log.event.projectId, collectionId, id: nftId };
}

/** The change to undo on Herald's record, if the record still shows the removed log's. */
export function undoPatch(
  log: RecordedLog,
  nft: Nft | null,
): Partial<Pick<Nft, "status" | "owner">> | null {
  if (!nft || !log.event) return null;
  const data = (JSON.parse(log.event.payload) as { data?: AssetEventData }).data;
  const tx = data?.transaction_log;
  if (log.event.type === "asset.burned" && nft.status === "burned") return { status: "minted" };
  if (
    log.event.type === "asset.transferred" &&
    tx?.from_address &&
    tx.to_address &&
    nft.owner?.toLowerCase() === tx.to_address.toLowerCase()
  ) {
    return { owner: tx.from_address };
  }
  return null;
}

/** The announcement of a removed log's event: its data, and which event it undoes. */
export function assetReorgedEvent(log: RecordedLog, at: number): NewEvent | null {
  const undone = log.event;
  if (!undone) return null;
  const body = JSON.parse(undone.payload) as { data?: Record<string, unknown>; resource?: string };
  const id = newId();
  const data = { ...body.data, undone_event: { id: undone.id, type: undone.type } };
  return {
    id,
    projectId: undone.projectId,
    type: ASSET_REORGED,
    actionId: null,
    createdAt: at,
    payload: buildEnvelope({
      id,
      type: ASSET_REORGED,
      data,
      resource: body.resource ?? null,
      timestamp: at,
    }),
  };
}

/** The removed log as the store records it: forgotten, announced, its change undone. */
export function undoneLog(
  log: RecordedLog,
  nft: { projectId: string; collectionId: string; id: string } | null,
  patch: Partial<Pick<Nft, "status" | "owner">> | null,
  at: number,
): ObservedLog {
  return {
    undone: true,
    txHash: log.txHash,
    position: log.position,
    blockNumber: log.blockNumber,
    event: assetReorgedEvent(log, at),
    ...(nft && patch ? { nft: { ...nft, patch } } : {}),
  };
}

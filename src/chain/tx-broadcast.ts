// Sending a signed transaction and reading the node's answer. Nodes say the same things in
// different words (geth, Hardhat/EDR, Erigon, Nethermind); the patterns cover the common ones.
import { BaseError } from "viem";
import type { Hex, PublicClient } from "viem";
import { errorText } from "./tx-errors.js";

/** How `eth_sendRawTransaction` failed. */
export type BroadcastFailure =
  /** The node already has this exact transaction: as good as sent. */
  | "known"
  /** The nonce is already mined (or, on an automining node, was before this one). */
  | "nonce-too-low"
  /** Another transaction with this nonce is pending and pays as much or more. */
  | "underpriced"
  /** No answer (timeout, connection lost): the node may or may not have it. */
  | "unanswered"
  /** Any other refusal: the node did not take it. */
  | "rejected";

const patterns: [Exclude<BroadcastFailure, "unanswered" | "rejected">, RegExp][] = [
  ["known", /known transaction|already known|already imported|alreadyknown|already in mempool/i],
  ["nonce-too-low", /nonce too low|nonce has already been used|nonce_expired|oldnonce/i],
  ["underpriced", /underpriced|replacement fee too low/i],
];

const transportErrors = new Set([
  "HttpRequestError",
  "TimeoutError",
  "WebSocketRequestError",
  "SocketClosedError",
]);

/** How a broadcast went: "sent" and "known" mean the node has it. */
export type Broadcast =
  | { kind: "sent" | "known"; error?: undefined }
  | { kind: Exclude<BroadcastFailure, "known">; error: unknown };

/** `eth_sendRawTransaction`, never throwing: what happened is in the result. */
export async function broadcastRaw(client: PublicClient, raw: Hex): Promise<Broadcast> {
  try {
    await client.sendRawTransaction({ serializedTransaction: raw });
    return { kind: "sent" };
  } catch (error) {
    const kind = classifyBroadcastError(error);
    return kind === "known" ? { kind } : { kind, error };
  }
}

export function classifyBroadcastError(error: unknown): BroadcastFailure {
  const text = errorText(error);
  for (const [failure, pattern] of patterns) if (pattern.test(text)) return failure;
  if (error instanceof BaseError && error.walk((e) => transportErrors.has((e as Error).name))) {
    return "unanswered";
  }
  return "rejected";
}

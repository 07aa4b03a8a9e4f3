// Sending a signed transaction and reading the node's answer. Nodes say the same things in
// different words (geth, Hardhat/EDR, Erigon, Nethermind); the patterns cover the common ones.
import { BaseError } from "viem";
import type { Hex, PublicClient } from "viem";
import { errorText } from "./errors.js";
import type { BroadcastFailure } from "./types.js";

export type { BroadcastFailure };

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

// What the baseline's worker POSTs: the body Herald sends for one of the bench's events, signed
// the way Herald signs it, through Herald's public signing and envelope functions.
import { buildEnvelope, newId, signatureHeader } from "../../src/index.js";

/** The type of the baseline's events, as the HTTPS phases publish them. */
export const EVENT_TYPE = "nfts.create.succeeded";
const USER_AGENT = "BullMQ-Webhooks-Baseline/0.1";

/**
 * Standard Webhooks v1 headers, made as Herald's dispatcher makes them
 * (src/dispatcher/attempt.ts): the signature is over `${id}.${timestamp}.${body}`, the
 * timestamp is the attempt's, in seconds.
 */
export function signedHeaders(
  key: Buffer,
  id: string,
  body: string,
  nowMs: number,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatureHeader([key], id, timestamp, body),
  };
}

/** The JSON body Herald sends for one of its bench's events (`data: { seq }`), padded if asked. */
export function eventBody(seq: number, payloadBytes = 0): { id: string; body: string } {
  const id = newId();
  const envelope = (data: unknown) =>
    buildEnvelope({ id, type: EVENT_TYPE, data, timestamp: Date.now() });
  let body = envelope({ seq });
  if (body.length < payloadBytes) {
    const bare = envelope({ seq, pad: "" });
    body = envelope({ seq, pad: "x".repeat(Math.max(0, payloadBytes - bare.length)) });
  }
  return { id, body };
}

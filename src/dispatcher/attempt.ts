import { openDestination } from "../core/webhooks/destination-config.js";
import { buildEnvelope, iso } from "../core/policy/envelope.js";
import { webhookHeaders } from "../core/policy/webhook-headers.js";
import { bodyFormatOf, originalBody } from "../core/policy/webhook-format.js";
import type {
  ClaimedDelivery,
  DeliveryOutcome,
  EndpointEffect,
  NewEvent,
} from "../core/interfaces.js";
import { newId } from "../core/runtime/ids.js";
import { decideVerdict, shouldAutoDisable } from "../core/policy/retry-policy.js";
import type { SecretBox } from "../core/runtime/secret-box.js";
import { signaturesHeader, signingKeyOf, type SigningKey } from "../core/policy/signing.js";
import type { DestinationResult, OutboundMessage } from "../destinations/destination.js";
import type { DestinationRegistry } from "../destinations/registry.js";

// One attempt, in three steps: prepare the signed message, call the destination, turn the
// result into the outcome the store applies.

/** Watches attempts (metrics, traces): told as each starts, and how it ended. */
export interface AttemptObserver {
  start(claim: ClaimedDelivery): AttemptWatch;
}

export interface AttemptWatch {
  /** Headers the message carries besides its own (a `traceparent`). */
  headers?: Record<string, string>;
  /** The attempt's result: its outcome, or Herald's own failure to make it. */
  end(result: AttemptResult): void;
}

export interface AttemptContext {
  /** Told of every attempt; none by default. */
  observers?: readonly AttemptObserver[];
  box: SecretBox;
  destinations: DestinationRegistry;
  timeoutMs: number;
  schedule: readonly number[];
  autoDisableMs: number;
  leaseOwner: string;
  now: () => number;
  random: () => number;
}

export const OPERATIONAL_TYPES = new Set([
  "endpoint.disabled",
  "delivery.exhausted",
  "signer.balance_low",
]);

// The dispatcher's only copy of opened secrets: the signing keys (HMAC or ed25519, as each
// secret's prefix says), by sealed value.
const keyCache = new Map<string, SigningKey>();
function signingKey(box: SecretBox, sealed: string): SigningKey {
  let key = keyCache.get(sealed);
  if (!key) {
    key = signingKeyOf(box.open(sealed));
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(sealed, key);
  }
  return key;
}

export function prepareMessage(
  claim: ClaimedDelivery,
  ctx: AttemptContext,
  now: number,
): OutboundMessage {
  const { endpoint } = claim;
  const keys = [signingKey(ctx.box, endpoint.secretEnc)];
  if (endpoint.previousSecretEnc && (endpoint.previousSecretExpiresAt ?? 0) > now) {
    keys.push(signingKey(ctx.box, endpoint.previousSecretEnc));
  }
  const timestamp = Math.floor(now / 1000);
  const original = bodyFormatOf(endpoint.format, claim.eventType) === "original";
  const body = original
    ? originalBody(claim.payload, {
        event: claim.eventType,
        appUid: claim.projectId,
        attempt: claim.attempt,
        correlationId: claim.eventId,
        sentAt: now,
      })
    : claim.payload;
  const signature = signaturesHeader(keys, claim.eventId, timestamp, body);
  return {
    eventId: claim.eventId,
    eventType: claim.eventType,
    attempt: claim.attempt,
    endpointId: endpoint.id,
    body,
    headers: webhookHeaders({
      eventId: claim.eventId,
      eventType: claim.eventType,
      attempt: claim.attempt,
      timestamp,
      signature,
      ...(original ? { appUid: claim.projectId } : {}),
    }),
  };
}

function operationalEvent(
  projectId: string,
  type: string,
  data: unknown,
  now: number,
  excludeEndpointId: string,
): NewEvent {
  const id = newId();
  return {
    id,
    projectId,
    type,
    actionId: null,
    createdAt: now,
    payload: buildEnvelope({ id, type, data, timestamp: now }),
    excludeEndpointId,
  };
}

export function outcomeOf(
  claim: ClaimedDelivery,
  result: DestinationResult,
  startedAt: number,
  ctx: AttemptContext,
): DeliveryOutcome {
  const finishedAt = ctx.now();
  const verdict = decideVerdict(
    result,
    ctx.schedule,
    claim.scheduleIndex,
    finishedAt,
    ctx.random(),
  );
  const succeeded = verdict.kind === "succeeded";
  const { endpoint } = claim;
  const failingSince = endpoint.failingSince ?? finishedAt;
  const disable = (reason: string): EndpointEffect => ({
    kind: "disable",
    reason,
    event: operationalEvent(
      claim.projectId,
      "endpoint.disabled",
      {
        endpointId: endpoint.id,
        url: endpoint.url,
        reason,
        failingSince: succeeded ? null : iso(failingSince),
      },
      finishedAt,
      endpoint.id,
    ),
  });
  let endpointEffect: EndpointEffect = succeeded
    ? { kind: "healthy" }
    : { kind: "failing", since: failingSince };
  if (verdict.kind === "gone") endpointEffect = disable("the endpoint answered 410 Gone");
  else if (!succeeded && shouldAutoDisable(endpoint.failingSince, finishedAt, ctx.autoDisableMs)) {
    endpointEffect = disable(`every attempt failed since ${new Date(failingSince).toISOString()}`);
  }
  // An operational event that could not be delivered announces nothing further: otherwise
  // failing endpoints subscribed to delivery.exhausted would feed each other without end.
  const publish =
    verdict.kind === "exhausted" && !OPERATIONAL_TYPES.has(claim.eventType)
      ? [
          operationalEvent(
            claim.projectId,
            "delivery.exhausted",
            {
              endpointId: endpoint.id,
              eventId: claim.eventId,
              eventType: claim.eventType,
              deliveryId: claim.id,
              attempts: claim.attempt,
              lastStatusCode: result.statusCode,
              lastError: result.error,
            },
            finishedAt,
            endpoint.id,
          ),
        ]
      : [];
  return {
    deliveryId: claim.id,
    leaseOwner: ctx.leaseOwner,
    endpointId: endpoint.id,
    attempt: {
      deliveryId: claim.id,
      number: claim.attempt,
      startedAt,
      durationMs: finishedAt - startedAt,
      statusCode: result.statusCode,
      responseBody: result.responseBody,
      error: result.error,
      outcome: succeeded ? "succeeded" : "failed",
    },
    status: verdict.kind === "retry" ? "pending" : succeeded ? "succeeded" : "failed",
    nextAttemptAt: verdict.kind === "retry" ? finishedAt + verdict.delayMs : null,
    scheduleIndex: verdict.kind === "retry" ? claim.scheduleIndex + 1 : claim.scheduleIndex,
    endpointEffect,
    publish,
  };
}

/**
 * An attempt's outcome, or `herald`: it could not be made because of Herald itself (a secret
 * sealed under another master key, a destination client that cannot be built). That is no
 * failure of the endpoint: the caller gives the delivery back without an attempt.
 */
export type AttemptResult = { outcome: DeliveryOutcome } | { herald: Error };

export async function runAttempt(
  claim: ClaimedDelivery,
  ctx: AttemptContext,
): Promise<AttemptResult> {
  const watches = ctx.observers?.map((observer) => observer.start(claim)) ?? [];
  const result = await attempt(claim, ctx, watches);
  for (const watch of watches) watch.end(result);
  return result;
}

async function attempt(
  claim: ClaimedDelivery,
  ctx: AttemptContext,
  watches: AttemptWatch[],
): Promise<AttemptResult> {
  const startedAt = ctx.now();
  let result: DestinationResult;
  try {
    const message = prepareMessage(claim, ctx, startedAt);
    for (const watch of watches) Object.assign(message.headers, watch.headers);
    result = await ctx.destinations.deliver(
      openDestination(ctx.box, claim.endpoint),
      message,
      ctx.timeoutMs,
    );
  } catch (error) {
    return { herald: error instanceof Error ? error : new Error(String(error)) };
  }
  return { outcome: outcomeOf(claim, result, startedAt, ctx) };
}

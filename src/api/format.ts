import { iso } from "../core/policy/envelope.js";
import { invalid } from "../core/errors.js";
import type { EndpointView } from "../core/webhooks/endpoints.js";
import type { Action, Attempt, Delivery, EventRecord } from "../core/interfaces.js";

// Domain objects as the API shows them: ISO timestamps, no internal fields.

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function endpointView(e: EndpointView) {
  return {
    id: e.id,
    url: e.url,
    destination: e.destination,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    rateLimit: e.rateLimit,
    failingSince: isoOrNull(e.failingSince),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

export function attemptView(a: Attempt) {
  return {
    id: a.id,
    number: a.number,
    startedAt: iso(a.startedAt),
    durationMs: a.durationMs,
    statusCode: a.statusCode,
    responseBody: a.responseBody,
    error: a.error,
    outcome: a.outcome,
  };
}

export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    eventId: d.eventId,
    endpointId: d.endpointId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attempts,
    nextAttemptAt: isoOrNull(d.nextAttemptAt),
    lastStatusCode: d.lastStatusCode,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
    completedAt: isoOrNull(d.completedAt),
  };
}

export function eventView(e: EventRecord) {
  return {
    id: e.id,
    type: e.type,
    actionId: e.actionId,
    createdAt: iso(e.createdAt),
    payload: JSON.parse(e.payload) as unknown,
  };
}

/** Crossmint's action object. */
export function actionView(a: Action) {
  return {
    actionId: a.id,
    action: a.action,
    status: a.status,
    data: a.data,
    startedAt: iso(a.startedAt),
    ...(a.status === "succeeded" && a.completedAt !== null
      ? { completedAt: iso(a.completedAt) }
      : {}),
    resource: a.resource ?? "",
  };
}

/**
 * A date-time from a request as epoch ms. The schema's `date-time` format admits forms Date
 * cannot read (a leap second, 23:59:60), which would otherwise reach the store as NaN.
 */
export function parseTime(text: string, field: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalid(`${field} must be a date-time such as 2026-12-01T10:00:00Z`);
  return ms;
}

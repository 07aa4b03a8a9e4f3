import type { Static } from "@sinclair/typebox";
import { iso } from "../../../core/policy/envelope.js";
import type {
  Attempt as AttemptRecord,
  Delivery as DeliveryRecord,
} from "../../../core/interfaces.js";
import { isoOrNull } from "../shared.js";
import type { Attempt, Delivery } from "./schemas.js";

export function attemptView(a: AttemptRecord): Static<typeof Attempt> {
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

export function deliveryView(d: DeliveryRecord): Static<typeof Delivery> {
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

import type { ClaimRequest, ClaimedDelivery, DeliveryOutcome } from "../../core/interfaces.js";
import { sql, type Db } from "./database.js";
import { setDeliveriesPaused } from "./endpoints.js";
import { insertEventWithDeliveries } from "./events.js";
import { webhookFormat } from "../rows.js";

// The outbox is the queue. A leased delivery stays `pending` with next_attempt_at moved to
// the end of its lease: if its worker dies, it simply becomes due again.

interface ClaimRow {
  id: string;
  event_id: string;
  project_id: string;
  event_type: string;
  attempts: number;
  schedule_index: number;
  payload: string;
  trace_parent: string | null;
  endpoint_id: string;
  url: string;
  destination_type: string;
  destination_enc: string | null;
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: number | null;
  failing_since: number | null;
  quiet_until: number | null;
  rate_limit: number | null;
  format: string;
}

const CLAIM_SQL = `
  SELECT d.id, d.event_id, d.project_id, d.event_type, d.attempts, d.schedule_index,
         ev.payload, ev.trace_parent, d.endpoint_id, ep.url, ep.destination_type, ep.destination_enc, ep.secret_enc, ep.previous_secret_enc,
         ep.previous_secret_expires_at, ep.failing_since, ep.quiet_until, ep.rate_limit, ep.format
  FROM deliveries d
  JOIN events ev ON ev.id = d.event_id
  JOIN endpoints ep ON ep.id = d.endpoint_id
  WHERE d.status = 'pending' AND d.next_attempt_at <= ?
    AND d.endpoint_id NOT IN (SELECT value FROM json_each(?))
  ORDER BY d.next_attempt_at
  LIMIT ?`;

export function claimDueDeliveries(db: Db, request: ClaimRequest): ClaimedDelivery[] {
  return db.transaction(() => {
    const rows = sql(db, CLAIM_SQL).all(
      request.now,
      JSON.stringify(request.excludeEndpointIds),
      request.limit,
    ) as ClaimRow[];
    const lease = sql(
      db,
      "UPDATE deliveries SET next_attempt_at = ?, lease_owner = ?, parked = 0 WHERE id = ?",
    );
    const leaseUntil = request.now + request.leaseMs;
    for (const row of rows) lease.run(leaseUntil, request.owner, row.id);
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      projectId: row.project_id,
      eventType: row.event_type,
      payload: row.payload,
      attempt: row.attempts + 1,
      scheduleIndex: row.schedule_index,
      ...(row.trace_parent ? { traceParent: row.trace_parent } : {}),
      endpoint: {
        id: row.endpoint_id,
        url: row.url,
        destinationType: row.destination_type,
        destinationEnc: row.destination_enc,
        secretEnc: row.secret_enc,
        previousSecretEnc: row.previous_secret_enc,
        previousSecretExpiresAt: row.previous_secret_expires_at,
        failingSince: row.failing_since,
        quietUntil: row.quiet_until,
        rateLimit: row.rate_limit,
        format: webhookFormat(row.format),
      },
    }));
  })();
}

function applyOne(db: Db, o: DeliveryOutcome): void {
  const a = o.attempt;
  // The delivery may have been deleted with its endpoint while the attempt was in flight.
  sql(
    db,
    `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms,
       status_code, response_body, error, outcome)
     SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = ?)`,
  ).run(
    o.deliveryId,
    o.endpointId,
    a.number,
    a.startedAt,
    a.durationMs,
    a.statusCode,
    a.responseBody,
    a.error,
    a.outcome,
    o.deliveryId,
  );
  const updated = sql(
    db,
    `UPDATE deliveries SET
       status = CASE WHEN ? = 'pending' AND (SELECT enabled FROM endpoints WHERE id = endpoint_id) = 0
                     THEN 'paused' ELSE ? END,
       attempts = MAX(attempts, ?), schedule_index = ?, next_attempt_at = ?, lease_owner = NULL,
       last_status_code = ?, updated_at = ?, completed_at = ?
     WHERE id = ? AND lease_owner = ? AND status IN ('pending', 'paused')`,
  ).run(
    o.status,
    o.status,
    a.number,
    o.scheduleIndex,
    o.nextAttemptAt,
    a.statusCode,
    a.startedAt + a.durationMs,
    o.status === "pending" ? null : a.startedAt + a.durationMs,
    o.deliveryId,
    o.leaseOwner,
  );
  if (updated.changes === 0) {
    // The lease was taken away (a resend, say): the row is someone else's now, but the
    // attempt happened and its number is used.
    sql(db, "UPDATE deliveries SET attempts = MAX(attempts, ?) WHERE id = ?").run(
      a.number,
      o.deliveryId,
    );
  }
  const at = a.startedAt + a.durationMs;
  const effect = o.endpointEffect;
  if (effect.kind === "healthy") {
    // Only a quiet endpoint has deliveries parked for it.
    const quiet = sql(
      db,
      "UPDATE endpoints SET quiet_until = NULL WHERE id = ? AND quiet_until IS NOT NULL",
    ).run(o.endpointId);
    if (quiet.changes > 0) unparkDeliveries(db, o.endpointId, at);
    sql(
      db,
      "UPDATE endpoints SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL",
    ).run(o.endpointId);
  } else if (effect.kind === "failing") {
    sql(db, "UPDATE endpoints SET failing_since = ? WHERE id = ? AND failing_since IS NULL").run(
      effect.since,
      o.endpointId,
    );
    if (effect.quietUntil !== undefined) quietEndpoint(db, o.endpointId, effect.quietUntil);
  } else {
    const disabled = sql(
      db,
      `UPDATE endpoints SET enabled = 0, disabled_reason = ?, updated_at = ?
       WHERE id = ? AND enabled = 1`,
    ).run(effect.reason, at, o.endpointId);
    if (disabled.changes > 0) {
      setDeliveriesPaused(db, o.endpointId, true, at);
      insertEventWithDeliveries(db, effect.event);
    }
  }
  if (updated.changes > 0) for (const event of o.publish) insertEventWithDeliveries(db, event);
}

export function applyDeliveryOutcomes(db: Db, outcomes: DeliveryOutcome[]): void {
  db.transaction(() => {
    for (const outcome of outcomes) applyOne(db, outcome);
  })();
}

export function releaseDeliveries(db: Db, ids: string[], owner: string, dueAt: number): void {
  db.transaction(() => {
    const release = sql(
      db,
      "UPDATE deliveries SET next_attempt_at = ?, lease_owner = NULL WHERE id = ? AND lease_owner = ?",
    );
    for (const id of ids) release.run(dueAt, id, owner);
  })();
}

/** Parked deliveries of a quiet or busy endpoint: due at their own times, marked parked. */
export function parkDeliveries(
  db: Db,
  parks: Array<{ id: string; until: number }>,
  owner: string,
): void {
  db.transaction(() => {
    const park = sql(
      db,
      `UPDATE deliveries SET next_attempt_at = ?, lease_owner = NULL, parked = 1
       WHERE id = ? AND lease_owner = ?`,
    );
    for (const { id, until } of parks) park.run(until, id, owner);
  })();
}

/** The endpoint answered again: whatever was parked for it is due now. */
function unparkDeliveries(db: Db, endpointId: string, at: number): void {
  sql(
    db,
    `UPDATE deliveries SET next_attempt_at = ?, parked = 0
     WHERE endpoint_id = ? AND parked = 1 AND status = 'pending' AND lease_owner IS NULL`,
  ).run(at, endpointId);
}

export function quietEndpoint(db: Db, endpointId: string, until: number): void {
  sql(
    db,
    `UPDATE endpoints SET quiet_until = ?
     WHERE id = ? AND (quiet_until IS NULL OR quiet_until < ?)`,
  ).run(until, endpointId, until);
}

export function releaseAllLeases(db: Db, now: number): number {
  return sql(
    db,
    `UPDATE deliveries SET next_attempt_at = ?, lease_owner = NULL
     WHERE status = 'pending' AND lease_owner IS NOT NULL`,
  ).run(now).changes;
}

export function nextDueAt(db: Db): number | null {
  const row = sql(
    db,
    "SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE status = 'pending'",
  ).get() as {
    t: number | null;
  };
  return row.t;
}

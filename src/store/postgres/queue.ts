import type { ClaimRequest, ClaimedDelivery, DeliveryOutcome } from "../../core/interfaces.js";
import { row, rows, run, withTransaction, type Client, type Db, type Pool } from "./database.js";
import { setDeliveriesPaused } from "./endpoints.js";
import { insertEventsWithDeliveries, insertEventWithDeliveries } from "./outbox.js";
import { num, numOrNull, strOrNull, traceParentOf, webhookFormat } from "../rows.js";

// The outbox is the queue. A leased delivery stays `pending` with next_attempt_at moved to
// the end of its lease: if its worker dies, it simply becomes due again.

// Several processes claim at once. One statement (so one transaction) picks due rows with
// FOR UPDATE SKIP LOCKED — rows another claimer has locked are skipped, not waited for — and
// moves their next_attempt_at to the end of the lease before the locks are released at
// commit. A row locked and leased by one claimer no longer matches `next_attempt_at <= now`
// for the next one (READ COMMITTED re-checks a locked row's condition on its latest version),
// so no delivery is claimed twice while its lease runs.
const CLAIM_SQL = `
  WITH due AS (
    SELECT id, next_attempt_at AS due_at
    FROM deliveries
    WHERE status = 'pending' AND next_attempt_at <= $1
      AND endpoint_id <> ALL ($2::text[])
    ORDER BY next_attempt_at, id
    LIMIT $3
    FOR UPDATE SKIP LOCKED
  ), leased AS (
    UPDATE deliveries d SET next_attempt_at = $4, lease_owner = $5, parked = false
    FROM due
    WHERE d.id = due.id
    RETURNING d.id, d.event_id, d.project_id, d.event_type, d.attempts, d.schedule_index,
              d.endpoint_id, due.due_at
  )
  SELECT l.*, ev.payload, ev.trace_parent, ep.url, ep.destination_type, ep.destination_enc, ep.secret_enc, ep.previous_secret_enc,
         ep.previous_secret_expires_at, ep.failing_since, ep.quiet_until, ep.rate_limit, ep.format
  FROM leased l
  JOIN events ev ON ev.id = l.event_id
  JOIN endpoints ep ON ep.id = l.endpoint_id
  ORDER BY l.due_at, l.id`;

export async function claimDueDeliveries(
  db: Db,
  request: ClaimRequest,
): Promise<ClaimedDelivery[]> {
  if (request.limit <= 0) return [];
  const claimed = await rows(db, CLAIM_SQL, [
    request.now,
    request.excludeEndpointIds,
    request.limit,
    request.now + request.leaseMs,
    request.owner,
  ]);
  return claimed.map((r) => ({
    id: r.id as string,
    eventId: r.event_id as string,
    projectId: r.project_id as string,
    eventType: r.event_type as string,
    payload: r.payload as string,
    attempt: num(r.attempts) + 1,
    scheduleIndex: num(r.schedule_index),
    ...traceParentOf(r),
    endpoint: {
      id: r.endpoint_id as string,
      url: r.url as string,
      destinationType: r.destination_type as string,
      destinationEnc: strOrNull(r.destination_enc),
      secretEnc: r.secret_enc as string,
      previousSecretEnc: strOrNull(r.previous_secret_enc),
      previousSecretExpiresAt: numOrNull(r.previous_secret_expires_at),
      failingSince: numOrNull(r.failing_since),
      quietUntil: numOrNull(r.quiet_until),
      rateLimit: numOrNull(r.rate_limit),
      format: webhookFormat(r.format),
    },
  }));
}

const finishedAt = (o: DeliveryOutcome) => o.attempt.startedAt + o.attempt.durationMs;

/**
 * The endpoints of the batch, and a lock on each one the batch will write — those with a
 * failing or disable outcome, and failing ones a healthy outcome clears — taken in id order
 * before any delivery's: disabling an endpoint (here or through the API) locks the endpoint,
 * then its deliveries, so concurrent writers wait for each other instead of deadlocking.
 * Healthy outcomes of a healthy endpoint, the common case, lock nothing and stay parallel.
 * An endpoint missing from the map was deleted (with its deliveries).
 */
interface EndpointState {
  failingSince: number | null;
  quietUntil: number | null;
}

async function endpointStates(
  client: Client,
  outcomes: DeliveryOutcome[],
): Promise<Map<string, EndpointState>> {
  const ids = [...new Set(outcomes.map((o) => o.endpointId))];
  const unhealthy = new Set(
    outcomes.filter((o) => o.endpointEffect.kind !== "healthy").map((o) => o.endpointId),
  );
  const stateOf = (r: Record<string, unknown>): EndpointState => ({
    failingSince: numOrNull(r.failing_since),
    quietUntil: numOrNull(r.quiet_until),
  });
  const read = await rows(
    client,
    "SELECT id, failing_since, quiet_until FROM endpoints WHERE id = ANY ($1::text[])",
    [ids],
  );
  const states = new Map(read.map((r) => [r.id as string, stateOf(r)]));
  const toLock = read
    .filter(
      (r) => unhealthy.has(r.id as string) || r.failing_since !== null || r.quiet_until !== null,
    )
    .map((r) => r.id as string);
  if (toLock.length > 0) {
    const locked = await rows(
      client,
      `SELECT id, failing_since, quiet_until FROM endpoints WHERE id = ANY ($1::text[])
       ORDER BY id FOR NO KEY UPDATE`,
      [toLock],
    );
    for (const id of toLock) states.delete(id);
    for (const r of locked) states.set(r.id as string, stateOf(r));
  }
  return states;
}

/** Each attempt, unless its delivery was deleted with its endpoint while it was in flight. */
async function insertAttempts(client: Client, outcomes: DeliveryOutcome[]): Promise<void> {
  const a = outcomes.map((o) => o.attempt);
  await run(
    client,
    `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms,
       status_code, response_body, error, outcome)
     SELECT a.* FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::int[],
                            $6::int[], $7::text[], $8::text[], $9::text[])
       AS a (delivery_id, endpoint_id, number, started_at, duration_ms, status_code,
             response_body, error, outcome)
     WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.id = a.delivery_id)`,
    [
      outcomes.map((o) => o.deliveryId),
      outcomes.map((o) => o.endpointId),
      a.map((x) => x.number),
      a.map((x) => x.startedAt),
      a.map((x) => x.durationMs),
      a.map((x) => x.statusCode),
      a.map((x) => x.responseBody),
      a.map((x) => x.error),
      a.map((x) => x.outcome),
    ],
  );
}

/**
 * The new state of every delivery still leased by the outcome's owner (a pending one of a
 * disabled endpoint is paused); the ids it changed. A delivery whose lease was taken away (a
 * resend, say) is someone else's now: only its attempt count moves, since the attempt
 * happened and its number is used.
 */
async function updateDeliveries(client: Client, outcomes: DeliveryOutcome[]): Promise<Set<string>> {
  const updated = await rows(
    client,
    `UPDATE deliveries d SET
       status = CASE WHEN o.status = 'pending' AND NOT ep.enabled THEN 'paused' ELSE o.status END,
       attempts = GREATEST(d.attempts, o.number), schedule_index = o.schedule_index,
       next_attempt_at = o.next_attempt_at, lease_owner = NULL, last_status_code = o.status_code,
       updated_at = o.finished_at,
       completed_at = CASE WHEN o.status = 'pending' THEN NULL ELSE o.finished_at END
     FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::int[], $6::bigint[],
                 $7::int[], $8::bigint[])
            AS o (delivery_id, lease_owner, status, number, schedule_index, next_attempt_at,
                  status_code, finished_at),
          endpoints ep
     WHERE d.id = o.delivery_id AND d.lease_owner = o.lease_owner
       AND d.status IN ('pending', 'paused') AND ep.id = d.endpoint_id
     RETURNING d.id`,
    [
      outcomes.map((o) => o.deliveryId),
      outcomes.map((o) => o.leaseOwner),
      outcomes.map((o) => o.status),
      outcomes.map((o) => o.attempt.number),
      outcomes.map((o) => o.scheduleIndex),
      outcomes.map((o) => o.nextAttemptAt),
      outcomes.map((o) => o.attempt.statusCode),
      outcomes.map(finishedAt),
    ],
  );
  const ids = new Set(updated.map((r) => r.id as string));
  const taken = outcomes.filter((o) => !ids.has(o.deliveryId));
  if (taken.length > 0) {
    await run(
      client,
      `UPDATE deliveries d SET attempts = GREATEST(d.attempts, o.number)
       FROM unnest($1::text[], $2::int[]) AS o (delivery_id, number)
       WHERE d.id = o.delivery_id`,
      [taken.map((o) => o.deliveryId), taken.map((o) => o.attempt.number)],
    );
  }
  return ids;
}

/** The outcome's effect on its endpoint; a statement only when it changes something. */
async function applyEndpointEffect(
  client: Client,
  o: DeliveryOutcome,
  state: EndpointState | undefined,
): Promise<void> {
  const effect = o.endpointEffect;
  if (!state) return;
  if (effect.kind === "healthy") {
    if (state.failingSince === null && state.quietUntil === null) return;
    await run(
      client,
      "UPDATE endpoints SET failing_since = NULL, quiet_until = NULL WHERE id = $1",
      [o.endpointId],
    );
    // Only a quiet endpoint has deliveries parked for it.
    if (state.quietUntil !== null) await unparkDeliveries(client, o.endpointId, finishedAt(o));
    state.failingSince = null;
    state.quietUntil = null;
  } else if (effect.kind === "failing") {
    const quietUntil = Math.max(state.quietUntil ?? 0, effect.quietUntil ?? 0) || null;
    if (state.failingSince !== null && quietUntil === state.quietUntil) return;
    await run(
      client,
      "UPDATE endpoints SET failing_since = COALESCE(failing_since, $1), quiet_until = $2 WHERE id = $3",
      [effect.since, quietUntil, o.endpointId],
    );
    state.failingSince ??= effect.since;
    state.quietUntil = quietUntil;
  } else {
    const at = finishedAt(o);
    const disabled = await run(
      client,
      `UPDATE endpoints SET enabled = false, disabled_reason = $1, updated_at = $2
       WHERE id = $3 AND enabled`,
      [effect.reason, at, o.endpointId],
    );
    if (disabled > 0) {
      await setDeliveriesPaused(client, o.endpointId, true, at);
      await insertEventWithDeliveries(client, effect.event);
    }
  }
}

/** The batch cut where a delivery comes again (its lease expired and it was claimed again). */
function withoutRepeats(outcomes: DeliveryOutcome[]): DeliveryOutcome[][] {
  const chunks: DeliveryOutcome[][] = [[]];
  let seen = new Set<string>();
  for (const o of outcomes) {
    if (seen.has(o.deliveryId)) {
      chunks.push([]);
      seen = new Set();
    }
    seen.add(o.deliveryId);
    chunks[chunks.length - 1]!.push(o);
  }
  return chunks;
}

/**
 * One transaction for the batch and a handful of statements for all of it, with the result
 * of applying the outcomes one after the other (as SQLite does): attempts recorded, leased
 * deliveries moved on, then in batch order each endpoint effect and each outcome's events.
 * Delivery rows are locked in one order (endpoint, id), as resends lock them. Should a rare
 * lock cycle remain, PostgreSQL aborts one transaction and the OutcomeWriter retries it.
 */
export async function applyDeliveryOutcomes(
  pool: Pool,
  outcomes: DeliveryOutcome[],
): Promise<void> {
  if (outcomes.length === 0) return;
  await withTransaction(pool, async (client) => {
    for (const chunk of withoutRepeats(outcomes)) {
      const endpoints = await endpointStates(client, chunk);
      await client.query(
        `SELECT 1 FROM deliveries WHERE id = ANY ($1::text[])
         ORDER BY endpoint_id, id FOR NO KEY UPDATE`,
        [chunk.map((o) => o.deliveryId)],
      );
      await insertAttempts(client, chunk);
      const updated = await updateDeliveries(client, chunk);
      for (const o of chunk) {
        await applyEndpointEffect(client, o, endpoints.get(o.endpointId));
        if (updated.has(o.deliveryId) && o.publish.length > 0) {
          await insertEventsWithDeliveries(client, o.publish);
        }
      }
    }
  });
}

export async function releaseDeliveries(
  db: Db,
  ids: string[],
  owner: string,
  dueAt: number,
): Promise<void> {
  if (ids.length === 0) return;
  await run(
    db,
    `UPDATE deliveries SET next_attempt_at = $1, lease_owner = NULL
     WHERE id = ANY ($2::text[]) AND lease_owner = $3`,
    [dueAt, [...ids].sort(), owner],
  );
}

/** Parked deliveries of a quiet or busy endpoint: due at their own times, marked parked. */
export async function parkDeliveries(
  db: Db,
  parks: Array<{ id: string; until: number }>,
  owner: string,
): Promise<void> {
  if (parks.length === 0) return;
  const sorted = [...parks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await run(
    db,
    `UPDATE deliveries d SET next_attempt_at = p.until, lease_owner = NULL, parked = true
     FROM unnest($1::text[], $2::bigint[]) AS p (id, until)
     WHERE d.id = p.id AND d.lease_owner = $3`,
    // bigint column: a fractional time would fail the whole claim pass (22P02).
    [sorted.map((p) => p.id), sorted.map((p) => Math.ceil(p.until)), owner],
  );
}

/** The endpoint answered again: whatever was parked for it is due now. */
async function unparkDeliveries(client: Client, endpointId: string, at: number): Promise<void> {
  await run(
    client,
    `UPDATE deliveries SET next_attempt_at = $1, parked = false
     WHERE endpoint_id = $2 AND status = 'pending' AND parked AND lease_owner IS NULL`,
    [at, endpointId],
  );
}

export async function quietEndpoint(db: Db, endpointId: string, until: number): Promise<void> {
  await run(
    db,
    `UPDATE endpoints SET quiet_until = $1
     WHERE id = $2 AND (quiet_until IS NULL OR quiet_until < $1)`,
    [until, endpointId],
  );
}

/**
 * Voids every lease. Only for a store that one process uses: on PostgreSQL several live
 * processes share the queue, and this would hand their in-flight deliveries to others (a
 * second attempt while the first is running). The composition root must not call it on
 * PostgreSQL, where leases simply expire; it exists so the Store contract holds.
 */
export async function releaseAllLeases(db: Db, now: number): Promise<number> {
  return run(
    db,
    `UPDATE deliveries SET next_attempt_at = $1, lease_owner = NULL
     WHERE status = 'pending' AND lease_owner IS NOT NULL`,
    [now],
  );
}

export async function nextDueAt(db: Db): Promise<number | null> {
  const found = await row(
    db,
    "SELECT MIN(next_attempt_at) AS t FROM deliveries WHERE status = 'pending'",
  );
  return numOrNull(found?.t ?? null);
}

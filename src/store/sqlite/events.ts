import { fanOut } from "../../core/policy/event-filter.js";
import { eventsWritten } from "../../observability/events-written.js";
import { newId } from "../../core/runtime/ids.js";
import type {
  Attempt,
  Delivery,
  DeliveryFilter,
  EventFilter,
  EventRecord,
  Idempotency,
  IdempotentResult,
  NewEvent,
  Page,
  PublishedEvent,
} from "../../core/interfaces.js";
import type { PageRequest } from "../../core/ports/store.js";
import { sql, Where, type Db } from "./database.js";
import { withIdempotency } from "./idempotency.js";
import { pageOf, toAttempt, toDelivery, toEvent, toFanOutEndpoint } from "../rows.js";

type Row = Record<string, unknown>;

export function getEvent(db: Db, projectId: string, id: string): EventRecord | null {
  const row = sql(db, "SELECT * FROM events WHERE id = ? AND project_id = ?").get(id, projectId) as
    Row | undefined;
  return row ? toEvent(row) : null;
}

/** A pending delivery due at `dueAt` (parked: born parked for a quiet endpoint). */
export function insertDelivery(
  db: Db,
  event: NewEvent,
  endpointId: string,
  dueAt: number,
  parked = false,
): void {
  sql(
    db,
    `INSERT INTO deliveries (id, event_id, endpoint_id, project_id, event_type, status,
       next_attempt_at, parked, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
  ).run(
    newId(),
    event.id,
    endpointId,
    event.projectId,
    event.type,
    dueAt,
    parked ? 1 : 0,
    event.createdAt,
    event.createdAt,
  );
}

const FAN_OUT_COLUMNS = "id, project_id, enabled, event_types, failing_since, quiet_until";

/** The outbox write: the event and its fan-out. Call inside a transaction. */
export function insertEventWithDeliveries(db: Db, event: NewEvent): number {
  eventsWritten.inc();
  sql(
    db,
    `INSERT INTO events (id, project_id, type, action_id, payload, created_at, trace_parent)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.id,
    event.projectId,
    event.type,
    event.actionId,
    event.payload,
    event.createdAt,
    event.traceParent ?? null,
  );
  const candidates = (
    event.onlyEndpointId
      ? sql(db, `SELECT ${FAN_OUT_COLUMNS} FROM endpoints WHERE id = ?`).all(event.onlyEndpointId)
      : sql(
          db,
          `SELECT ${FAN_OUT_COLUMNS} FROM endpoints WHERE project_id = ? AND enabled = 1`,
        ).all(event.projectId)
  ) as Row[];
  const targets = fanOut(event, candidates.map(toFanOutEndpoint));
  for (const target of targets) {
    insertDelivery(db, event, target.endpointId, target.dueAt, target.parked);
  }
  return targets.length;
}

export function publishEvent(
  db: Db,
  event: NewEvent,
  idempotency?: Idempotency,
): IdempotentResult<PublishedEvent> {
  return db.transaction(() => {
    let deliveries = 0;
    const result = withIdempotency(
      db,
      event.projectId,
      "events",
      idempotency,
      event.createdAt,
      () => {
        deliveries = insertEventWithDeliveries(db, event);
        return event.id;
      },
      (id) => getEvent(db, event.projectId, id),
    );
    if (result.kind === "conflict") return result;
    if (result.kind === "replayed") {
      const row = sql(db, "SELECT COUNT(*) AS n FROM deliveries WHERE event_id = ?").get(
        result.value.id,
      ) as { n: number };
      deliveries = row.n;
    }
    return { kind: result.kind, value: { event: result.value, deliveries } };
  })();
}

class BatchConflict extends Error {
  constructor(readonly index: number) {
    super("idempotency conflict");
  }
}

export function publishEvents(
  db: Db,
  items: Array<{ event: NewEvent; idempotency?: Idempotency }>,
): Array<IdempotentResult<PublishedEvent>> | { conflictAt: number } {
  try {
    return db.transaction(() =>
      items.map((item, index) => {
        const result = publishEvent(db, item.event, item.idempotency);
        if (result.kind === "conflict") throw new BatchConflict(index);
        return result;
      }),
    )();
  } catch (error) {
    if (error instanceof BatchConflict) return { conflictAt: error.index };
    throw error;
  }
}

export function listEvents(
  db: Db,
  projectId: string,
  filter: EventFilter,
  page: PageRequest,
): Page<EventRecord> {
  const where = new Where()
    .and("project_id = ?", projectId)
    .and("type = ?", filter.type)
    .and("created_at >= ?", filter.since)
    .and("created_at < ?", filter.until)
    .and("id < ?", page.cursor);
  return newestFirst(db, "events", where, page.limit, toEvent);
}

export function listEventsAfter(
  db: Db,
  projectId: string,
  afterId: string,
  limit: number,
  upTo?: string,
): EventRecord[] {
  const where = new Where()
    .and("project_id = ?", projectId)
    .and("id > ?", afterId)
    .and("id <= ?", upTo);
  const rows = sql(db, `SELECT * FROM events WHERE ${where} ORDER BY id LIMIT ?`).all(
    ...where.params,
    limit,
  ) as Row[];
  return rows.map(toEvent);
}

/** One page of a table, newest first: ids are time-ordered, so the cursor is the last id. */
function newestFirst<T extends { id: string }>(
  db: Db,
  table: "events" | "deliveries",
  where: Where,
  limit: number,
  map: (row: Row) => T,
): Page<T> {
  const rows = sql(db, `SELECT * FROM ${table} WHERE ${where} ORDER BY id DESC LIMIT ?`).all(
    ...where.params,
    limit + 1,
  ) as Row[];
  return pageOf(rows.map(map), limit);
}

function attemptsOf(db: Db, deliveryId: string): Attempt[] {
  return (
    sql(db, "SELECT * FROM attempts WHERE delivery_id = ? ORDER BY number, id").all(
      deliveryId,
    ) as Row[]
  ).map(toAttempt);
}

export function listEventDeliveries(db: Db, eventId: string) {
  const rows = sql(db, "SELECT * FROM deliveries WHERE event_id = ? ORDER BY id").all(
    eventId,
  ) as Row[];
  return rows.map((row) => {
    const delivery = toDelivery(row);
    return { ...delivery, attemptsList: attemptsOf(db, delivery.id) };
  });
}

export function listEndpointDeliveries(
  db: Db,
  projectId: string,
  endpointId: string,
  filter: DeliveryFilter,
  page: PageRequest,
): Page<Delivery> {
  const where = new Where()
    .and("endpoint_id = ?", endpointId)
    .and("project_id = ?", projectId)
    .and("status = ?", filter.status)
    .and("event_type = ?", filter.type)
    .and("created_at >= ?", filter.since)
    .and("id < ?", page.cursor);
  return newestFirst(db, "deliveries", where, page.limit, toDelivery);
}

export function listDeliveryAttempts(db: Db, projectId: string, deliveryId: string) {
  const owner = sql(db, "SELECT 1 FROM deliveries WHERE id = ? AND project_id = ?").get(
    deliveryId,
    projectId,
  );
  return owner ? attemptsOf(db, deliveryId) : null;
}

export function resendEvent(
  db: Db,
  projectId: string,
  eventId: string,
  endpointId: string | null,
  at: number,
): number | null {
  return db.transaction(() => {
    const event = getEvent(db, projectId, eventId);
    if (!event) return null;
    if (endpointId !== null) {
      const endpoint = sql(db, "SELECT 1 FROM endpoints WHERE id = ? AND project_id = ?").get(
        endpointId,
        projectId,
      );
      if (!endpoint) return null;
      const existing = sql(
        db,
        "SELECT 1 FROM deliveries WHERE event_id = ? AND endpoint_id = ?",
      ).get(eventId, endpointId);
      if (!existing) {
        insertDelivery(db, { ...event, createdAt: at }, endpointId, at);
        // No early return: the UPDATE below pauses the new delivery if the endpoint is disabled.
      }
    }
    // Clearing the lease makes a concurrent in-flight attempt's outcome leave this row alone,
    // so the resend always produces a new attempt.
    const result = sql(
      db,
      `UPDATE deliveries SET
         status = CASE WHEN (SELECT enabled FROM endpoints WHERE id = endpoint_id) = 1
                       THEN 'pending' ELSE 'paused' END,
         schedule_index = 0, next_attempt_at = ?, lease_owner = NULL, completed_at = NULL,
         updated_at = ?
       WHERE event_id = ? AND (? IS NULL OR endpoint_id = ?)`,
    ).run(at, at, eventId, endpointId, endpointId);
    return result.changes;
  })();
}

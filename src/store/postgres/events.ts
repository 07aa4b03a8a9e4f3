import type {
  Attempt,
  Delivery,
  DeliveryFilter,
  EventFilter,
  EventRecord,
  Page,
} from "../../core/interfaces.js";
import type { PageRequest } from "../../core/ports/store.js";
import { atomically, row, rows, run, Where, type Db, type Row } from "./database.js";
import { insertDeliveries } from "./outbox.js";
import { pageOf, toAttempt, toDelivery, toEvent } from "../rows.js";

// Reading events, their deliveries and attempts; resending. The writes of publishing are in
// outbox.ts.

export async function getEvent(db: Db, projectId: string, id: string): Promise<EventRecord | null> {
  const found = await row(db, "SELECT * FROM events WHERE id = $1 AND project_id = $2", [
    id,
    projectId,
  ]);
  return found ? toEvent(found) : null;
}

export function listEvents(
  db: Db,
  projectId: string,
  filter: EventFilter,
  page: PageRequest,
): Promise<Page<EventRecord>> {
  const where = new Where()
    .and("project_id = ?", projectId)
    .and("type = ?", filter.type)
    .and("created_at >= ?", filter.since)
    .and("created_at < ?", filter.until)
    .and("id < ?", page.cursor);
  return newestFirst(db, "events", where, page.limit, toEvent);
}

export async function listEventsAfter(
  db: Db,
  projectId: string,
  afterId: string,
  limit: number,
  upTo?: string,
): Promise<EventRecord[]> {
  const where = new Where()
    .and("project_id = ?", projectId)
    .and("id > ?", afterId)
    .and("id <= ?", upTo);
  const found = await rows(
    db,
    `SELECT * FROM events WHERE ${where} ORDER BY id LIMIT ${where.next()}`,
    [...where.params, limit],
  );
  return found.map(toEvent);
}

/** One page of a table, newest first: ids are time-ordered, so the cursor is the last id. */
async function newestFirst<T extends { id: string }>(
  db: Db,
  table: "events" | "deliveries",
  where: Where,
  limit: number,
  map: (row: Row) => T,
): Promise<Page<T>> {
  const found = await rows(
    db,
    `SELECT * FROM ${table} WHERE ${where} ORDER BY id DESC LIMIT ${where.next()}`,
    [...where.params, limit + 1],
  );
  return pageOf(found.map(map), limit);
}

async function attemptsOf(db: Db, deliveryId: string): Promise<Attempt[]> {
  const found = await rows(
    db,
    "SELECT * FROM attempts WHERE delivery_id = $1 ORDER BY number, id",
    [deliveryId],
  );
  return found.map(toAttempt);
}

export async function listEventDeliveries(
  db: Db,
  eventId: string,
): Promise<Array<Delivery & { attemptsList: Attempt[] }>> {
  const deliveries = (
    await rows(db, "SELECT * FROM deliveries WHERE event_id = $1 ORDER BY id", [eventId])
  ).map(toDelivery);
  if (deliveries.length === 0) return [];
  // Every delivery's attempts in one query, not one per delivery.
  const attempts = (
    await rows(
      db,
      `SELECT a.* FROM attempts a JOIN deliveries d ON d.id = a.delivery_id
       WHERE d.event_id = $1 ORDER BY a.number, a.id`,
      [eventId],
    )
  ).map(toAttempt);
  return deliveries.map((delivery) => ({
    ...delivery,
    attemptsList: attempts.filter((a) => a.deliveryId === delivery.id),
  }));
}

export function listEndpointDeliveries(
  db: Db,
  projectId: string,
  endpointId: string,
  filter: DeliveryFilter,
  page: PageRequest,
): Promise<Page<Delivery>> {
  const where = new Where()
    .and("endpoint_id = ?", endpointId)
    .and("project_id = ?", projectId)
    .and("status = ?", filter.status)
    .and("event_type = ?", filter.type)
    .and("created_at >= ?", filter.since)
    .and("id < ?", page.cursor);
  return newestFirst(db, "deliveries", where, page.limit, toDelivery);
}

export async function listDeliveryAttempts(
  db: Db,
  projectId: string,
  deliveryId: string,
): Promise<Attempt[] | null> {
  const owner = await row(db, "SELECT 1 FROM deliveries WHERE id = $1 AND project_id = $2", [
    deliveryId,
    projectId,
  ]);
  return owner ? attemptsOf(db, deliveryId) : null;
}

export function resendEvent(
  db: Db,
  projectId: string,
  eventId: string,
  endpointId: string | null,
  at: number,
): Promise<number | null> {
  return atomically(db, async (client) => {
    // Locked (KEY SHARE) so that retention cannot delete the event under the resend.
    const found = await row(
      client,
      "SELECT * FROM events WHERE id = $1 AND project_id = $2 FOR KEY SHARE",
      [eventId, projectId],
    );
    if (!found) return null;
    const event = toEvent(found);
    if (endpointId !== null) {
      const endpoint = await row(
        client,
        "SELECT 1 FROM endpoints WHERE id = $1 AND project_id = $2",
        [endpointId, projectId],
      );
      if (!endpoint) return null;
      const existing = await row(
        client,
        "SELECT 1 FROM deliveries WHERE event_id = $1 AND endpoint_id = $2",
        [eventId, endpointId],
      );
      if (!existing) {
        const delivery = {
          eventId,
          endpointId,
          projectId,
          eventType: event.type,
          createdAt: at,
          dueAt: at,
          parked: false,
        };
        await insertDeliveries(client, [delivery]);
        // No early return: the UPDATE below pauses the new delivery if the endpoint is disabled.
      }
    }
    // Locks the event's deliveries in endpoint order, the order outcome batches take them in.
    await client.query(
      `SELECT 1 FROM deliveries WHERE event_id = $1 AND ($2::text IS NULL OR endpoint_id = $2::text)
       ORDER BY endpoint_id, id FOR NO KEY UPDATE`,
      [eventId, endpointId],
    );
    // Clearing the lease makes a concurrent in-flight attempt's outcome leave this row alone,
    // so the resend always produces a new attempt.
    return run(
      client,
      `UPDATE deliveries d SET
         status = CASE WHEN ep.enabled THEN 'pending' ELSE 'paused' END,
         schedule_index = 0, next_attempt_at = $1, lease_owner = NULL, completed_at = NULL,
         updated_at = $1
       FROM endpoints ep
       WHERE ep.id = d.endpoint_id AND d.event_id = $2
         AND ($3::text IS NULL OR d.endpoint_id = $3::text)`,
      [at, eventId, endpointId],
    );
  });
}

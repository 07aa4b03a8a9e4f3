import { fanOut, type FanOutEndpoint, type FanOutTarget } from "../../core/policy/event-filter.js";
import { eventsWritten } from "../../observability/events-written.js";
import { newId } from "../../core/runtime/ids.js";
import type {
  EventRecord,
  Idempotency,
  IdempotentResult,
  NewEvent,
  PublishedEvent,
} from "../../core/interfaces.js";
import {
  atomically,
  rows,
  run,
  withTransaction,
  type Client,
  type Db,
  type Pool,
} from "./database.js";
import {
  findIdempotencyKeys,
  forgetIdempotencyKeys,
  keyOf,
  lockIdempotencyKeys,
  recordIdempotencyKeys,
  type KeyRef,
} from "./idempotency.js";
import { num, toEvent, toFanOutEndpoint } from "../rows.js";

// The outbox write: events and one delivery per subscribed, enabled endpoint, in the caller's
// transaction. A round trip costs more than a row here, so a batch is written with one
// statement per table (arrays unnested), whatever its size.

export interface NewDelivery {
  eventId: string;
  endpointId: string;
  projectId: string;
  eventType: string;
  createdAt: number;
  dueAt: number;
  /** Born parked, for a quiet endpoint. */
  parked: boolean;
}

/** Pending deliveries, created at `createdAt` and due at `dueAt`. */
export async function insertDeliveries(db: Db, deliveries: NewDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await run(
    db,
    `INSERT INTO deliveries (id, event_id, endpoint_id, project_id, event_type, status,
       next_attempt_at, parked, created_at, updated_at)
     SELECT d.id, d.event_id, d.endpoint_id, d.project_id, d.event_type, 'pending',
            d.due_at, d.parked, d.created_at, d.created_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
                 $7::boolean[], $8::bigint[])
       AS d (id, event_id, endpoint_id, project_id, event_type, due_at, parked, created_at)`,
    [
      deliveries.map(() => newId()),
      deliveries.map((d) => d.eventId),
      deliveries.map((d) => d.endpointId),
      deliveries.map((d) => d.projectId),
      deliveries.map((d) => d.eventType),
      deliveries.map((d) => d.dueAt),
      deliveries.map((d) => d.parked),
      deliveries.map((d) => d.createdAt),
    ],
  );
}

/** Per event, the endpoints it goes to (core's `fanOut`), the candidates read in one query. */
async function endpointsOf(db: Db, events: NewEvent[]): Promise<FanOutTarget[][]> {
  const projectIds = [...new Set(events.filter((e) => !e.onlyEndpointId).map((e) => e.projectId))];
  const namedIds = [
    ...new Set(events.flatMap((e) => (e.onlyEndpointId ? [e.onlyEndpointId] : []))),
  ];
  const endpoints = await rows(
    db,
    `SELECT id, project_id, event_types, enabled, failing_since, quiet_until FROM endpoints
     WHERE (project_id = ANY ($1::text[]) AND enabled) OR id = ANY ($2::text[])
     ORDER BY id`,
    [projectIds, namedIds],
  );
  const byId = new Map(endpoints.map((row) => [row.id as string, toFanOutEndpoint(row)]));
  const enabledOf = new Map<string, FanOutEndpoint[]>();
  for (const endpoint of byId.values()) {
    if (!endpoint.enabled) continue;
    const ofProject = enabledOf.get(endpoint.projectId) ?? [];
    ofProject.push(endpoint);
    enabledOf.set(endpoint.projectId, ofProject);
  }
  return events.map((event) => {
    const named = event.onlyEndpointId ? byId.get(event.onlyEndpointId) : undefined;
    return fanOut(
      event,
      event.onlyEndpointId ? (named ? [named] : []) : (enabledOf.get(event.projectId) ?? []),
    );
  });
}

/** The events and their fan-out; the number of deliveries of each. */
export async function insertEventsWithDeliveries(db: Db, events: NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  eventsWritten.inc(events.length);
  await run(
    db,
    `INSERT INTO events (id, project_id, type, action_id, payload, created_at, trace_parent)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
       $7::text[])`,
    [
      events.map((e) => e.id),
      events.map((e) => e.projectId),
      events.map((e) => e.type),
      events.map((e) => e.actionId),
      events.map((e) => e.payload),
      events.map((e) => e.createdAt),
      events.map((e) => e.traceParent ?? null),
    ],
  );
  const targets = await endpointsOf(db, events);
  await insertDeliveries(
    db,
    events.flatMap((event, i) =>
      targets[i]!.map(({ endpointId, dueAt, parked }) => ({
        eventId: event.id,
        endpointId,
        projectId: event.projectId,
        eventType: event.type,
        createdAt: event.createdAt,
        dueAt,
        parked,
      })),
    ),
  );
  return targets.map((t) => t.length);
}

export async function insertEventWithDeliveries(db: Db, event: NewEvent): Promise<number> {
  return (await insertEventsWithDeliveries(db, [event]))[0]!;
}

/** The stored record of a new event (what getEvent reads back). */
function recordOf(e: NewEvent): EventRecord {
  return {
    id: e.id,
    projectId: e.projectId,
    type: e.type,
    actionId: e.actionId,
    payload: e.payload,
    createdAt: e.createdAt,
    ...(e.traceParent ? { traceParent: e.traceParent } : {}),
  };
}

/** Stored events by id, each with its number of deliveries. */
async function publishedEvents(
  client: Client,
  ids: string[],
): Promise<Map<string, PublishedEvent>> {
  if (ids.length === 0) return new Map();
  const found = await rows(
    client,
    `SELECT e.*, (SELECT count(*) FROM deliveries d WHERE d.event_id = e.id) AS deliveries
     FROM events e WHERE e.id = ANY ($1::text[])`,
    [ids],
  );
  return new Map(
    found.map((r) => [r.id as string, { event: toEvent(r), deliveries: num(r.deliveries) }]),
  );
}

export type PublishItem = { event: NewEvent; idempotency?: Idempotency };

/**
 * Publishes the items in the caller's transaction with the meaning of publishing them one
 * after the other: a key used before (or by an earlier item) replays that event, with no
 * second fan-out; used with another request hash it is a conflict — of that item alone
 * (`each`), or of the batch (`stop`: nothing is written). A key whose event no longer exists
 * counts as unused.
 */
async function publishAll(
  client: Client,
  items: PublishItem[],
  conflicts: "stop" | "each",
): Promise<Array<IdempotentResult<PublishedEvent>> | { conflictAt: number }> {
  const refs: KeyRef[] = items.flatMap(({ event, idempotency }) =>
    idempotency ? [{ projectId: event.projectId, key: idempotency.key }] : [],
  );
  await lockIdempotencyKeys(
    client,
    refs.map((r) => ({ ...r, scope: "events" })),
  );
  const used = await findIdempotencyKeys(client, "events", refs);
  const stored = await publishedEvents(
    client,
    [...used.values()].map((u) => u.resourceId),
  );

  // Which event each key stands for now (null: its event is gone), as the items go by.
  const keys = new Map<string, { requestHash: string; eventId: string | null }>();
  for (const ref of refs) {
    const use = used.get(keyOf(ref));
    if (!use) continue;
    const event = stored.get(use.resourceId)?.event;
    const exists = event !== undefined && event.projectId === ref.projectId;
    keys.set(keyOf(ref), { requestHash: use.requestHash, eventId: exists ? use.resourceId : null });
  }
  const steps: Array<{ created: NewEvent } | { replayed: string } | "conflict"> = [];
  const fresh: NewEvent[] = [];
  const stale: KeyRef[] = [];
  const record: Parameters<typeof recordIdempotencyKeys>[2] = [];
  for (const [index, { event, idempotency }] of items.entries()) {
    if (idempotency) {
      const ref = { projectId: event.projectId, key: idempotency.key };
      const prior = keys.get(keyOf(ref));
      if (prior) {
        if (prior.requestHash !== idempotency.requestHash) {
          if (conflicts === "stop") return { conflictAt: index };
          steps.push("conflict");
          continue;
        }
        if (prior.eventId !== null) {
          steps.push({ replayed: prior.eventId });
          continue;
        }
        stale.push(ref);
      }
      keys.set(keyOf(ref), { requestHash: idempotency.requestHash, eventId: event.id });
      record.push({
        ...ref,
        requestHash: idempotency.requestHash,
        resourceId: event.id,
        createdAt: event.createdAt,
        sealedResponse: idempotency.sealedResponse ?? null,
      });
    }
    fresh.push(event);
    steps.push({ created: event });
  }

  await forgetIdempotencyKeys(client, "events", stale);
  const counts = await insertEventsWithDeliveries(client, fresh);
  await recordIdempotencyKeys(client, "events", record);
  fresh.forEach((event, i) =>
    stored.set(event.id, { event: recordOf(event), deliveries: counts[i]! }),
  );
  return steps.map((step) =>
    step === "conflict"
      ? { kind: "conflict" as const }
      : "created" in step
        ? { kind: "created" as const, value: stored.get(step.created.id)! }
        : { kind: "replayed" as const, value: stored.get(step.replayed)! },
  );
}

/** One publish in its own transaction (or the caller's). */
export function publishEvent(
  db: Db,
  event: NewEvent,
  idempotency?: Idempotency,
): Promise<IdempotentResult<PublishedEvent>> {
  return atomically(
    db,
    async (client) => (await publishTogether(client, [{ event, idempotency }]))[0]!,
  );
}

/** Several callers' publishes in one transaction, each with its own result (see group-commit.ts). */
export async function publishTogether(
  client: Client,
  items: PublishItem[],
): Promise<Array<IdempotentResult<PublishedEvent>>> {
  return (await publishAll(client, items, "each")) as Array<IdempotentResult<PublishedEvent>>;
}

/** All or nothing: on a conflict nothing is written. */
export async function publishEvents(
  pool: Pool,
  items: PublishItem[],
): Promise<Array<IdempotentResult<PublishedEvent>> | { conflictAt: number }> {
  return withTransaction(pool, (client) => publishAll(client, items, "stop"));
}

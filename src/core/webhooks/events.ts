import type { PageRequest, Store } from "../ports/store.js";
import { isValidEventTypeName } from "./catalog/catalog.js";
import { buildEnvelope } from "../policy/envelope.js";
import { conflict, HeraldError, invalid, notFound } from "../errors.js";
import { hashRequest, newId } from "../runtime/ids.js";
import type { EventFilter, EventRecord, Page, PublishedEvent } from "../interfaces.js";
import { KeyedLimiter } from "../runtime/keyed-limiter.js";
import { EventFeed, type FeedStart } from "./event-feed.js";
import type { Signals } from "../runtime/signals.js";
import { NO_TRACE, type TraceContext } from "../ports/trace.js";

export interface PublishInput {
  type: string;
  data: unknown;
  actionId?: string;
}

export const MAX_BATCH = 500;
/** Batches of one project being published at once; more wait their turn. */
export const BATCHES_PER_PROJECT = 2;
/** A batch's events are prepared in slices, the event loop free in between. */
const PREPARE_SLICE = 100;

export class EventService {
  private readonly batches = new KeyedLimiter(BATCHES_PER_PROJECT);

  constructor(
    private readonly store: Store,
    private readonly signals: Signals,
    private readonly traces: TraceContext = NO_TRACE,
    private readonly now: () => number = Date.now,
  ) {}

  private async prepare(
    projectId: string,
    input: PublishInput,
    now: number,
    idempotencyKey?: string,
  ) {
    if (!isValidEventTypeName(input.type)) {
      throw invalid(
        "type must be 1-100 characters: letters, digits, '_', ':', '-', separated by dots",
      );
    }
    const id = newId();
    const action = input.actionId ? await this.store.getAction(projectId, input.actionId) : null;
    // Another project's action id is refused like one that does not exist.
    if (input.actionId && !action) throw invalid("actionId: this project has no such action");
    const payload = buildEnvelope({
      id,
      type: input.type,
      actionId: input.actionId,
      startedAt: action?.startedAt,
      completedAt: action?.status === "succeeded" ? action.completedAt : null,
      data: input.data,
      resource: action?.resource,
      timestamp: now,
    });
    const event = {
      id,
      projectId,
      type: input.type,
      actionId: input.actionId ?? null,
      payload,
      createdAt: now,
      traceParent: this.traces.current(),
    };
    const idempotency = idempotencyKey
      ? { key: idempotencyKey, requestHash: hashRequest(input) }
      : undefined;
    return { event, idempotency };
  }

  /** Stores the event and its deliveries atomically; the same Idempotency-Key returns the first. */
  async publish(projectId: string, input: PublishInput, idempotencyKey?: string) {
    const { event, idempotency } = await this.prepare(projectId, input, this.now(), idempotencyKey);
    const result = await this.store.publishEvent(event, idempotency);
    if (result.kind === "conflict")
      throw conflict("Idempotency-Key was already used with a different request");
    if (result.kind === "created" && result.value.deliveries > 0) this.signals.deliveriesQueued();
    return { ...result.value, replayed: result.kind === "replayed" } satisfies PublishedEvent & {
      replayed: boolean;
    };
  }

  /** Up to MAX_BATCH events in one transaction: all are accepted, or none. */
  publishBatch(projectId: string, items: Array<PublishInput & { idempotencyKey?: string }>) {
    if (items.length === 0 || items.length > MAX_BATCH)
      throw invalid(`events must hold 1 to ${MAX_BATCH} events`);
    // A project's flood of batches takes a bounded share; single publishes never wait here.
    return this.batches.run(projectId, () => this.publishBatchNow(projectId, items));
  }

  private async publishBatchNow(
    projectId: string,
    items: Array<PublishInput & { idempotencyKey?: string }>,
  ) {
    const now = this.now();
    const prepared = [];
    for (const [index, { idempotencyKey, ...input }] of items.entries()) {
      if (index > 0 && index % PREPARE_SLICE === 0) await new Promise(setImmediate);
      try {
        prepared.push(await this.prepare(projectId, input, now, idempotencyKey));
      } catch (error) {
        if (error instanceof HeraldError) throw invalid(`events[${index}]: ${error.message}`);
        throw error;
      }
    }
    const results = await this.store.publishEvents(prepared);
    if ("conflictAt" in results) {
      throw conflict(
        `events[${results.conflictAt}]: idempotencyKey was already used with a different request`,
      );
    }
    if (results.some((r) => r.kind === "created" && r.value.deliveries > 0))
      this.signals.deliveriesQueued();
    return results.map((r) => ({
      ...(r as { value: PublishedEvent }).value,
      replayed: r.kind === "replayed",
    }));
  }

  async get(projectId: string, id: string) {
    const event = await this.store.getEvent(projectId, id);
    if (!event) throw notFound("event");
    return { event, deliveries: await this.store.listEventDeliveries(id) };
  }

  list(projectId: string, filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>> {
    return this.store.listEvents(projectId, filter, page);
  }

  /** The project's events as a stream (read-only: no delivery, no attempt). */
  feed(projectId: string, start: FeedStart): EventFeed {
    return new EventFeed(this.store, projectId, start, this.signals, this.now);
  }

  async resend(projectId: string, id: string, endpointId: string | null): Promise<number> {
    const count = await this.store.resendEvent(projectId, id, endpointId, this.now());
    if (count === null) throw notFound(endpointId ? "event or endpoint" : "event");
    if (count > 0) this.signals.deliveriesQueued();
    return count;
  }

  async attempts(projectId: string, deliveryId: string) {
    const attempts = await this.store.listDeliveryAttempts(projectId, deliveryId);
    if (!attempts) throw notFound("delivery");
    return attempts;
  }
}

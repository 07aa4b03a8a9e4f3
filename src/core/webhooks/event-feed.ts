import type { EventRecord } from "../interfaces.js";
import type { Store } from "../ports/store.js";
import { endpointWantsEvent } from "../policy/event-filter.js";
import { idBefore } from "../runtime/ids.js";
import type { Signals } from "../runtime/signals.js";

// A project's events as a stream, read from the store (never through deliveries: reading it
// makes no delivery and no attempt). Ids are time-ordered, so the cursor is the last id read.
// Ids are made before their event is committed, and publishes commit in groups (and, on
// PostgreSQL, from several processes): an event can become visible after one with a later id
// was read. So the feed reads on from its cursor, and every second also looks back
// LOOKBACK_MS behind it for events it has not given yet ("late" ones), which come next.
// A resumed feed looks back behind its start as well: its reader skips the ids it has already
// seen (`herald listen` keeps the recent ones), so it misses nothing and repeats nothing.

/** How far behind the cursor an event may still appear (its commit after its id's time). */
export const LOOKBACK_MS = 10_000;
const LATE_CHECK_MS = 1_000;
const BATCH = 200;
const LATE_LIMIT = 5_000;

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEventId(id: string): boolean {
  return EVENT_ID.test(id);
}

/** The millisecond a time-ordered (UUIDv7) id was made in. */
export function idTime(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

export interface FeedStart {
  /** Resume after this event id (it and its lookback window were seen by the reader). */
  after?: string;
  /** Otherwise start at this time (ms); otherwise now. */
  since?: number;
  /** Event type patterns (`nfts.*`); null: every type. */
  types: string[] | null;
}

export class EventFeed {
  private cursor: string;
  /** Below this id nothing is ever given (a start by time gives nothing before that time). */
  private readonly floor: string;
  /** Ids read, within LOOKBACK_MS behind the cursor. */
  private readonly seen = new Map<string, number>();
  private lateCheckedAt = -Infinity;
  /** Whether the last read filled its batch (more is waiting). */
  private full = false;

  constructor(
    private readonly store: Store,
    private readonly projectId: string,
    private readonly start: FeedStart,
    private readonly signals: Signals,
    private readonly now: () => number = Date.now,
  ) {
    if (start.after) {
      this.cursor = start.after;
      this.floor = "";
    } else {
      this.cursor = idBefore(start.since ?? now());
      this.floor = this.cursor;
    }
  }

  /** The time the feed starts at: its start's, or its cursor's (ms). */
  get startTime(): number {
    return idTime(this.start.after ?? this.floor);
  }

  /** Whether more events are known to be waiting: read again at once. */
  get behind(): boolean {
    return this.full;
  }

  /** The events not given yet that match the types, late ones first; often none. */
  async next(): Promise<EventRecord[]> {
    const late = await this.lateEvents();
    const ahead = await this.store.listEventsAfter(this.projectId, this.cursor, BATCH);
    this.full = ahead.length === BATCH;
    for (const event of ahead) this.remember(event.id);
    if (ahead.length > 0) this.cursor = ahead[ahead.length - 1]!.id;
    this.forgetOld();
    return [...late, ...ahead].filter((e) => endpointWantsEvent(this.start.types, e.type));
  }

  private async lateEvents(): Promise<EventRecord[]> {
    const at = this.now();
    if (at - this.lateCheckedAt < LATE_CHECK_MS) return [];
    this.lateCheckedAt = at;
    const back = idBefore(idTime(this.cursor) - LOOKBACK_MS);
    const from = back > this.floor ? back : this.floor;
    if (from >= this.cursor) return [];
    const window = await this.store.listEventsAfter(this.projectId, from, LATE_LIMIT, this.cursor);
    const late = window.filter((e) => !this.seen.has(e.id));
    for (const event of late) this.remember(event.id);
    return late;
  }

  private remember(id: string) {
    this.seen.set(id, idTime(id));
  }

  private forgetOld() {
    const horizon = idTime(this.cursor) - LOOKBACK_MS;
    for (const [id, time] of this.seen) if (time < horizon) this.seen.delete(id);
  }

  /** Resolves after `ms`, or sooner when deliveries are queued (an event was likely published),
   * or when `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const off = this.signals.onDeliveriesQueued(done);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

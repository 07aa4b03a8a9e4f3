import assert from "node:assert/strict";
import { test } from "node:test";
import type { EventRecord } from "../src/core/interfaces.js";
import type { Store } from "../src/core/ports/store.js";
import { EventFeed, LOOKBACK_MS } from "../src/core/webhooks/event-feed.js";
import { idBefore } from "../src/core/runtime/ids.js";
import { Signals } from "../src/core/runtime/signals.js";

// The event stream's reading rule (core/webhooks/event-feed.ts) over a store of events in
// memory: on from the cursor, plus the events that became visible behind it.

const T0 = Date.parse("2026-12-01T10:00:00Z");
/** A time-ordered id of millisecond `ms` (the n-th of that millisecond). */
const idAt = (ms: number, n = 1) => idBefore(ms).slice(0, -12) + String(n).padStart(12, "0");

function memoryStore(events: EventRecord[]) {
  const listEventsAfter = async (projectId: string, after: string, limit: number, upTo?: string) =>
    events
      .filter((e) => e.projectId === projectId && e.id > after && (!upTo || e.id <= upTo))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  return { listEventsAfter } as unknown as Store;
}

const event = (ms: number, type = "t.a", projectId = "p"): EventRecord => ({
  id: idAt(ms),
  projectId,
  type,
  actionId: null,
  payload: "{}",
  createdAt: ms,
});

test("reads on from its start, only its project's events, in id order, filtered by type", async () => {
  const events = [event(T0 - 5), event(T0 + 1), event(T0 + 2, "t.b"), event(T0 + 3, "t.a", "q")];
  let now = T0;
  const feed = new EventFeed(
    memoryStore(events),
    "p",
    { since: T0, types: ["t.a"] },
    new Signals(),
    () => now,
  );
  assert.deepEqual(
    (await feed.next()).map((e) => e.createdAt),
    [T0 + 1],
  );
  events.push(event(T0 + 10));
  now += 100;
  assert.deepEqual(
    (await feed.next()).map((e) => e.createdAt),
    [T0 + 10],
  );
  assert.deepEqual(await feed.next(), []);
});

test("an event that becomes visible behind the cursor comes next, once", async () => {
  const events = [event(T0 + 100)];
  let now = T0 + 200;
  const feed = new EventFeed(
    memoryStore(events),
    "p",
    { since: T0, types: null },
    new Signals(),
    () => now,
  );
  assert.equal((await feed.next()).length, 1);
  events.push(event(T0 + 50)); // its id was made before, its commit came after
  now += 1_000;
  assert.deepEqual(
    (await feed.next()).map((e) => e.createdAt),
    [T0 + 50],
  );
  now += 1_000;
  assert.deepEqual(await feed.next(), []);
  // Never before a start by time, nor further back than the look-back.
  events.push(event(T0 - 1), event(T0 + 100 - LOOKBACK_MS - 1));
  now += 1_000;
  assert.deepEqual(await feed.next(), []);
});

test("a resumed feed sends the look-back window behind its cursor again, then goes on", async () => {
  const events = [event(T0 - LOOKBACK_MS - 1), event(T0 - 10), event(T0), event(T0 + 5)];
  const feed = new EventFeed(
    memoryStore(events),
    "p",
    { after: idAt(T0), types: null },
    new Signals(),
    () => T0,
  );
  assert.deepEqual(
    (await feed.next()).map((e) => e.createdAt),
    [T0 - 10, T0, T0 + 5],
  );
});

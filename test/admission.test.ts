// The admission policy (src/core/policy/admission.ts), table by table.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  admit,
  afterAttempt,
  excludedEndpoints,
  mayStart,
  newLoad,
  parkedUntil,
  quietMs,
  slowAfterMs,
  spreadOf,
  waitingPlaces,
  whenSlow,
  type EndpointLoad,
} from "../src/core/policy/admission.js";

const settings = { concurrency: 100, endpointConcurrency: 64, timeoutMs: 15_000, holdMs: 10_000 };
const T = 1_000_000;
const load = (fields: Partial<EndpointLoad> = {}): EndpointLoad => ({
  limit: 8,
  inFlight: 0,
  waiting: 0,
  latencyMs: 10,
  failures: 0,
  quietUntil: 0,
  ...fields,
});

test("a new endpoint: 8 at a time, or 1 while the store says it is failing", () => {
  assert.deepEqual(newLoad(settings, null, null), load({ latencyMs: 0 }));
  assert.deepEqual(
    newLoad(settings, T - 5000, T + 250),
    load({ limit: 1, latencyMs: 0, failures: 1, quietUntil: T + 250 }),
  );
  assert.equal(newLoad({ ...settings, endpointConcurrency: 2 }, null, null).limit, 2);
});

test("after an attempt: successes add one, answered failures halve, no answer drops to one", () => {
  const ok = { ok: true, unanswered: false, durationMs: 20, finishedAt: T };
  const failed = { ok: false, unanswered: false, durationMs: 20, finishedAt: T };
  const unanswered = { ok: false, unanswered: true, durationMs: 15_000, finishedAt: T };
  const rows: Array<[string, EndpointLoad, typeof ok, Partial<EndpointLoad>]> = [
    ["success grows the limit", load(), ok, { limit: 9, failures: 0, quietUntil: 0 }],
    ["up to the endpoint's cap", load({ limit: 64 }), ok, { limit: 64 }],
    ["success ends a quiet time", load({ failures: 3, quietUntil: T + 9 }), ok, { quietUntil: 0 }],
    ["an answered failure halves", load({ limit: 9 }), failed, { limit: 4, failures: 1 }],
    ["never below one", load({ limit: 1 }), failed, { limit: 1 }],
    ["one or two failures: not quiet yet", load({ failures: 1 }), failed, { quietUntil: 0 }],
    ["the third in a row: quiet 100 ms", load({ failures: 2 }), failed, { quietUntil: T + 100 }],
    ["each failure more doubles it", load({ failures: 4 }), failed, { quietUntil: T + 400 }],
    ["up to a minute", load({ failures: 30 }), failed, { quietUntil: T + 60_000 }],
    ["no answer: one at a time", load({ limit: 40 }), unanswered, { limit: 1, failures: 1 }],
  ];
  for (const [what, before, report, expected] of rows) {
    const after = afterAttempt(before, report, settings);
    for (const [key, value] of Object.entries(expected))
      assert.equal(after[key as keyof EndpointLoad], value, `${what}: ${key}`);
  }
  // The usual duration moves a fifth of the way to each new one.
  assert.equal(
    afterAttempt(load({ latencyMs: 10 }), { ...ok, durationMs: 60 }, settings).latencyMs,
    20,
  );
  assert.equal(
    afterAttempt(load({ latencyMs: 0 }), { ...ok, durationMs: 60 }, settings).latencyMs,
    60,
  );
});

test("quiet times and slowness", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 12, 13, 100].map(quietMs),
    [0, 0, 0, 100, 200, 400, 51_200, 60_000, 60_000],
  );
  // Slow: eight times the usual duration, from a second, at most the timeout.
  assert.equal(slowAfterMs(load({ latencyMs: 0 }), settings), 1000);
  assert.equal(slowAfterMs(load({ latencyMs: 5 }), settings), 1000);
  assert.equal(slowAfterMs(load({ latencyMs: 500 }), settings), 4000);
  assert.equal(slowAfterMs(load({ latencyMs: 4000 }), settings), 15_000);
  const slow = whenSlow(load({ limit: 30 }), T, settings);
  assert.equal(slow.limit, 1);
  assert.equal(slow.quietUntil, T + 15_000, "nothing new until the slow attempt times out");
});

test("waiting places: what the endpoint's slots start within the hold, at least a round", () => {
  const rows: Array<[Partial<EndpointLoad>, number]> = [
    [{ limit: 8, latencyMs: 100 }, 800], // 8 slots × 10 s / 100 ms
    [{ limit: 1, latencyMs: 5 }, 1000], // at most 1,000
    [{ limit: 8, latencyMs: 0 }, 1000], // nothing known yet
    [{ limit: 1, latencyMs: 15_000 }, 1], // a hanging endpoint: one
    [{ limit: 64, latencyMs: 20_000 }, 64], // at least a round of its limit
    [{ limit: 2, latencyMs: 1, failures: 1 }, 2], // failing: a round only
  ];
  for (const [fields, expected] of rows)
    assert.equal(waitingPlaces(load(fields), settings), expected, JSON.stringify(fields));
});

test("admission: start, wait for a slot, or park in the store", () => {
  const d = { id: "d1", attempt: 1, endpoint: { failingSince: null } };
  const rows: Array<[string, EndpointLoad, number, ReturnType<typeof admit>]> = [
    ["a free slot and room in the pool", load({ inFlight: 7 }), 10, { kind: "start" }],
    ["the pool is full", load({ inFlight: 0 }), 0, { kind: "wait" }],
    ["the endpoint is at its limit", load({ inFlight: 8, waiting: 7 }), 10, { kind: "wait" }],
    [
      "and its waiting places are full: back until they could start",
      load({ inFlight: 8, limit: 8, waiting: 800, latencyMs: 100 }),
      10,
      { kind: "park", until: T + 10_100 }, // 101 rounds of 100 ms
    ],
    [
      "a fractional average latency still parks until a whole millisecond (stores keep integers)",
      load({ inFlight: 8, limit: 8, waiting: 800, latencyMs: 100.37 }),
      10,
      { kind: "park", until: T + 10_138 }, // 101 rounds of 100.37 ms = 10,137.37, rounded up
    ],
    [
      "at least 50 ms",
      load({ inFlight: 1, limit: 1, waiting: 1000, latencyMs: 0 }),
      10,
      { kind: "park", until: T + 50 },
    ],
    ["quiet for a moment: it waits here", load({ quietUntil: T + 500 }), 10, { kind: "wait" }],
    [
      "quiet for longer than the hold: parked until then (and a spread after it)",
      load({ quietUntil: T + 20_000 }),
      10,
      { kind: "park", until: parkedUntil(T + 20_000, null, T, spreadOf("d1")) },
    ],
  ];
  for (const [what, l, free, expected] of rows)
    assert.deepEqual(admit(l, free, T, d, settings), expected, what);
  // A retry keeps its schedule: quiet never holds it back.
  const retry = { ...d, attempt: 2 };
  assert.deepEqual(admit(load({ quietUntil: T + 20_000 }), 10, T, retry, settings), {
    kind: "start",
  });
  assert.equal(mayStart(load({ quietUntil: T + 1 }), 1, T), false);
  assert.equal(mayStart(load({ quietUntil: T + 1 }), 2, T), true);
  assert.equal(mayStart(load({ inFlight: 8 }), 2, T), false);
});

test("parked deliveries of a dead endpoint come due spread over as long as it has been failing", () => {
  assert.equal(parkedUntil(T + 250, T, T, 0), T + 250, "the first probes right away");
  assert.equal(parkedUntil(T + 250, T, T, 0.5), T + 375);
  assert.equal(parkedUntil(T + 60_000, T - 600_000, T, 0.5), T + 60_000 + 300_000);
  assert.equal(
    parkedUntil(T + 60_000, T - 86_400_000, T, 0.5),
    T + 60_000 + 1_800_000,
    "an hour at most",
  );
  const spreads = Array.from({ length: 1000 }, (_, i) => spreadOf(`delivery-${i}`));
  assert.ok(spreads.every((x) => x >= 0 && x < 1));
  assert.ok(
    Math.abs(spreads.reduce((a, b) => a + b) / spreads.length - 0.5) < 0.05,
    "spread evenly",
  );
});

test("claims leave out full endpoints, and hogs when the pool is short", () => {
  const loads = new Map<string, EndpointLoad>([
    ["full", load({ inFlight: 8, waiting: 800, latencyMs: 100 })],
    ["at-limit", load({ inFlight: 8, waiting: 2 })],
    ["quiet", load({ quietUntil: T + 1 })],
    ["hog", load({ limit: 64, inFlight: 60 })],
    ["small", load({ inFlight: 1 })],
  ]);
  // A quiet endpoint's retries keep their schedule: it is not left out.
  assert.deepEqual(excludedEndpoints(loads, 70, settings), ["full"]);
  // 80 of 100 in flight: the pool is short; 4 endpoints have work, a fair share is 25.
  assert.deepEqual(excludedEndpoints(loads, 80, settings), ["full", "hog"]);
});

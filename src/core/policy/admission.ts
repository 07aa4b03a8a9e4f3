// Admission: how many attempts each endpoint may have in flight, whether a claimed delivery
// starts now, waits here for a slot, or goes back to the store for a while, and which
// endpoints a claim leaves out. Pure: the dispatcher keeps one EndpointLoad per endpoint and
// asks these functions. The aim (docs/delivery.md): a slow or dead endpoint never delays the
// others, however many there are.
//
// - Each endpoint has its own limit of attempts in flight. It grows by one with every success,
//   up to `endpointConcurrency`; halves when the endpoint answers with a failure; and drops to
//   1 when it does not answer at all (timeout, reset, refused), or when an attempt has run far
//   longer than the endpoint usually takes (then it is also quiet until that attempt's timeout).
// - An endpoint that keeps failing is left alone for a while (it is "quiet"): its new
//   deliveries (never attempted) wait in the store, parked, not in the dispatcher's memory or
//   the claim's way; the first to come due when the quiet time ends probes it. From the third
//   failure in a row, each one doubles the quiet time, from 100 ms up to a minute; a success
//   ends it and makes every parked delivery due. Retries keep their schedule: quiet never
//   delays them.
// - Claimed deliveries wait here for their endpoint's slots, as many as its slots can start
//   within `holdMs` (a share of the lease, so they are attempted before it runs out); more go
//   back to the store until about when they could start, and a full endpoint is left out of
//   claims. Waiting deliveries take no place in the global pool.
// - The global pool bounds attempts in flight over all endpoints. Attempts mostly wait on
//   sockets, so it is large, and an attempt that has run past its endpoint's usual time (a
//   stalled socket) leaves the pool; when it runs short, an endpoint holding more than its
//   fair share of it is left out of claims until the others have had theirs.

export interface AdmissionSettings {
  /** Attempts in flight at once over all endpoints. */
  concurrency: number;
  /** The most attempts one endpoint may have in flight. */
  endpointConcurrency: number;
  /** The attempt timeout. */
  timeoutMs: number;
  /** How long a claimed delivery may wait here for a slot: well within its lease. */
  holdMs: number;
}

/** What the dispatcher knows of one endpoint, in this process. */
export interface EndpointLoad {
  /** Attempts allowed in flight now. */
  limit: number;
  inFlight: number;
  /** Claimed deliveries waiting here for a slot. */
  waiting: number;
  /** Recent attempt duration (moving average), ms. */
  latencyMs: number;
  /** Failed attempts in a row. */
  failures: number;
  /** No attempt starts before this time (epoch ms); 0: none. */
  quietUntil: number;
}

/** How an attempt ended, as far as admission cares. */
export interface AttemptReport {
  ok: boolean;
  /** No answer came: timeout, connection refused or reset, DNS failure. */
  unanswered: boolean;
  durationMs: number;
  finishedAt: number;
}

export const INITIAL_LIMIT = 8;
const LATENCY_WEIGHT = 0.2;
/** Failures in a row before an endpoint gets quiet (a blip is not an outage). */
const QUIET_AFTER_FAILURES = 3;
const FIRST_QUIET_MS = 100;
const MAX_QUIET_MS = 60_000;
/** Deliveries given back to the store come due again after this long at least. */
const MIN_PARK_MS = 50;
/** An attempt is slow after this many times the endpoint's usual duration… */
const SLOW_FACTOR = 8;
/** …but never before this long, and always at the timeout. */
const SLOW_FLOOR_MS = 1_000;
/** Waiting places per endpoint, at most. */
const MAX_WAITING = 1000;
/** The pool counts as short when this share of it is in flight. */
const SHORT_POOL_SHARE = 0.75;
/** A quiet endpoint's parked deliveries come due spread over at most this long. */
const MAX_PARK_WINDOW_MS = 3_600_000;

/** A new endpoint's load: one attempt at a time while its store record says it is failing. */
export function newLoad(
  settings: AdmissionSettings,
  failingSince: number | null,
  quietUntil: number | null,
): EndpointLoad {
  return {
    limit: failingSince === null ? Math.min(INITIAL_LIMIT, settings.endpointConcurrency) : 1,
    inFlight: 0,
    waiting: 0,
    latencyMs: 0,
    failures: failingSince === null ? 0 : 1,
    quietUntil: quietUntil ?? 0,
  };
}

/** How long an attempt of the endpoint may run before it counts as slow. */
export function slowAfterMs(load: EndpointLoad, settings: AdmissionSettings): number {
  const usual = load.latencyMs === 0 ? SLOW_FLOOR_MS : SLOW_FACTOR * load.latencyMs;
  return Math.min(settings.timeoutMs, Math.max(SLOW_FLOOR_MS, usual));
}

/** How long an endpoint is left alone after `failures` failed attempts in a row. */
export function quietMs(failures: number): number {
  if (failures < QUIET_AFTER_FAILURES) return 0;
  return Math.min(
    MAX_QUIET_MS,
    FIRST_QUIET_MS * 2 ** Math.min(failures - QUIET_AFTER_FAILURES, 20),
  );
}

/** The load after an attempt ended (its slot already given back by the caller). */
export function afterAttempt(
  load: EndpointLoad,
  report: AttemptReport,
  settings: AdmissionSettings,
): EndpointLoad {
  const latencyMs =
    load.latencyMs === 0
      ? report.durationMs
      : load.latencyMs + LATENCY_WEIGHT * (report.durationMs - load.latencyMs);
  if (report.ok) {
    const limit = Math.min(settings.endpointConcurrency, load.limit + 1);
    return { ...load, limit, latencyMs, failures: 0, quietUntil: 0 };
  }
  const failures = load.failures + 1;
  const limit = report.unanswered ? 1 : Math.max(1, Math.floor(load.limit / 2));
  const quiet = quietMs(failures);
  const quietUntil =
    quiet > 0 ? Math.max(load.quietUntil, report.finishedAt + quiet) : load.quietUntil;
  return { ...load, limit, latencyMs, failures, quietUntil };
}

/**
 * An attempt of the endpoint, started at `startedAt`, has run past `slowAfterMs` without an
 * answer: one attempt at a time, and nothing new until that one times out.
 */
export function whenSlow(
  load: EndpointLoad,
  startedAt: number,
  settings: AdmissionSettings,
): EndpointLoad {
  return {
    ...load,
    limit: 1,
    quietUntil: Math.max(load.quietUntil, startedAt + settings.timeoutMs),
  };
}

/**
 * How many claimed deliveries may wait here for the endpoint's slots: what they can start
 * within `holdMs` at its usual duration, at least a round of its limit; only a round while it
 * is failing (its rows then stay in the store, and claims pass it by for the others').
 */
export function waitingPlaces(load: EndpointLoad, settings: AdmissionSettings): number {
  if (load.failures > 0) return load.limit;
  const perSlot = Math.floor(settings.holdMs / Math.max(1, load.latencyMs));
  return Math.max(load.limit, Math.min(MAX_WAITING, load.limit * perSlot));
}

/** A number in [0, 1) from a delivery's id (FNV-1a, then MurmurHash3's final mix, so that
 * ids differing in one character land far apart): where in a window it comes due. */
export function spreadOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/**
 * Until when a delivery to a quiet endpoint is parked: after the quiet time, at `spread` of a
 * window as long as the endpoint has been failing (up to an hour), so a dead endpoint's
 * backlog comes due a little at a time, and the first to come due probes it.
 */
export function parkedUntil(
  quietUntil: number,
  failingSince: number | null,
  now: number,
  spread: number,
): number {
  const failingFor = failingSince === null ? 0 : Math.max(0, now - failingSince);
  const window = Math.min(MAX_PARK_WINDOW_MS, Math.max(quietUntil - now, failingFor));
  return quietUntil + Math.floor(spread * window);
}

/**
 * What to do with a delivery just claimed for an endpoint: `start` it, let it `wait` here for
 * a slot (soon), or `park` it in the store until `until`.
 */
export type Admission = { kind: "start" } | { kind: "wait" } | { kind: "park"; until: number };

/** `delivery`: its id, the number of this attempt (1: never attempted) and when its
 * endpoint's failing streak started, as the store has them. */
export function admit(
  load: EndpointLoad,
  poolFree: number,
  now: number,
  delivery: { id: string; attempt: number; endpoint: { failingSince: number | null } },
  settings: AdmissionSettings,
): Admission {
  const places = waitingPlaces(load, settings);
  if (now < load.quietUntil && delivery.attempt === 1) {
    // Quiet for a moment: wait here; for longer: back to the store, parked.
    if (load.quietUntil - now <= settings.holdMs && load.waiting < places) return { kind: "wait" };
    const { failingSince } = delivery.endpoint;
    const until = parkedUntil(load.quietUntil, failingSince, now, spreadOf(delivery.id));
    return { kind: "park", until };
  }
  if (load.inFlight < load.limit && poolFree > 0) return { kind: "start" };
  if (load.waiting < places) return { kind: "wait" };
  const rounds = Math.ceil((load.waiting + 1) / load.limit);
  const wait = Math.min(MAX_QUIET_MS, Math.max(MIN_PARK_MS, rounds * load.latencyMs));
  // Whole milliseconds: the latency is an average, and the store keeps times as integers.
  return { kind: "park", until: now + Math.ceil(wait) };
}

/** Whether a delivery waiting here may start now (a retry may, while its endpoint is quiet). */
export function mayStart(load: EndpointLoad, attempt: number, now: number): boolean {
  return load.inFlight < load.limit && (attempt > 1 || now >= load.quietUntil);
}

/**
 * The endpoints a claim leaves out: those that can take nothing more now (their slots and
 * waiting places are full), and, when the pool is short, those holding more than an equal
 * share of it.
 */
export function excludedEndpoints(
  loads: ReadonlyMap<string, EndpointLoad>,
  inFlight: number,
  settings: AdmissionSettings,
): string[] {
  const excluded: string[] = [];
  const busy = [...loads.values()].filter((l) => l.inFlight + l.waiting > 0).length;
  const short = inFlight >= settings.concurrency * SHORT_POOL_SHARE;
  const fairShare = Math.max(1, Math.floor(settings.concurrency / Math.max(1, busy)));
  for (const [id, load] of loads) {
    const full = load.waiting >= waitingPlaces(load, settings);
    if (full || (short && load.inFlight >= fairShare)) excluded.push(id);
  }
  return excluded;
}

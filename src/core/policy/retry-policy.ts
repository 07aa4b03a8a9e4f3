// What happens after an attempt: acknowledged, retried later, given up, or the endpoint
// disabled. Pure functions of the attempt's result, the schedule and the clock.

export const DEFAULT_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 36000];
/** A receiver's Retry-After is honoured up to this long. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;
export const JITTER = 0.1;

export interface AttemptResult {
  /** The HTTP status (or a destination's equivalent); null when no response arrived. */
  statusCode: number | null;
  error: string | null;
  /** Raw `Retry-After` header value, if the receiver sent one. */
  retryAfter: string | null;
}

export type Verdict =
  | { kind: "succeeded" }
  | { kind: "retry"; delayMs: number }
  | { kind: "exhausted" }
  | { kind: "gone" };

/** Bounds of the wait after an attempt Herald itself could not make (see `heraldFaultDelayMs`). */
export const HERALD_FAULT_DELAY_MS = { min: 1_000, max: 30_000 } as const;

/**
 * How long a delivery goes back to the store when Herald could not attempt it (a secret it
 * cannot open, a client it cannot build): the schedule's first delay, the operator's word for
 * "soon", within 1 s (no busy loop over an unopenable secret) and 30 s.
 */
export function heraldFaultDelayMs(schedule: readonly number[]): number {
  const first = (schedule[0] ?? DEFAULT_RETRY_SCHEDULE[0]!) * 1000;
  return Math.min(HERALD_FAULT_DELAY_MS.max, Math.max(HERALD_FAULT_DELAY_MS.min, first));
}

export function parseRetrySchedule(text: string): number[] {
  const parts = text.split(",").map((p) => p.trim());
  const seconds = parts.map(Number);
  if (parts.some((p) => p === "") || seconds.some((s) => !Number.isFinite(s) || s < 0)) {
    throw new Error(`must be comma-separated non-negative seconds, got "${text}"`);
  }
  return seconds;
}

export function isAcknowledged(statusCode: number | null): boolean {
  return statusCode !== null && statusCode >= 200 && statusCode < 300;
}

/** Seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP date names its weekday and month; bare numbers like "1.5" are not dates.
  const date = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  if (Number.isNaN(date)) return null;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/** The wait before retry number `scheduleIndex + 1`, with ±10% jitter; null when none is left. */
export function scheduledDelayMs(
  schedule: readonly number[],
  scheduleIndex: number,
  random: number,
): number | null {
  const seconds = schedule[scheduleIndex];
  if (seconds === undefined) return null;
  const jitter = 1 + (random * 2 - 1) * JITTER;
  return Math.round(seconds * 1000 * jitter);
}

export function decideVerdict(
  result: AttemptResult,
  schedule: readonly number[],
  scheduleIndex: number,
  now: number,
  random: number,
): Verdict {
  if (isAcknowledged(result.statusCode)) return { kind: "succeeded" };
  if (result.statusCode === 410) return { kind: "gone" };
  const delay = scheduledDelayMs(schedule, scheduleIndex, random);
  if (delay === null) return { kind: "exhausted" };
  const retryAfter = parseRetryAfter(result.retryAfter, now);
  return { kind: "retry", delayMs: Math.max(delay, retryAfter ?? 0) };
}

export function shouldAutoDisable(
  failingSince: number | null,
  now: number,
  afterMs: number,
): boolean {
  return failingSince !== null && now - failingSince >= afterMs;
}

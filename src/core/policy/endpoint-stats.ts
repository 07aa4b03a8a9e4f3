import type { AttemptBucket } from "../interfaces.js";

// An endpoint's recent health, as the console's overview charts it: attempts per time bucket
// over the last hour or day, with the success rate and latency.

export const STATS_WINDOWS = {
  "1h": { windowMs: 3_600_000, bucketMs: 300_000 },
  "24h": { windowMs: 86_400_000, bucketMs: 3_600_000 },
} as const;

export type StatsWindow = keyof typeof STATS_WINDOWS;

export interface StatsBucket {
  start: number;
  succeeded: number;
  failed: number;
  /** Mean and maximum attempt duration; null for a bucket without attempts. */
  avgMs: number | null;
  maxMs: number | null;
}

export interface EndpointStats {
  window: StatsWindow;
  bucketMs: number;
  buckets: StatsBucket[];
  totals: { succeeded: number; failed: number; successRate: number | null; avgMs: number | null };
}

/** Buckets end at the next bucket boundary after `now`, so the last one is the current one. */
export function statsRange(window: StatsWindow, now: number) {
  const { windowMs, bucketMs } = STATS_WINDOWS[window];
  const end = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  return { from: end - windowMs, bucketMs, count: windowMs / bucketMs };
}

const mean = (totalMs: number, count: number) => (count === 0 ? null : Math.round(totalMs / count));

/** Every bucket of the window, empty ones included, and the window's totals. */
export function summarizeStats(
  window: StatsWindow,
  now: number,
  counted: AttemptBucket[],
): EndpointStats {
  const { from, bucketMs, count } = statsRange(window, now);
  const byIndex = new Map(counted.map((b) => [b.bucket, b]));
  let succeeded = 0;
  let failed = 0;
  let totalMs = 0;
  const buckets: StatsBucket[] = [];
  for (let i = 0; i < count; i++) {
    const b = byIndex.get(i);
    const attempts = b ? b.succeeded + b.failed : 0;
    if (b) {
      succeeded += b.succeeded;
      failed += b.failed;
      totalMs += b.totalMs;
    }
    buckets.push({
      start: from + i * bucketMs,
      succeeded: b?.succeeded ?? 0,
      failed: b?.failed ?? 0,
      avgMs: b ? mean(b.totalMs, attempts) : null,
      maxMs: b && attempts > 0 ? b.maxMs : null,
    });
  }
  const attempts = succeeded + failed;
  return {
    window,
    bucketMs,
    buckets,
    totals: {
      succeeded,
      failed,
      successRate: attempts === 0 ? null : succeeded / attempts,
      avgMs: mean(totalMs, attempts),
    },
  };
}

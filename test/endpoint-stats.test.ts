import assert from "node:assert/strict";
import { test } from "node:test";
import { statsRange, summarizeStats } from "../src/core/policy/endpoint-stats.js";

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 10, 7, 30); // 10:07:30

test("statsRange: the window ends at the bucket boundary after now", () => {
  const cases = [
    { window: "1h" as const, from: Date.UTC(2026, 11, 1, 9, 10), bucketMs: 300_000, count: 12 },
    { window: "24h" as const, from: Date.UTC(2026, 10, 30, 11), bucketMs: HOUR, count: 24 },
  ];
  for (const c of cases) {
    assert.deepEqual(statsRange(c.window, NOW), {
      from: c.from,
      bucketMs: c.bucketMs,
      count: c.count,
    });
  }
});

test("summarizeStats fills empty buckets and totals the window", () => {
  const cases = [
    {
      name: "no attempts",
      counted: [],
      totals: { succeeded: 0, failed: 0, successRate: null, avgMs: null },
      bucket0: { succeeded: 0, failed: 0, avgMs: null, maxMs: null },
    },
    {
      name: "three of four succeeded",
      counted: [
        { bucket: 0, succeeded: 2, failed: 0, totalMs: 30, maxMs: 20 },
        { bucket: 11, succeeded: 1, failed: 1, totalMs: 100, maxMs: 90 },
      ],
      totals: { succeeded: 3, failed: 1, successRate: 0.75, avgMs: 33 },
      bucket0: { succeeded: 2, failed: 0, avgMs: 15, maxMs: 20 },
    },
  ];
  for (const c of cases) {
    const stats = summarizeStats("1h", NOW, c.counted);
    assert.equal(stats.buckets.length, 12, c.name);
    assert.deepEqual(stats.totals, c.totals, c.name);
    const { start, ...first } = stats.buckets[0]!;
    assert.equal(start, Date.UTC(2026, 11, 1, 9, 10), c.name);
    assert.deepEqual(first, c.bucket0, c.name);
  }
});

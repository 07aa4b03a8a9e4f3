// Publishing is fair between projects and request sizes: the turns the embedded store's
// writer takes (table), and single publishes of one project beside another project's flood of
// 500-event batches, against a Herald in a process of its own.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { nextTurn } from "../src/core/policy/publish-fairness.js";
import { printingOutputOnFailure, startChildHerald } from "./helpers/child-herald.js";
import { apiClient, TEST_ADMIN_TOKEN } from "./helpers/herald.js";

/** Single publishes stay under this p99 while another project floods (alone: a few ms). */
const SINGLE_P99_BOUND_MS = 500;

test("a turn takes each project's oldest publish in turn, up to the budget", () => {
  const p = (projectId: string, weight: number, n: number) => ({ projectId, weight, n });
  const queue = [
    p("a", 500, 1),
    p("a", 500, 2),
    p("a", 500, 3),
    p("b", 1, 4),
    p("c", 1, 5),
    p("b", 1, 6),
  ];
  const rows: Array<[string, typeof queue, number, number[]]> = [
    ["one batch fills the turn; the small ones behind it wait one turn", queue, 500, [1]],
    [
      "round robin: a, then b's and c's oldest, until a's next would exceed it",
      queue,
      1000,
      [1, 4, 5],
    ],
    ["singles only", [p("b", 1, 4), p("b", 1, 6), p("c", 1, 5)], 500, [4, 5, 6]],
    [
      "a publish bigger than the budget still goes, alone",
      [p("a", 800, 1), p("b", 1, 2)],
      500,
      [1],
    ],
    ["nothing waiting", [], 500, []],
  ];
  for (const [what, q, budget, expected] of rows)
    assert.deepEqual(
      nextTurn(q, budget).map((x) => x.n),
      expected,
      what,
    );
  // The queue after the first turn of `queue`: b and c come before a's second batch.
  const first = new Set(nextTurn(queue, 500));
  assert.deepEqual(
    nextTurn(
      queue.filter((x) => !first.has(x)),
      500,
    ).map((x) => x.n),
    [2],
  );
  assert.deepEqual(
    nextTurn(
      queue.filter((x) => !first.has(x)),
      502,
    ).map((x) => x.n),
    [2, 4, 5],
  );
});

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
}

test(
  "single publishes keep their latency beside another project's flood of batches",
  { timeout: 300_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-fairness-"));
    const key = "hk_fairness_key_0123456789";
    const herald = await startChildHerald({
      dataDir,
      env: { HERALD_API_KEY: key, HERALD_ADMIN_TOKEN: TEST_ADMIN_TOKEN },
    });
    try {
      await printingOutputOnFailure(
        () => [herald],
        async () => {
          const admin = apiClient(herald.url, null);
          const flooder = await admin(
            "POST",
            "/admin/projects",
            { name: "flooder" },
            {
              authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
            },
          );
          assert.equal(flooder.status, 201);
          const flood = apiClient(herald.url, flooder.body.apiKey);
          const single = apiClient(herald.url, key);
          const singles = async (count: number) => {
            const took: number[] = [];
            for (let i = 0; i < count; i++) {
              const started = performance.now();
              const res = await single("POST", "/events", { type: "single.test", data: { i } });
              assert.equal(res.status, 201);
              took.push(performance.now() - started);
              await new Promise((r) => setTimeout(r, 20));
            }
            return took;
          };
          const alone = p99(await singles(100));
          let flooding = true;
          let batches = 0;
          const events = Array.from({ length: 500 }, (_, i) => ({
            type: "flood.test",
            data: { i, pad: "x".repeat(100) },
          }));
          const floods = Array.from({ length: 8 }, async () => {
            while (flooding) {
              const res = await flood("POST", "/events/batch", { events });
              assert.equal(res.status, 201);
              batches++;
            }
          });
          await new Promise((r) => setTimeout(r, 500));
          const beside = p99(await singles(150));
          flooding = false;
          await Promise.all(floods);
          console.log(
            `# single publish p99: alone ${alone.toFixed(0)} ms, beside ${batches} batches of 500 ${beside.toFixed(0)} ms`,
          );
          assert.ok(batches >= 20, `the flood ran (${batches} batches)`);
          assert.ok(beside < SINGLE_P99_BOUND_MS, `p99 ${beside.toFixed(0)} ms beside the flood`);
        },
      );
    } finally {
      await herald.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

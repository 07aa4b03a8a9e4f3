// Retention: the cut-off policy, the batching loop, and (through the Store contract) what the
// store deletes.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { v7 as uuidv7 } from "uuid";
import { idBefore } from "../src/core/runtime/ids.js";
import { IDEMPOTENCY_WINDOW_MS, Retention, pruneCutoffs } from "../src/core/runtime/retention.js";
import type { PruneCounts, PruneCutoffs } from "../src/core/runtime/retention.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { retentionContract } from "./store/store-contract-retention.js";
import { storeTest } from "./store/store-fixtures.js";
import { eventually } from "./helpers/herald.js";

test("idBefore: every id made before the millisecond sorts below it, every later one above", () => {
  const rows: Array<[number, number, boolean]> = [
    [1_700_000_000_000, 1_699_999_999_999, true],
    [1_700_000_000_000, 1_700_000_000_000, false],
    [1_700_000_000_000, 1_700_000_000_001, false],
    [1_796_000_000_000, 1_000, true],
    [0, 0, false],
  ];
  for (const [cutoff, madeAt, below] of rows) {
    for (let i = 0; i < 20; i += 1) {
      const id = uuidv7({ msecs: madeAt });
      assert.equal(id < idBefore(cutoff), below, `${id} vs ${idBefore(cutoff)}`);
    }
  }
});

test("pruneCutoffs: events after the retention, idempotency keys after at most 24 h", () => {
  const now = 1_800_000_000_000;
  const day = 24 * 60 * 60 * 1000;
  assert.deepEqual(pruneCutoffs(now, 30 * day), {
    eventIdBefore: idBefore(now - 30 * day),
    idempotencyBefore: now - IDEMPOTENCY_WINDOW_MS,
    observedBefore: now - 30 * day,
  });
  assert.equal(pruneCutoffs(now, 3_600_000).idempotencyBefore, now - 3_600_000);
});

test("Retention.runOnce goes on while batches come back full, pausing between them", async () => {
  const batches: number[] = [5, 5, 5, 2];
  const calls: PruneCutoffs[] = [];
  const store = {
    async pruneExpired(cutoffs: PruneCutoffs): Promise<PruneCounts> {
      calls.push(cutoffs);
      return { events: batches.shift() ?? 0, idempotencyKeys: 0, observedLogs: 0 };
    },
  };
  const logged: object[] = [];
  const log = { info: (fields: object) => logged.push(fields), warn: () => undefined };
  const retention = new Retention(store, log, {
    retentionMs: 1000,
    batchSize: 5,
    pauseMs: 1,
    everyMs: 60_000,
    now: () => 10_000,
  });
  retention.start();
  await eventually(() => logged.length === 1, { message: "the run's summary" });
  await retention.stop();
  assert.deepEqual(logged, [{ events: 17, idempotencyKeys: 0, observedLogs: 0 }]);
  assert.equal(calls.length, 4, "stops after the short batch");
  assert.ok(
    calls.every((c) => c.eventIdBefore === idBefore(9_000)),
    "one cut-off per run",
  );
});

const dirs = new Map<SqliteStore, string>();
describe("SQLite store: retention", () => {
  retentionContract(
    storeTest(
      async () => {
        const dir = mkdtempSync(join(tmpdir(), "herald-retention-"));
        const store = new SqliteStore(join(dir, "herald.db"));
        dirs.set(store, dir);
        return store;
      },
      async (store) => {
        await store.close();
        rmSync(dirs.get(store as SqliteStore)!, { recursive: true, force: true });
      },
    ),
  );
});

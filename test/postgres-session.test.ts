// Between processes over PostgreSQL: signals by LISTEN/NOTIFY and exclusive advisory locks,
// each on a dedicated session that comes back by itself when the server cuts it
// (pg_terminate_backend). Skipped, with a notice, without HERALD_TEST_DATABASE_URL.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import type { SignalKind } from "../src/core/runtime/signals.js";
import { LOCK_CLASS, PostgresLocks } from "../src/store/postgres/advisory-locks.js";
import { PostgresSignalBus } from "../src/store/postgres/signal-bus.js";
import { eventually } from "./helpers/herald.js";

const url = process.env.HERALD_TEST_DATABASE_URL;
if (!url) console.log("# PostgreSQL session tests skipped: set HERALD_TEST_DATABASE_URL");

describe(
  "PostgreSQL signals and locks",
  { skip: url ? false : "no HERALD_TEST_DATABASE_URL" },
  () => {
    const schema = `herald_test_${randomBytes(6).toString("hex")}`;
    let pool: pg.Pool;

    before(async () => {
      pool = new pg.Pool({ connectionString: url, max: 4 });
      await pool.query(`CREATE SCHEMA "${schema}"`);
    });
    after(async () => {
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      await pool.end();
    });

    test("a signal reaches the other process, not the sender; repeats coalesce", async () => {
      const a = new PostgresSignalBus(pool, url!, schema);
      const b = new PostgresSignalBus(pool, url!, schema);
      await Promise.all([a.start(), b.start()]);
      const atA: string[] = [];
      const atB: string[] = [];
      a.onSignal((kind, arg) => atA.push(`${kind}:${arg}`));
      b.onSignal((kind, arg) => atB.push(`${kind}:${arg}`));
      for (let i = 0; i < 50; i += 1) a.send("deliveries", "");
      a.send("action", "act-1");
      await eventually(() => atB.length === 2, { message: "both signals at b" });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(atB.sort(), ["action:act-1", "deliveries:"]);
      assert.deepEqual(atA, [], "never back to the sender");
      await Promise.all([a.close(), b.close()]);
    });

    test("the listening connection cut by the server comes back and wakes everything", async () => {
      const a = new PostgresSignalBus(pool, url!, schema);
      const b = new PostgresSignalBus(pool, url!, schema);
      await Promise.all([a.start(), b.start()]);
      const atB: Array<[SignalKind, string]> = [];
      b.onSignal((kind, arg) => atB.push([kind, arg]));
      const killed = await pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'herald-session' AND query = 'LISTEN "herald_signals_${schema}"'`,
      );
      assert.equal(killed.rowCount, 2, "both listening sessions cut");
      await eventually(() => atB.some(([kind]) => kind === "chain-jobs"), {
        message: "the wake-up after reconnecting",
      });
      a.send("action", "after-the-cut");
      await eventually(() => atB.some(([, arg]) => arg === "after-the-cut"), {
        message: "signals flow again",
      });
      await Promise.all([a.close(), b.close()]);
    });

    test("a lock is held by one process; when its session is cut, the holder is told and another takes it", async () => {
      const a = new PostgresLocks(url!, schema);
      const b = new PostgresLocks(url!, schema);
      const lostAtA: string[][] = [];
      a.onLost((names) => lostAtA.push(names));
      assert.equal(await a.tryAcquire("chain:local"), true);
      assert.equal(await a.tryAcquire("chain:local"), true, "re-entrant for its holder");
      assert.equal(await b.tryAcquire("chain:local"), false);
      assert.equal(await b.tryAcquire("retention"), true, "other names are free");

      const holder = await pool.query(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2`,
        [LOCK_CLASS, a.key("chain:local") >>> 0],
      );
      assert.equal(holder.rowCount, 1);
      await pool.query("SELECT pg_terminate_backend($1)", [holder.rows[0].pid]);
      await eventually(() => lostAtA.length === 1, { message: "a hears it lost the lock" });
      assert.deepEqual(lostAtA, [["chain:local"]]);
      assert.equal(await b.tryAcquire("chain:local"), true, "b takes over");
      assert.equal(await a.tryAcquire("chain:local"), false, "a, reconnected, is refused");
      await b.release("chain:local");
      assert.equal(await a.tryAcquire("chain:local"), true, "released: free again");
      await Promise.all([a.close(), b.close()]);
    });
  },
);

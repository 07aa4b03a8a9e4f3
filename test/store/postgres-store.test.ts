import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, test } from "node:test";
import pg from "pg";
import { v7 as uuidv7 } from "uuid";
import { newId } from "../../src/core/runtime/ids.js";
import {
  CHECK_SETTING,
  checkMasterKey,
  masterKeyCheck,
} from "../../src/core/runtime/master-key.js";
import { SecretBox } from "../../src/core/runtime/secret-box.js";
import { DEFAULT_APP_SETTINGS, type ClaimedDelivery } from "../../src/core/interfaces.js";
import { pruneCutoffs } from "../../src/core/runtime/retention.js";
import { withTransaction } from "../../src/store/postgres/database.js";
import { LATEST_VERSION } from "../../src/store/postgres/migrations.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import type { Store } from "../../src/core/ports/store.js";
import { retentionContract } from "./store-contract-retention.js";
import { storeContract } from "./store-contract.js";
import { Fixture, storeTest, T0 } from "./store-fixtures.js";

// The Store contract against a real PostgreSQL server, each test in a schema of its own, plus
// what only a shared server has: concurrent migrators and claimers, lost connections.
//
// A test's schema is one that migrate() created, fresh or handed back by an earlier test and
// emptied since: migrating one is 17 transactions of DDL (about a second while three tests
// migrate at once, most of a contract test's time), emptying one a few DELETEs. Tests of the
// migrations themselves take new schemas. Every schema is dropped at the end.

const url = process.env.HERALD_TEST_DATABASE_URL;
const DAY = 24 * 60 * 60 * 1000;

if (!url) {
  console.log("# PostgreSQL store tests skipped: set HERALD_TEST_DATABASE_URL");
  test("PostgreSQL store", { skip: "set HERALD_TEST_DATABASE_URL to run it" }, () => {});
} else {
  const admin = new pg.Pool({ connectionString: url, max: 3 });

  const freshSchema = () => `herald_test_${randomBytes(6).toString("hex")}`;
  const open = (schema: string, poolSize = 4) => new PostgresStore(url, { schema, poolSize });
  const dropSchema = (schema: string) => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);

  /** Migrated schemas: what each one's migrate() applied; those no test holds, emptied. */
  const migrated = new Map<string, { applied: number[] }>();
  const idle: string[] = [];
  const emptying = new Map<string, string>();
  after(async () => {
    for (const schema of migrated.keys()) await dropSchema(schema);
    await admin.end();
  });

  /** A migrated, empty schema no other test holds, and its store. */
  async function takeSchema(): Promise<{
    migrated: PostgresStore;
    firstMigration: { applied: number[] };
  }> {
    const reused = idle.pop();
    if (reused) return { migrated: open(reused), firstMigration: migrated.get(reused)! };
    const store = open(freshSchema());
    const firstMigration = await store.migrate();
    migrated.set(store.schema, firstMigration);
    return { migrated: store, firstMigration };
  }

  /** Closes the store and empties its schema for the next test: as migrate() left it. */
  async function giveBack(store: PostgresStore): Promise<void> {
    await store.close();
    await admin.query(await emptyingSql(store.schema));
    idle.push(store.schema);
  }

  /** Deletes every row but the migrations', children before parents; identities restart. */
  async function emptyingSql(schema: string): Promise<string> {
    const known = emptying.get(schema);
    if (known) return known;
    const tables = await admin.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'",
      [schema],
    );
    const references = await admin.query<{ child: string; parent: string }>(
      `SELECT child.relname AS child, parent.relname AS parent
         FROM pg_constraint c
         JOIN pg_class child ON child.oid = c.conrelid
         JOIN pg_class parent ON parent.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE c.contype = 'f' AND n.nspname = $1 AND c.conrelid <> c.confrelid`,
      [schema],
    );
    const sequences = await admin.query<{ name: string }>(
      "SELECT sequencename AS name FROM pg_sequences WHERE schemaname = $1",
      [schema],
    );
    const order: string[] = [];
    const visit = (table: string) => {
      if (order.includes(table)) return;
      for (const { child, parent } of references.rows) if (parent === table) visit(child);
      order.push(table);
    };
    for (const { name } of tables.rows) visit(name);
    const sql = [
      "BEGIN",
      ...order.map((table) => `DELETE FROM "${schema}"."${table}"`),
      ...sequences.rows.map(({ name }) => `SELECT setval('"${schema}"."${name}"', 1, false)`),
      "COMMIT",
    ].join(";\n");
    emptying.set(schema, sql);
    return sql;
  }

  const makeStore = takeSchema;
  const dropStore = (store: Store) => giveBack(store as PostgresStore);
  storeContract("PostgreSQL store", makeStore, dropStore, 3);
  // Registered for SQLite by test/retention.test.ts.
  describe("PostgreSQL store: retention", () => {
    retentionContract(storeTest(makeStore, dropStore));
  });

  /** A migrated, empty store in a schema of its own for `body`. */
  async function withSchema(body: (store: PostgresStore, schema: string) => Promise<void>) {
    const { migrated: store } = await takeSchema();
    try {
      await body(store, store.schema);
    } finally {
      await giveBack(store);
    }
  }

  /** A migrated store in a new schema for `body`, dropped afterwards (it may change the schema). */
  async function withNewSchema(body: (store: PostgresStore, schema: string) => Promise<void>) {
    const schema = freshSchema();
    const store = open(schema);
    try {
      await store.migrate();
      await body(store, schema);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  }

  const backendPids = async (store: PostgresStore, count: number): Promise<number[]> => {
    // Holding `count` connections at once makes the pool open that many.
    const clients = await Promise.all(Array.from({ length: count }, () => store.pool.connect()));
    const pids = await Promise.all(
      clients.map(async (c) => (await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid),
    );
    for (const c of clients) c.release();
    return pids as number[];
  };

  const terminate = async (pids: number[]) => {
    await admin.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [pids]);
    // Until the server is done, a terminated backend still shows in pg_stat_activity.
    for (let i = 0; i < 100; i++) {
      const left = await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = ANY ($1)", [pids]);
      if (left.rowCount === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  describe("PostgreSQL specifics", () => {
    test("the schema option isolates stores; migrate creates the schema", async () => {
      await withNewSchema(async (a, schemaA) => {
        await withNewSchema(async (b) => {
          const project = { id: newId(), name: "isolated", createdAt: T0, ...DEFAULT_APP_SETTINGS };
          const fx = new Fixture(a, { applied: [] });
          await a.createProject(project, fx.apiKey(project.id, "k"));
          assert.deepEqual(await a.getProject(project.id), project);
          assert.equal(await b.getProject(project.id), null);
          const tables = await admin.query(
            "SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'projects'",
            [schemaA],
          );
          assert.equal(tables.rowCount, 1);
        });
      });
    });

    test("migrate refuses a database whose schema is newer than the code", async () => {
      await withNewSchema(async (store, schema) => {
        await admin.query(
          `INSERT INTO "${schema}".schema_migrations (version, name, applied_at) VALUES ($1, 'future', 0)`,
          [LATEST_VERSION + 1],
        );
        await assert.rejects(store.migrate(), {
          message: `the database schema (version ${LATEST_VERSION + 1}) is newer than this Herald (version ${LATEST_VERSION}); upgrade Herald`,
        });
      });
    });

    test("concurrent migrators apply each migration exactly once", async () => {
      const schema = freshSchema();
      const stores = Array.from({ length: 4 }, () => open(schema, 2));
      try {
        const results = await Promise.all(stores.map((s) => s.migrate()));
        const applied = results.flatMap((r) => r.applied).sort((x, y) => x - y);
        assert.deepEqual(
          applied,
          Array.from({ length: LATEST_VERSION }, (_, i) => i + 1),
        );
        const recorded = await admin.query(
          `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
        );
        assert.deepEqual(
          recorded.rows.map((r) => r.version),
          applied,
        );
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await dropSchema(schema);
      }
    });

    test("processes starting together with different master keys: one key is recorded", async () => {
      await withSchema(async (_store, schema) => {
        const stores = Array.from({ length: 4 }, () => open(schema, 2));
        try {
          const boxes = stores.map(() => new SecretBox(randomBytes(32)));
          const verdicts = await Promise.all(
            stores.map((s, i) => checkMasterKey(s, boxes[i]!, T0)),
          );
          assert.deepEqual(
            [...verdicts].sort(),
            ["mismatch", "mismatch", "mismatch", "recorded"],
            "the first insert wins; the others are told",
          );
          const winner = boxes[verdicts.indexOf("recorded")]!;
          assert.equal(
            await stores[0]!.getSetting(CHECK_SETTING),
            masterKeyCheck(winner.masterKey),
          );
        } finally {
          await Promise.all(stores.map((s) => s.close()));
        }
      });
    });

    test("several processes claiming at once never get the same delivery", async () => {
      await withSchema(async (store, schema) => {
        const fx = new Fixture(store, { applied: [] });
        const { project } = await fx.project();
        for (let i = 0; i < 3; i++) await fx.endpoint(project.id);
        const batch = Array.from({ length: 100 }, (_, i) => ({
          event: fx.event(project.id, "type.a", { createdAt: T0 + i }),
        }));
        assert.ok(Array.isArray(await store.publishEvents(batch)));

        const workers = Array.from({ length: 4 }, () => open(schema, 3));
        try {
          const claimed: ClaimedDelivery[][] = workers.map(() => []);
          await Promise.all(
            workers.map(async (worker, w) => {
              // Three claim loops per process, over its pool of three connections.
              await Promise.all(
                [0, 1, 2].map(async () => {
                  for (;;) {
                    const got = await worker.claimDueDeliveries({
                      owner: `worker-${w}`,
                      now: T0 + 1000,
                      limit: 7,
                      leaseMs: 60_000,
                      excludeEndpointIds: [],
                    });
                    if (got.length === 0) return;
                    claimed[w]!.push(...got);
                  }
                }),
              );
            }),
          );
          const all = claimed.flat().map((c) => c.id);
          assert.equal(all.length, 300, "every delivery is claimed");
          assert.equal(new Set(all).size, 300, "no delivery is claimed twice");
          assert.ok(
            claimed.filter((c) => c.length > 0).length > 1,
            "the work was shared between processes",
          );
        } finally {
          await Promise.all(workers.map((w) => w.close()));
        }
      });
    });

    test("concurrent publishes with one idempotency key publish once", async () => {
      await withSchema(async (store) => {
        const fx = new Fixture(store, { applied: [] });
        const { project } = await fx.project();
        await fx.endpoint(project.id);
        const key = { key: "same", requestHash: "hash-a" };
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            store.publishEvent(fx.event(project.id, "type.a", { createdAt: T0 + i }), key),
          ),
        );
        const kinds = results.map((r) => r.kind).sort();
        assert.deepEqual(kinds, ["created", ...Array<string>(11).fill("replayed")]);
        const ids = new Set(results.map((r) => (r.kind === "conflict" ? null : r.value.event.id)));
        assert.equal(ids.size, 1, "every caller hears of the same event");
        assert.equal((await store.listEvents(project.id, {}, { limit: 20 })).data.length, 1);
        assert.equal((await fx.claim(T0 + 100)).length, 1);
      });
    });

    test("group commit: publishes of one tick each get their own result", async () => {
      await withSchema(async (store) => {
        const fx = new Fixture(store, { applied: [] });
        const { project } = await fx.project();
        await fx.endpoint(project.id);
        const known = await fx.publish(project.id, "type.a");
        const key = { key: "k", requestHash: "hash-a" };
        const first = fx.event(project.id, "type.a", { createdAt: T0 + 1 });
        const fresh = fx.event(project.id, "type.b", { createdAt: T0 + 2 });
        // Same tick: a duplicate id (fails), a key, the key with another hash, the key again.
        const [duplicate, created, conflict, replayed, plain] = await Promise.allSettled([
          store.publishEvent(fx.event(project.id, "type.a", { id: known.event.id })),
          store.publishEvent(first, key),
          store.publishEvent(fx.event(project.id, "type.a"), { ...key, requestHash: "hash-b" }),
          store.publishEvent(fx.event(project.id, "type.a", { createdAt: T0 + 3 }), key),
          store.publishEvent(fresh),
        ]);
        assert.equal(duplicate.status, "rejected", "only the bad publish fails");
        assert.deepEqual(created, {
          status: "fulfilled",
          value: { kind: "created", value: { event: first, deliveries: 1 } },
        });
        assert.deepEqual(conflict, { status: "fulfilled", value: { kind: "conflict" } });
        assert.deepEqual(replayed, {
          status: "fulfilled",
          value: { kind: "replayed", value: { event: first, deliveries: 1 } },
        });
        assert.deepEqual(plain, {
          status: "fulfilled",
          value: { kind: "created", value: { event: fresh, deliveries: 1 } },
        });
        const listed = await store.listEvents(project.id, {}, { limit: 10 });
        assert.deepEqual(
          listed.data.map((e) => e.id).sort(),
          [known.event.id, first.id, fresh.id].sort(),
        );
        assert.equal((await fx.claim(T0 + 10)).length, 3);
      });
    });

    test("retention skips an event a resend holds, and takes it afterwards", async () => {
      await withSchema(async (store) => {
        const fx = new Fixture(store, { applied: [] });
        const { project } = await fx.project();
        const { event } = await fx.publish(project.id, "type.a", { id: uuidv7({ msecs: T0 }) });
        const cutoffs = pruneCutoffs(T0 + 40 * DAY, 30 * DAY);
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        let locked = () => {};
        const isLocked = new Promise<void>((resolve) => (locked = resolve));
        // A resend's first statement, kept open.
        const resend = withTransaction(store.pool, async (client) => {
          await client.query("SELECT 1 FROM events WHERE id = $1 FOR KEY SHARE", [event.id]);
          locked();
          await held;
        });
        await isLocked;
        assert.deepEqual(await store.pruneExpired(cutoffs, 10), {
          events: 0,
          idempotencyKeys: 0,
          observedLogs: 0,
        });
        release();
        await resend;
        assert.equal((await store.pruneExpired(cutoffs, 10)).events, 1);
        assert.equal(await store.getEvent(project.id, event.id), null);
      });
    });

    test("idle connections the server terminated do not crash; the next query reconnects", async () => {
      await withSchema(async (store) => {
        const idleErrors: Error[] = [];
        store.pool.on("error", (error) => idleErrors.push(error));
        const pids = await backendPids(store, 3);
        assert.equal(new Set(pids).size, 3);
        await terminate(pids);
        await new Promise((r) => setTimeout(r, 50));
        assert.ok(idleErrors.length > 0, "the pool saw its connections go");

        const project = { id: newId(), name: "after-loss", createdAt: T0, ...DEFAULT_APP_SETTINGS };
        const fx = new Fixture(store, { applied: [] });
        await store.createProject(project, fx.apiKey(project.id, "k"));
        assert.deepEqual(await store.getProjectByName("after-loss"), project);
        const [pid] = await backendPids(store, 1);
        assert.ok(!pids.includes(pid!), "a new connection");
      });
    });

    test("a connection lost inside a transaction rejects; the pool recovers", async () => {
      await withSchema(async (store) => {
        const attempt = withTransaction(store.pool, async (client) => {
          const { rows } = await client.query("SELECT pg_backend_pid() AS pid");
          await client.query("INSERT INTO projects (id, name, created_at) VALUES ('p', 'lost', 1)");
          await terminate([rows[0].pid as number]);
          await new Promise((r) => setTimeout(r, 50)); // the loss arrives between statements
          await client.query("SELECT 1");
        });
        await assert.rejects(attempt);
        assert.equal(await store.getProjectByName("lost"), null, "nothing was committed");
        assert.equal(await store.nextDueAt(), null, "the next query gets a working connection");
      });
    });

    test("withTransaction rolls back on error and releases its connection", async () => {
      const schema = freshSchema();
      const store = open(schema, 1);
      try {
        await store.migrate();
        await assert.rejects(
          withTransaction(store.pool, async (client) => {
            await client.query(
              "INSERT INTO projects (id, name, created_at) VALUES ('p', 'doomed', 1)",
            );
            throw new Error("boom");
          }),
          { message: "boom" },
        );
        // With a pool of one, this would hang if the connection had not been released.
        assert.equal(await store.getProjectByName("doomed"), null);
        assert.equal(store.pool.totalCount, 1);
      } finally {
        await store.close();
        await dropSchema(schema);
      }
    });
  });
}

// @herald/receiver's de-duplication stores, each against its real engine: in memory, SQLite
// (better-sqlite3, a temporary file), PostgreSQL (HERALD_TEST_DATABASE_URL) and Redis (ioredis,
// HERALD_TEST_REDIS_URL or the local server). The same webhook delivered twice runs the handler
// once; a handler failure answers 5xx and the retry runs it; concurrent claims of one id let one
// through; a claim expires.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import pg from "pg";
import {
  generateSecret,
  MemoryStore,
  nodeHandler,
  PostgresStore,
  RedisStore,
  SqliteStore,
  type DedupStore,
} from "../../packages/receiver/src/index.js";
import { listen, post, signedWebhook } from "./helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const run = `${process.pid}_${Date.now()}`;

/** Each store: `make` builds one on the shared engine (two of them act as two processes). */
type Engine = { make: () => DedupStore; close: () => Promise<void> };

const engines: Record<string, () => Engine | null> = {
  memory: () => {
    const store = new MemoryStore();
    return { make: () => store, close: async () => {} };
  },
  SQLite: () => {
    const dir = mkdtempSync(join(tmpdir(), "receiver-sqlite-"));
    const dbs: Database.Database[] = [];
    return {
      make: () => {
        const db = new Database(join(dir, "receipts.db"));
        db.pragma("journal_mode = WAL");
        db.pragma("busy_timeout = 5000");
        dbs.push(db);
        return new SqliteStore(db);
      },
      close: async () => {
        for (const db of dbs) db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  PostgreSQL: () => {
    const url = process.env.HERALD_TEST_DATABASE_URL;
    if (!url) return null;
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    const table = `receiver_test_${run}`;
    return {
      make: () => new PostgresStore(pool, { table }),
      close: async () => {
        await pool.query(`DROP TABLE IF EXISTS ${table}`);
        await pool.end();
      },
    };
  },
  Redis: () => {
    const url = process.env.HERALD_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
    const clients: Redis[] = [];
    const prefix = `receiver-test:${run}:`;
    return {
      make: () => {
        const client = new Redis(url, { maxRetriesPerRequest: 1 });
        clients.push(client);
        return new RedisStore(client, { prefix });
      },
      close: async () => {
        const keys = await clients[0]!.keys(`${prefix}*`);
        if (keys.length > 0) await clients[0]!.del(...keys);
        await Promise.all(clients.map((c) => c.quit()));
      },
    };
  },
};

for (const [name, open] of Object.entries(engines)) {
  const engine = open();
  if (engine === null) {
    console.log(`# ${name} receiver store tests skipped: set HERALD_TEST_DATABASE_URL`);
    test(`${name} store`, { skip: "set HERALD_TEST_DATABASE_URL to run it" }, () => {});
    continue;
  }
  after(() => engine.close());

  test(`${name}: the same webhook delivered twice (also at once) runs the handler once`, async () => {
    const secret = generateSecret();
    const runs = new Map<string, number>();
    const handler = async (webhook: { id: string; payload: any }) => {
      runs.set(webhook.id, (runs.get(webhook.id) ?? 0) + 1);
      if (webhook.payload.data.slow) await sleep(300);
    };
    // Two receivers on one shared store engine: two processes of one application.
    const servers = await Promise.all(
      [engine.make(), engine.make()].map((store) =>
        listen(createServer(nodeHandler({ secret, store, handler }))),
      ),
    );
    try {
      const webhook = signedWebhook(secret);
      assert.deepEqual(await post(servers[0]!.url, webhook.body, webhook.headers), {
        status: 200,
        json: { received: true },
      });
      for (const server of servers)
        assert.deepEqual(await post(server.url, webhook.body, webhook.headers), {
          status: 200,
          json: { received: true, duplicate: true },
        });
      assert.equal(runs.get(webhook.id), 1);

      // Delivered to both processes at once while the handler runs: one runs it, the other is
      // told to retry (503), and the retry finds it done.
      const slow = signedWebhook(secret, { data: { slow: true } });
      const answers = await Promise.all(
        servers.map((server) => post(server.url, slow.body, slow.headers)),
      );
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 503]);
      assert.equal(answers.find((a) => a.status === 503)!.json.error, "in_progress");
      assert.deepEqual((await post(servers[1]!.url, slow.body, slow.headers)).json, {
        received: true,
        duplicate: true,
      });
      assert.equal(runs.get(slow.id), 1);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  test(`${name}: a handler failure answers 500 and the retry runs it`, async () => {
    const secret = generateSecret();
    let attempts = 0;
    const server = await listen(
      createServer(
        nodeHandler({
          secret,
          store: engine.make(),
          onError: () => {},
          handler: () => {
            if (++attempts === 1) throw new Error("transient");
          },
        }),
      ),
    );
    try {
      const webhook = signedWebhook(secret);
      assert.equal((await post(server.url, webhook.body, webhook.headers)).status, 500);
      assert.equal((await post(server.url, webhook.body, webhook.headers)).status, 200);
      assert.equal((await post(server.url, webhook.body, webhook.headers)).json.duplicate, true);
      assert.equal(attempts, 2);
    } finally {
      await server.close();
    }
  });

  test(`${name}: claim, complete, release and expiry; concurrent claims let one through`, async () => {
    const [a, b] = [engine.make(), engine.make()];
    const id = `claim_${run}_${Math.random()}`;
    assert.equal(await a.claim(id, 60_000), "claimed");
    assert.equal(await b.claim(id, 60_000), "processing");
    await a.release(id);
    assert.equal(await b.claim(id, 60_000), "claimed");
    await b.complete(id, 60_000);
    assert.equal(await a.claim(id, 60_000), "done");
    await a.release(id); // never forgets a done id
    assert.equal(await a.claim(id, 60_000), "done");

    // A claim whose handler never finished expires; so does a done record.
    const crashed = `${id}_crashed`;
    assert.equal(await a.claim(crashed, 150), "claimed");
    assert.equal(await b.claim(crashed, 150), "processing");
    await sleep(400);
    assert.equal(await b.claim(crashed, 60_000), "claimed");
    await b.complete(crashed, 150);
    assert.equal(await a.claim(crashed, 60_000), "done");
    await sleep(400);
    assert.equal(await a.claim(crashed, 60_000), "claimed");

    const raced = `${id}_raced`;
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim(raced, 60_000)),
    );
    assert.equal(claims.filter((c) => c === "claimed").length, 1);
    assert.equal(claims.filter((c) => c === "processing").length, 19);
  });
}

test("memory: bounded, the oldest ids go first", async () => {
  const store = new MemoryStore({ maxEntries: 3 });
  for (const id of ["a", "b", "c", "d"]) {
    await store.claim(id, 60_000);
    await store.complete(id, 60_000);
  }
  assert.equal(store.size, 3);
  assert.equal(await store.claim("a", 60_000), "claimed");
  assert.equal(await store.claim("d", 60_000), "done");
});

// Horizontal scale-out on PostgreSQL, with real processes: an API process and 2 or 4 worker
// processes deliver every event with no duplicates; a worker SIGKILLed mid-stream leaves its
// leased deliveries to the others; the server cutting every connection mid-stream loses
// nothing; `?wait` held by one process is released by a completion in another. Skipped, with a
// notice, without HERALD_TEST_DATABASE_URL.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import pg from "pg";
import {
  printingOutputOnFailure,
  startChildHerald,
  type ChildHerald,
} from "./helpers/child-herald.js";
import { apiClient, eventually } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";

const url = process.env.HERALD_TEST_DATABASE_URL;
if (!url) console.log("# scale-out tests skipped: set HERALD_TEST_DATABASE_URL");
const API_KEY = "hk_scale_out_key_0123456789";

/**
 * A fresh schema and the processes started on it; all removed at the end. The first process
 * migrates the schema as it starts (`herald migrate` on PostgreSQL is tested by
 * test/postgres-herald.test.ts; a process of its own here would only cost a start).
 */
class Cluster {
  /** `timeoutMs`: the delivery timeout (1 s: a short lease, so a dead worker's deliveries move
   * soon; longer where no process dies, so that a slow answer on a busy machine is no retry). */
  constructor(
    timeoutMs = 1000,
    readonly databaseUrl = url ?? "",
  ) {
    this.env = {
      HERALD_DATABASE_URL: databaseUrl,
      HERALD_DATABASE_SCHEMA: this.schema,
      HERALD_MASTER_KEY: randomBytes(32).toString("hex"),
      HERALD_API_KEY: API_KEY,
      HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
      // The lease is 2 × timeout + 10 s.
      HERALD_DELIVERY_TIMEOUT_MS: String(timeoutMs),
      HERALD_RETRY_SCHEDULE: "0.2,0.5,1,2,5,10,20",
    };
  }

  readonly schema = `herald_test_${randomBytes(6).toString("hex")}`;
  readonly dataDir = mkdtempSync(join(tmpdir(), "herald-scale-"));
  readonly children: ChildHerald[] = [];
  readonly env: Record<string, string>;

  async start(role: string): Promise<ChildHerald> {
    // Each process its own data dir (the master key is shared through the environment).
    const dataDir = mkdtempSync(join(this.dataDir, "p-"));
    const child = await startChildHerald({ dataDir, env: { ...this.env, HERALD_ROLE: role } });
    this.children.push(child);
    return child;
  }

  private stopped = false;

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const child of this.children) await child.kill("SIGKILL");
    const pool = new pg.Pool({ connectionString: this.databaseUrl });
    await pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await pool.end();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Publishes `count` events in batches of 100; returns their ids. */
async function publish(api: ReturnType<typeof apiClient>, count: number, from = 0) {
  const ids: string[] = [];
  for (let i = from; i < from + count; i += 100) {
    const events = Array.from({ length: Math.min(100, from + count - i) }, (_, k) => ({
      type: "wallet.created",
      data: { n: i + k },
    }));
    const res = await api("POST", "/events/batch", { events });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    ids.push(...(res.body.data as Array<{ id: string }>).map((e) => e.id));
  }
  return ids;
}

function tally(receiver: Receiver) {
  const byId = new Map<string, number>();
  for (const r of receiver.requests) {
    const id = String(r.headers["webhook-id"]);
    byId.set(id, (byId.get(id) ?? 0) + 1);
  }
  const duplicates = [...byId.values()].reduce((sum, n) => sum + n - 1, 0);
  return { distinct: byId.size, duplicates };
}

async function allDelivered(receiver: Receiver, ids: string[], timeoutMs = 60_000) {
  await eventually(() => tally(receiver).distinct >= ids.length, {
    timeoutMs,
    intervalMs: 100,
    message: `${ids.length} events delivered (have ${tally(receiver).distinct})`,
  });
  const seen = new Set(receiver.requests.map((r) => String(r.headers["webhook-id"])));
  for (const id of ids) assert.ok(seen.has(id), `event ${id} delivered`);
}

describe("scale-out on PostgreSQL", { skip: url ? false : "no HERALD_TEST_DATABASE_URL" }, () => {
  const clusters: Cluster[] = [];
  const receivers: Receiver[] = [];
  after(async () => {
    for (const cluster of clusters) await cluster.stop();
    for (const receiver of receivers) await receiver.close();
  });

  async function setUp(workers: number, timeoutMs?: number, databaseUrl?: string) {
    const cluster = new Cluster(timeoutMs, databaseUrl);
    clusters.push(cluster);
    const receiver = await Receiver.start();
    receivers.push(receiver);
    const apiProcess = await cluster.start("api"); // migrates the schema
    const workerProcesses = await Promise.all(
      Array.from({ length: workers }, () => cluster.start("worker")),
    );
    const api = apiClient(apiProcess.url, API_KEY);
    const endpoint = await api("POST", "/webhooks/endpoints", { url: receiver.url });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    return { cluster, receiver, api, workerProcesses };
  }

  for (const workers of [2, 4]) {
    test(`${workers} worker processes deliver every event once`, { timeout: 300_000 }, async () => {
      const { cluster, receiver, api } = await setUp(workers, 15_000);
      await printingOutputOnFailure(
        () => cluster.children,
        async () => {
          const ids = await publish(api, 500 * workers);
          await allDelivered(receiver, ids);
          const { distinct, duplicates } = tally(receiver);
          console.log(`# ${workers} workers: delivered=${distinct}, duplicates=${duplicates}`);
          assert.equal(duplicates, 0, "no process died: no duplicates");
        },
      );
    });
  }

  test(
    "a worker SIGKILLed mid-stream: the other finishes its leased deliveries",
    { timeout: 300_000 },
    async () => {
      const { cluster, receiver, api, workerProcesses } = await setUp(2);
      await printingOutputOnFailure(
        () => cluster.children,
        async () => {
          const ids = await publish(api, 1500);
          await eventually(() => tally(receiver).distinct >= 300, { message: "300 delivered" });
          const killed = await workerProcesses[0]!.kill("SIGKILL");
          assert.equal(killed.signal, "SIGKILL");
          const atKill = tally(receiver).distinct;
          await allDelivered(receiver, ids, 90_000);
          const { distinct, duplicates } = tally(receiver);
          console.log(
            `# SIGKILL: accepted=${ids.length}, delivered=${distinct}, lost=${ids.length - distinct}, ` +
              `duplicates=${duplicates} (delivered before the kill: ${atKill})`,
          );
          assert.equal(distinct, ids.length, "nothing lost");
        },
      );
    },
  );

  test(
    "the server cuts every Herald connection mid-stream: processes reconnect, nothing is lost",
    { timeout: 300_000 },
    async () => {
      // A database of its own: cutting every connection to it leaves other test files' alone.
      const database = `herald_cut_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Pool({ connectionString: url });
      await admin.query(`CREATE DATABASE "${database}"`);
      const databaseUrl = new URL(url!);
      databaseUrl.pathname = `/${database}`;
      const { cluster, receiver, api } = await setUp(2, undefined, databaseUrl.href);
      const pool = new pg.Pool({ connectionString: databaseUrl.href });
      try {
        await printingOutputOnFailure(
          () => cluster.children,
          async () => {
            const first = await publish(api, 1200);
            await eventually(() => tally(receiver).distinct >= 300, { message: "300 delivered" });
            const cut = await pool.query(
              `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = $1 AND application_name LIKE 'herald%' AND pid <> pg_backend_pid()`,
              [database],
            );
            assert.ok((cut.rowCount ?? 0) >= 4, `cut ${cut.rowCount} connections`);
            // Publishing goes on through the same API process, on new connections.
            const second = await eventually(() => publish(api, 500, 2000), {
              timeoutMs: 120_000,
              intervalMs: 200,
              message: "publishing after the cut",
            });
            await allDelivered(receiver, [...first, ...second], 90_000);
            const { distinct, duplicates } = tally(receiver);
            console.log(
              `# connections cut (${cut.rowCount}): delivered=${distinct} of ${first.length + second.length}, duplicates=${duplicates}`,
            );
          },
        );
      } finally {
        await pool.end();
        await cluster.stop();
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.end();
      }
    },
  );

  test(
    "?wait held by one process is released by the completion in another",
    { timeout: 300_000 },
    async () => {
      const cluster = new Cluster();
      clusters.push(cluster);
      // Both migrate at start: one applies the migrations, the other then finds none left.
      const [one, two] = await Promise.all([cluster.start("api"), cluster.start("api")]);
      const atOne = apiClient(one!.url, API_KEY);
      const atTwo = apiClient(two!.url, API_KEY);
      const opened = await atOne("POST", "/actions", { action: "nfts.create", data: {} });
      assert.equal(opened.status, 201, JSON.stringify(opened.body));
      const started = Date.now();
      const held = atOne("GET", `/actions/${opened.body.actionId}?wait=30`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await atTwo("PATCH", `/actions/${opened.body.actionId}`, { status: "failed" });
      const answer = await held;
      const tookMs = Date.now() - started;
      assert.equal(answer.body.status, "failed");
      assert.ok(tookMs < 3000, `released after ${tookMs} ms, not at the 30 s limit`);
    },
  );
});

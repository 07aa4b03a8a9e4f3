// The master key on PostgreSQL, with real processes sharing one schema: the first process
// records its key, another key (or one generated into a process's own data dir, the incident
// this check answers) refuses to start; a worker whose key cannot open the endpoint's secret
// never exhausts its delivery nor makes the endpoint failing, and a worker with the right key
// delivers it; `herald rotate-master-key` re-seals everything. Skipped, with a notice,
// without HERALD_TEST_DATABASE_URL.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import pg from "pg";
import { rotateMasterKey } from "../src/core/runtime/master-key.js";
import { parseMasterKey, SecretBox } from "../src/core/runtime/secret-box.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import {
  freePort,
  printingOutputOnFailure,
  runHerald,
  startChildHerald,
  type ChildHerald,
} from "./helpers/child-herald.js";
import { apiClient, eventually } from "./helpers/herald.js";
import { assertRefusedKey, assertSignedWith, assertSignerOpens } from "./helpers/master-key.js";
import { createCollection, mintAll, waitSucceeded } from "./helpers/minting.js";
import { Receiver } from "./helpers/receiver.js";

const url = process.env.HERALD_TEST_DATABASE_URL;
if (!url) console.log("# PostgreSQL master key tests skipped: set HERALD_TEST_DATABASE_URL");
const API_KEY = "hk_master_key_pg_0123456789";
const newKey = () => randomBytes(32).toString("base64");

/** A fresh schema and the processes started on it, each with a data dir of its own. */
class Cluster {
  readonly schema = `herald_test_${randomBytes(6).toString("hex")}`;
  readonly root = mkdtempSync(join(tmpdir(), "herald-master-key-pg-"));
  readonly children: ChildHerald[] = [];
  readonly env: Record<string, string> = {
    HERALD_DATABASE_URL: url ?? "",
    HERALD_DATABASE_SCHEMA: this.schema,
    HERALD_API_KEY: API_KEY,
    HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
    HERALD_DELIVERY_TIMEOUT_MS: "5000",
    // One retry: two failures recorded would exhaust a delivery.
    HERALD_RETRY_SCHEDULE: "0.2",
  };

  dataDir(): string {
    return mkdtempSync(join(this.root, "p-"));
  }

  async start(env: Record<string, string>, dataDir = this.dataDir()): Promise<ChildHerald> {
    const child = await startChildHerald({ dataDir, env: { ...this.env, ...env } });
    this.children.push(child);
    return child;
  }

  async startRefused(env: Record<string, string>) {
    const port = String(await freePort());
    return runHerald(["start"], {
      ...this.env,
      ...env,
      HERALD_DATA_DIR: this.dataDir(),
      PORT: port,
    });
  }

  rotate(key: string, args: string[] = []) {
    const env = { ...this.env, HERALD_MASTER_KEY: key, HERALD_DATA_DIR: this.dataDir() };
    return runHerald(["rotate-master-key", ...args], env);
  }

  async stop(): Promise<void> {
    for (const child of this.children) await child.kill("SIGKILL");
    const pool = new pg.Pool({ connectionString: url });
    await pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await pool.end();
    rmSync(this.root, { recursive: true, force: true });
  }
}

const faults = (child: ChildHerald) =>
  child.output().match(/could not attempt a delivery/g)?.length ?? 0;

describe(
  "the master key on PostgreSQL",
  { skip: url ? false : "no HERALD_TEST_DATABASE_URL", concurrency: 3, timeout: 900_000 },
  () => {
    const clusters: Cluster[] = [];
    const receivers: Receiver[] = [];
    after(async () => {
      for (const cluster of clusters) await cluster.stop();
      for (const receiver of receivers) await receiver.close();
    });
    const setUp = async () => {
      const cluster = new Cluster();
      clusters.push(cluster);
      const receiver = await Receiver.start();
      receivers.push(receiver);
      return { cluster, receiver };
    };

    test("the first process records its key; another key, or a generated one, refuses", async () => {
      const { cluster } = await setUp();
      const first = await cluster.start({ HERALD_MASTER_KEY: newKey() });
      const [other, generated] = await Promise.all([
        cluster.startRefused({ HERALD_MASTER_KEY: newKey() }),
        cluster.startRefused({}),
      ]);
      assertRefusedKey(other, "another key");
      assert.match(assertRefusedKey(generated, "a generated key"), /generated just now/);
      const health = await fetch(`${first.url}/health`);
      assert.equal(health.status, 200, "the first process runs on");
    });

    test("a worker whose key cannot open the secret never exhausts the delivery; the right key delivers it", async () => {
      const { cluster, receiver } = await setUp();
      const [oldKey, newKeyText] = [newKey(), newKey()];
      const apiProcess = await cluster.start({ HERALD_MASTER_KEY: oldKey, HERALD_ROLE: "api" });
      const staleWorker = await cluster.start({
        HERALD_MASTER_KEY: oldKey,
        HERALD_ROLE: "worker",
      });
      const api = apiClient(apiProcess.url, API_KEY);
      const created = await api("POST", "/webhooks/endpoints", { url: `${receiver.url}/hooks` });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const { id: endpointId, secret } = created.body as { id: string; secret: string };

      // The database's key changes behind the worker's back (as if rotated while it ran).
      const store = new PostgresStore(url!, { schema: cluster.schema, poolSize: 2 });
      const [from, to] = [oldKey, newKeyText].map((k) => new SecretBox(parseMasterKey(k)));
      await rotateMasterKey(store, from!, to!, Date.now());
      await store.close();

      const rightWorker = await printingOutputOnFailure(
        () => cluster.children,
        async () => {
          const event = await api("POST", "/events", { type: "wallet.created", data: { n: 1 } });
          assert.equal(event.status, 201, JSON.stringify(event.body));
          // Each attempt the worker cannot make gives the delivery back for the schedule's
          // first delay (here 1 s, the least).
          await eventually(() => faults(staleWorker) >= 2, {
            timeoutMs: 120_000,
            intervalMs: 200,
            message: "two attempts the stale worker could not make",
          });
          const read = await api("GET", `/events/${event.body.id}`);
          const [delivery] = read.body.deliveries;
          assert.equal(delivery.status, "pending", JSON.stringify(delivery));
          assert.equal(delivery.attemptCount, 0, "no attempt is recorded");
          assert.deepEqual(delivery.attempts, []);
          const endpoint = await api("GET", `/webhooks/endpoints/${endpointId}`);
          assert.equal(endpoint.body.failingSince, null, "the endpoint is not failing");
          assert.equal(endpoint.body.enabled, true);
          const exhausted = await api("GET", "/events?type=delivery.exhausted");
          assert.deepEqual(exhausted.body.data, [], "no delivery.exhausted");
          assert.equal(receiver.requests.length, 0);

          await staleWorker.kill();
          const worker = await cluster.start({
            HERALD_MASTER_KEY: newKeyText,
            HERALD_ROLE: "worker",
          });
          const delivered = await eventually(() => receiver.requests[0], {
            timeoutMs: 120_000,
            message: "the delivery, by the worker with the database's key",
          });
          assert.equal(delivered.headers["webhook-id"], event.body.id);
          assertSignedWith(secret, delivered);
          return worker;
        },
      );
      assert.equal(faults(rightWorker), 0);
    });

    test("rotate-master-key: refused while Herald runs; then the old key refuses, the new one works", async () => {
      const { cluster, receiver } = await setUp();
      const [oldKey, next] = [newKey(), newKey()];
      const dataDir = cluster.dataDir(); // the embedded chain's journal lives here
      const herald = await cluster.start({ HERALD_MASTER_KEY: oldKey }, dataDir);
      const api = apiClient(herald.url, API_KEY);
      const created = await api("POST", "/webhooks/endpoints", { url: `${receiver.url}/hooks` });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const collection = await createCollection(api, "local", "Keys");
      const [before] = await mintAll(api, collection.id, "email:ada@example.com:local", ["a"]);
      await waitSucceeded(api, [collection.actionId, before!.actionId], 180_000);
      const owner = async (client: typeof api, nftId: string) =>
        (await client("GET", `/collections/${collection.id}/nfts/${nftId}`)).body.onChain.owner;
      const adaBefore = await owner(api, before!.id);

      const busy = await cluster.rotate(oldKey, ["--new-key", next]);
      assert.notEqual(busy.code, 0, "refused while a process runs");
      assert.match(busy.stderr, /1 Herald process\(es\) run on this database/);
      await herald.kill();
      const rotated = await cluster.rotate(oldKey, ["--new-key", next]);
      assert.equal(rotated.code, 0, rotated.stderr);
      assert.doesNotMatch(rotated.stdout, /shown only this once/, "a given key is not printed");
      assert.match(rotated.stdout, /HERALD_MASTER_KEY set to the new key/);

      assertRefusedKey(await cluster.startRefused({ HERALD_MASTER_KEY: oldKey }), "the old key");
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      const signer = await pool.query(
        `SELECT address, private_key_enc FROM "${cluster.schema}".chain_accounts`,
      );
      await pool.end();
      assertSignerOpens(next, signer.rows[0]);

      const restarted = await cluster.start({ HERALD_MASTER_KEY: next }, dataDir);
      await printingOutputOnFailure(
        () => [restarted],
        async () => {
          const again = apiClient(restarted.url, API_KEY);
          const event = await again("POST", "/events", { type: "wallet.created", data: {} });
          assert.equal(event.status, 201, JSON.stringify(event.body));
          const delivered = await eventually(
            () => receiver.requests.find((r) => r.headers["webhook-id"] === event.body.id),
            { timeoutMs: 60_000, message: "the event delivered" },
          );
          assertSignedWith(created.body.secret, delivered!);
          const [after] = await mintAll(again, collection.id, "email:ada@example.com:local", ["b"]);
          await waitSucceeded(again, [after!.actionId], 180_000);
          const adaAfter = await owner(again, after!.id);
          assert.equal(adaAfter, adaBefore, "Ada's custodial address is the same");
        },
      );
    });
  },
);

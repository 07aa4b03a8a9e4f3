// Herald on PostgreSQL, two instances sharing one database (as two processes would): events
// published at one are delivered once; `?wait` held at one is released by a completion at the
// other; the chain's runner runs in one of them only. Skipped, with a notice, without
// HERALD_TEST_DATABASE_URL.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";
import { runHerald } from "./helpers/child-herald.js";

const url = process.env.HERALD_TEST_DATABASE_URL;
if (!url) console.log("# Herald-on-PostgreSQL tests skipped: set HERALD_TEST_DATABASE_URL");

describe("Herald on PostgreSQL", { skip: url ? false : "no HERALD_TEST_DATABASE_URL" }, () => {
  const schema = `herald_test_${randomBytes(6).toString("hex")}`;
  const env = {
    HERALD_DATABASE_URL: url ?? "",
    HERALD_DATABASE_SCHEMA: schema,
    HERALD_MASTER_KEY: randomBytes(32).toString("hex"),
  };
  let a: TestHerald;
  let b: TestHerald;
  let receiver: Receiver;

  before(async () => {
    a = await startTestHerald(env);
    b = await startTestHerald(env);
    receiver = await Receiver.start();
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await receiver?.close();
    const pool = new pg.Pool({ connectionString: url });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  test("an endpoint made at one instance gets every event published at either, once", async () => {
    const endpoint = await a.api("POST", "/webhooks/endpoints", { url: receiver.url });
    assert.equal(endpoint.status, 201);
    assert.equal((await b.api("GET", `/webhooks/endpoints/${endpoint.body.id}`)).status, 200);
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const at = i % 2 === 0 ? a : b;
      const published = await at.api("POST", "/events", { type: "wallet.created", data: { i } });
      assert.equal(published.status, 201);
      ids.push(published.body.id);
    }
    await eventually(
      () => new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size === 40,
      {
        message: "all 40 delivered",
      },
    );
    const seen = receiver.requests.map((r) => String(r.headers["webhook-id"]));
    assert.deepEqual([...new Set(seen)].sort(), [...ids].sort());
    assert.equal(seen.length, 40, "no duplicates");
  });

  test("?wait held at one instance is released by the completion at the other", async () => {
    const opened = await a.api("POST", "/actions", { action: "nfts.create", data: {} });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const started = Date.now();
    const waiting = a.api("GET", `/actions/${opened.body.actionId}?wait=30`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const completed = await b.api("PATCH", `/actions/${opened.body.actionId}`, {
      status: "succeeded",
    });
    assert.equal(completed.status, 200, JSON.stringify(completed.body));
    const answer = await waiting;
    assert.equal(answer.body.status, "succeeded");
    assert.ok(Date.now() - started < 3000, `released in ${Date.now() - started} ms, not at 30 s`);
  });

  test("a chain's runner runs in one instance; mints through either succeed", async () => {
    const created = await b.api("POST", "/collections", {
      chain: "local",
      metadata: { name: "Shared" },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const deployed = await a.api("GET", `/actions/${created.body.actionId}?wait=30`);
    assert.equal(deployed.body.status, "succeeded", JSON.stringify(deployed.body));
    const runners = [
      await a.herald.chainModule.runner("local"),
      await b.herald.chainModule.runner("local"),
    ];
    assert.equal(runners.filter(Boolean).length, 1, "exactly one instance runs the chain");
    const mint = await a.api("POST", `/collections/${created.body.id}/nfts`, {
      recipient: "local:0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      metadata: { name: "Shared #1" },
    });
    const minted = await b.api("GET", `/actions/${mint.body.actionId}?wait=30`);
    assert.equal(minted.body.status, "succeeded", JSON.stringify(minted.body));
  });
});

describe(
  "herald migrate and start on PostgreSQL",
  { skip: url ? false : "no HERALD_TEST_DATABASE_URL" },
  () => {
    const schema = `herald_test_${randomBytes(6).toString("hex")}`;
    const env = {
      HERALD_DATABASE_URL: url ?? "",
      HERALD_DATABASE_SCHEMA: schema,
      HERALD_MASTER_KEY: randomBytes(32).toString("hex"),
      HERALD_LOG_LEVEL: "warn",
      PORT: "0",
    };
    const pool = new pg.Pool({ connectionString: url });
    after(async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    });

    test("--no-migrate refuses a schema with pending migrations; migrate applies them once; a newer schema is refused", async () => {
      const refused = await runHerald(["start", "--no-migrate"], env);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /schema is at version 0, this Herald needs \d+: run `herald migrate`/,
      );

      const first = await runHerald(["migrate"], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /applied migrations 1, 2, 3, 4, 5, 6/);
      const second = await runHerald(["migrate"], env);
      assert.match(second.stdout, /up to date/);

      await pool.query(
        `INSERT INTO "${schema}".schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)`,
      );
      const newer = await runHerald(["start"], env);
      assert.equal(newer.code, 1);
      assert.match(newer.stderr, /newer than this Herald/);
    });
  },
);

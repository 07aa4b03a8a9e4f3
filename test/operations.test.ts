// What operators see: /metrics parsed with a Prometheus text parser before and after 1,000
// deliveries (the success counter moves by exactly that much), the token in front of it, the
// request id on every answer, and /ready flipping to 503 while PostgreSQL is cut off and back.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import pg from "pg";
import { request } from "undici";
import { startTcpProxy } from "./helpers/amqp-broker.js";
import { eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";

const METRICS_TOKEN = "metrics-token-0123456789";

type Family = { name: string; metrics: Array<{ labels?: Record<string, string>; value?: string }> };

async function scrape(h: TestHerald, token: string | null = METRICS_TOKEN) {
  const res = await request(`${h.url}/metrics`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    families: res.statusCode === 200 ? (parsePrometheusTextFormat(text) as Family[]) : [],
  };
}

/** The sum of a metric's samples whose labels include `labels`. */
function value(families: Family[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) return 0;
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((sum, m) => sum + Number(m.value ?? 0), 0);
}

describe("metrics, request ids and readiness on the embedded store", () => {
  let h: TestHerald;
  let receiver: Receiver;
  before(async () => {
    h = await startTestHerald({ HERALD_METRICS_TOKEN: METRICS_TOKEN });
    receiver = await Receiver.start();
  });
  after(async () => {
    await h?.stop();
    await receiver?.close();
  });

  test("/metrics: 1,000 deliveries move the success counter by exactly 1,000", async () => {
    const endpoint = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/m` });
    assert.equal(endpoint.status, 201);
    const before = (await scrape(h)).families;
    const base = {
      succeeded: value(before, "herald_delivery_attempts_total", {
        outcome: "succeeded",
        destination: "https",
      }),
      events: value(before, "herald_events_published_total"),
      publishes: value(before, "herald_http_requests_total", {
        method: "POST",
        route: "/api/2022-06-09/events",
      }),
    };
    const queue = Array.from({ length: 1000 }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const res = await h.api("POST", "/events", { type: "metrics.test", data: { i } });
          assert.ok(res.status === 201 || res.status === 202, JSON.stringify(res.body));
        }
      }),
    );
    await eventually(() => receiver.requests.length >= 1000, {
      timeoutMs: 120_000,
      message: "1,000 deliveries",
    });
    const after: Family[] = await eventually<Family[]>(
      async () => {
        const { families } = await scrape(h);
        return value(families, "herald_delivery_attempts_total", { outcome: "succeeded" }) -
          base.succeeded >=
          1000
          ? families
          : (null as unknown as Family[]);
      },
      { message: "the counter caught up" },
    );
    assert.equal(
      value(after, "herald_delivery_attempts_total", {
        outcome: "succeeded",
        destination: "https",
      }) - base.succeeded,
      1000,
    );
    assert.equal(value(after, "herald_events_published_total") - base.events, 1000);
    assert.equal(
      value(after, "herald_http_requests_total", {
        method: "POST",
        route: "/api/2022-06-09/events",
      }) - base.publishes,
      1000,
    );
    assert.ok(
      value(after, "herald_delivery_attempt_duration_seconds_count" as string) >= 0,
      "the histogram is there",
    );
    assert.ok(after.some((f) => f.name === "herald_delivery_attempt_duration_seconds"));
    assert.equal(value(after, "herald_endpoints", { state: "healthy" }), 1);
    assert.equal(value(after, "herald_deliveries_due"), 0);
    assert.ok(
      after.some((f) => f.name === "nodejs_eventloop_lag_seconds"),
      "event-loop lag",
    );
  });

  test("/metrics: chain RPC calls and the signer, once the chain runs", async () => {
    const mint = await h.api("POST", "/collections/default-local/nfts", {
      recipient: "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819",
      metadata: { name: "metrics" },
    });
    assert.ok(mint.status < 300, `${mint.status} ${JSON.stringify(mint.body)}`);
    const families: Family[] = await eventually<Family[]>(
      async () => {
        const { families } = await scrape(h);
        return value(families, "herald_signer_nonce", { chain: "local" }) > 0
          ? families
          : (null as unknown as Family[]);
      },
      { timeoutMs: 120_000, message: "the signer's nonce" },
    );
    assert.ok(value(families, "herald_rpc_calls_total", { chain: "local" }) > 0);
    assert.ok(value(families, "herald_signer_balance", { chain: "local" }) > 0);
  });

  test("/metrics asks for the token; answers carry a request id", async () => {
    assert.equal((await scrape(h, null)).status, 401);
    assert.equal((await scrape(h, "wrong-token-0123456789")).status, 401);
    const plain = await request(`${h.url}/health`);
    await plain.body.dump();
    assert.match(String(plain.headers["x-request-id"]), /^[0-9a-f-]{36}$/);
    const given = await request(`${h.url}/health`, { headers: { "x-request-id": "lb-42.a:b" } });
    await given.body.dump();
    assert.equal(given.headers["x-request-id"], "lb-42.a:b", "a caller's plain id is kept");
    const hostile = await request(`${h.url}/health`, {
      headers: { "x-request-id": 'x\u00e9"}{injected' },
    });
    await hostile.body.dump();
    assert.match(
      String(hostile.headers["x-request-id"]),
      /^[0-9a-f-]{36}$/,
      "anything else is replaced",
    );
  });

  test("/ready: 200 with its checks once every role started", async () => {
    const res = await request(`${h.url}/ready`);
    const body = (await res.body.json()) as any;
    assert.equal(res.statusCode, 200, JSON.stringify(body));
    assert.equal(body.status, "ready");
    assert.deepEqual(Object.keys(body.checks).sort(), ["migrations", "roles", "store"]);
  });
});

test("HERALD_METRICS=false: nothing is counted and /metrics answers 404", async () => {
  const h = await startTestHerald({ HERALD_METRICS: "false" });
  try {
    const res = await request(`${h.url}/metrics`);
    await res.body.dump();
    assert.equal(res.statusCode, 404);
    assert.equal((await request(`${h.url}/ready`)).statusCode, 200);
  } finally {
    await h.stop();
  }
});

const url = process.env.HERALD_TEST_DATABASE_URL;
describe("/ready on PostgreSQL", { skip: url ? false : "no HERALD_TEST_DATABASE_URL" }, () => {
  test("503 while PostgreSQL is cut off, 200 again once it is back", async () => {
    const target = new URL(url!);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const proxied = new URL(url!);
    proxied.host = `127.0.0.1:${proxy.port}`;
    const schema = `herald_test_${randomBytes(6).toString("hex")}`;
    const h = await startTestHerald({
      HERALD_DATABASE_URL: proxied.toString(),
      HERALD_DATABASE_SCHEMA: schema,
      HERALD_MASTER_KEY: randomBytes(32).toString("hex"),
    });
    const ready = async () => (await request(`${h.url}/ready`)).statusCode;
    try {
      assert.equal(await ready(), 200);
      // Every connection cut, and new ones hang: the store does not answer.
      proxy.freeze({ toBroker: true, newConnections: true });
      proxy.drop();
      await eventually(async () => (await ready()) === 503, {
        timeoutMs: 30_000,
        message: "/ready says 503",
      });
      const res = await request(`${h.url}/ready`);
      const body = (await res.body.json()) as any;
      assert.equal(body.checks.store.ok, false);
      proxy.thaw();
      await eventually(async () => (await ready()) === 200, {
        timeoutMs: 60_000,
        message: "/ready says 200 again",
      });
    } finally {
      proxy.thaw();
      await h.stop();
      await proxy.close();
      const pool = new pg.Pool({ connectionString: url });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
  });
});

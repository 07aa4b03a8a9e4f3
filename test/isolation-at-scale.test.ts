// Isolation in numbers: a healthy endpoint keeps its latency beside fifty that hang, reset,
// drip, fail, redirect, throttle or refuse (HTTPS, a silent SQS endpoint, a silent RabbitMQ
// broker), with the default 15 s timeout; a healthy endpoint added beside a thousand dead ones
// gets its first delivery within a second; a 200 whose body drips is one acknowledgement.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { printingOutputOnFailure, startChildHerald } from "./helpers/child-herald.js";
import { apiClient, eventually, startTestHerald, type ApiClient } from "./helpers/herald.js";
import { closedPort, SilentServer, startNeighboursProcess } from "./helpers/neighbours.js";
import { Receiver } from "./helpers/receiver.js";

const EVENTS = 250;
const RATE_PER_S = 50;

async function addEndpoint(h: { api: ApiClient }, body: Record<string, unknown>): Promise<string> {
  const res = await h.api("POST", "/webhooks/endpoints", body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
}

/** Publishes `count` events at `RATE_PER_S`; each event's publish → receipt latency at `healthy`. */
async function latencies(
  h: { api: ApiClient },
  healthy: Receiver,
  count: number,
): Promise<number[]> {
  const answeredAt = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / RATE_PER_S - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const res = await h.api("POST", "/events", { type: "isolation.test", data: { i } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    answeredAt.set(res.body.id as string, Date.now());
  }
  const receipts = () => {
    const first = new Map<string, number>();
    for (const r of healthy.requests) {
      const id = String(r.headers["webhook-id"]);
      if (!first.has(id)) first.set(id, r.receivedAt);
    }
    return first;
  };
  await eventually(() => [...answeredAt.keys()].every((id) => receipts().has(id)), {
    timeoutMs: 30_000,
    intervalMs: 50,
    message: "the healthy endpoint got every event",
  });
  const first = receipts();
  return [...answeredAt].map(([id, at]) => Math.max(0, first.get(id)! - at));
}

test(
  "fifty misbehaving endpoints of every kind: the healthy one's p99 stays within 3x its own",
  { timeout: 240_000 },
  async () => {
    // Herald, the misbehaving receivers and this test (publisher and healthy receiver) each in
    // a process of their own, as they would be: their work does not share one event loop.
    const dataDir = mkdtempSync(join(tmpdir(), "herald-isolation-"));
    const key = "hk_isolation_key_0123456789";
    const herald = await startChildHerald({
      dataDir,
      env: { HERALD_API_KEY: key, HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8" },
    });
    const neighbours = await startNeighboursProcess(50);
    const healthy = await Receiver.start();
    const h = { api: apiClient(herald.url, key) };
    try {
      await printingOutputOnFailure(
        () => [herald],
        async () => {
          await addEndpoint(h, { url: `${healthy.url}/hook`, eventTypes: ["isolation.test"] });
          const alone = p99(await latencies(h, healthy, EVENTS));
          for (const body of neighbours.endpoints) await addEndpoint(h, body);
          // Their first attempts and the clients they open come first; then it is measured.
          for (let i = 0; i < 50; i++)
            await h.api("POST", "/events", { type: "warm.up", data: {} });
          await new Promise((r) => setTimeout(r, 2000));
          const beside = p99(await latencies(h, healthy, EVENTS));
          const bound = Math.max(3 * alone, 100);
          console.log(
            `# healthy p99 alone ${alone} ms, beside 50 misbehaving ${beside} ms (bound ${bound} ms)`,
          );
          assert.ok(beside <= bound, `p99 ${beside} ms beside them, ${alone} ms alone`);
        },
      );
    } finally {
      await herald.kill("SIGKILL");
      await neighbours.stop();
      await healthy.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test(
  "a healthy endpoint added beside a thousand dead ones gets its first delivery within a second",
  { timeout: 180_000 },
  async () => {
    const h = await startTestHerald({
      HERALD_DELIVERY_TIMEOUT_MS: "15000",
      HERALD_RETRY_SCHEDULE: "5,300,1800",
    });
    const healthy = await Receiver.start();
    const silent = await SilentServer.start();
    const refused = await closedPort();
    try {
      // 800 refuse connections, 200 accept and never answer.
      for (let i = 0; i < 1000; i++) {
        const host = i % 5 === 0 ? `127.0.0.1:${silent.port}` : `127.0.0.1:${refused}`;
        await addEndpoint(h, { url: `http://${host}/dead/${i}` });
      }
      for (let i = 0; i < 3; i++) await h.api("POST", "/events", { type: "dead.warmup", data: {} });
      await new Promise((r) => setTimeout(r, 3000));

      await addEndpoint(h, { url: `${healthy.url}/hook`, eventTypes: ["isolation.test"] });
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) {
        const sent = Date.now();
        const res = await h.api("POST", "/events", { type: "isolation.test", data: { i } });
        assert.equal(res.status, 201);
        assert.equal(res.body.deliveries, 1001);
        await eventually(
          () => healthy.requests.some((r) => r.headers["webhook-id"] === res.body.id),
          { timeoutMs: 10_000, intervalMs: 5, message: "the healthy endpoint got it" },
        );
        waits.push(Date.now() - sent);
      }
      console.log(`# beside 1,000 dead endpoints: publish → receipt ${waits.join(", ")} ms`);
      assert.ok(Math.max(...waits) < 1000, `first deliveries took ${waits.join(", ")} ms`);
    } finally {
      await h.stop();
      await healthy.close();
      await silent.close();
    }
  },
);

test(
  "a 200 whose body never ends is acknowledged once, in time",
  { timeout: 300_000 },
  async () => {
    const h = await startTestHerald({ HERALD_DELIVERY_TIMEOUT_MS: "2000" });
    const dripping = await Receiver.start(() => "drip");
    try {
      await addEndpoint(h, { url: `${dripping.url}/hook` });
      const res = await h.api("POST", "/events", { type: "drip.test", data: {} });
      const delivery = await eventually(
        async () => {
          const event = await h.api("GET", `/events/${res.body.id}`);
          const d = event.body.deliveries[0];
          return d?.status === "succeeded" ? d : null;
        },
        { timeoutMs: 10_000, intervalMs: 50, message: "the delivery succeeded" },
      );
      // Past the timeout and the first retry's time: still one request, one attempt.
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(dripping.requests.length, 1);
      const event = await h.api("GET", `/events/${res.body.id}`);
      const attempts = event.body.deliveries[0].attempts;
      assert.equal(attempts.length, 1);
      assert.equal(attempts[0].statusCode, 200);
      assert.equal(attempts[0].outcome, "succeeded");
      assert.equal(attempts[0].error, null);
      assert.match(attempts[0].responseBody, /^ok\.*/);
      assert.equal(delivery.attemptCount, 1);
    } finally {
      await h.stop();
      await dripping.close();
    }
  },
);

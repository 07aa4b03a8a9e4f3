import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { test } from "node:test";
import { eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";

// A slow or dead endpoint never delays the others: one endpoint that never answers (or resets
// every connection) next to a healthy one, both subscribed to everything; fifty misbehaving
// endpoints of every kind (HTTPS, SQS, RabbitMQ) beside a healthy one; a healthy endpoint added
// beside a thousand dead ones; and a receiver that acknowledges at once and then drips its body.

const EVENTS = 500;
const PUBLISH_CONCURRENCY = 10;
const TIMEOUT_MS = 2000;
const ENDPOINT_CONCURRENCY = 8;
// Serially, the hanging endpoint would need EVENTS / ENDPOINT_CONCURRENCY * TIMEOUT_MS = 125 s.
const HEALTHY_BOUND_MS = 10_000;

const heraldEnv = {
  HERALD_DELIVERY_TIMEOUT_MS: String(TIMEOUT_MS),
  HERALD_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
  HERALD_CONCURRENCY: "32",
};

/** Accepts requests and never answers; counts how many are open at once. */
class HangingReceiver {
  open = 0;
  maxOpen = 0;
  total = 0;
  url = "";
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req: IncomingMessage) => {
    this.total++;
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    req.resume();
    // The request is open until Herald gives up on it and hangs up. Its FIN ("end") arrives
    // before Herald can start the next attempt; "close" can lag behind that next request.
    let closed = false;
    const hungUp = () => {
      if (!closed) this.open--;
      closed = true;
    };
    req.socket.once("end", hungUp);
    req.socket.once("close", hungUp);
  });

  static async start(): Promise<HangingReceiver> {
    const receiver = new HangingReceiver();
    receiver.server.on("connection", (socket) => {
      receiver.sockets.add(socket);
      socket.on("close", () => receiver.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    return receiver;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function addEndpoint(h: TestHerald, url: string): Promise<string> {
  const res = await h.api("POST", "/webhooks/endpoints", { url: url + "/hook" });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** Publishes EVENTS events; returns when each publish was answered, by event id. */
async function publishAll(h: TestHerald, endpoints = 2): Promise<Map<string, number>> {
  const answeredAt = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: PUBLISH_CONCURRENCY }, async () => {
      while (next < EVENTS) {
        const seq = next++;
        const res = await h.api("POST", "/events", { type: "isolation.test", data: { seq } });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.deliveries, endpoints, "fans out to every endpoint");
        answeredAt.set(res.body.id as string, Date.now());
      }
    }),
  );
  return answeredAt;
}

/** Waits for the healthy receiver to get every event and describes how it went. */
async function measureHealthy(
  healthy: Receiver,
  answeredAt: Map<string, number>,
  startedAt: number,
) {
  await eventually(
    () => {
      const seen = new Set(healthy.requests.map((r) => String(r.headers["webhook-id"])));
      return [...answeredAt.keys()].every((id) => seen.has(id));
    },
    {
      timeoutMs: HEALTHY_BOUND_MS - (Date.now() - startedAt),
      intervalMs: 20,
      message: "healthy got every event",
    },
  );
  const firstReceipt = new Map<string, number>();
  for (const req of healthy.requests) {
    const id = String(req.headers["webhook-id"]);
    if (!firstReceipt.has(id)) firstReceipt.set(id, req.receivedAt);
  }
  // A delivery can beat the publish response to this process; that counts as 0 ms.
  const latencies = [...answeredAt]
    .map(([id, at]) => Math.max(0, (firstReceipt.get(id) ?? Infinity) - at))
    .sort((a, b) => a - b);
  const lastReceipt = Math.max(...firstReceipt.values());
  return {
    received: [...answeredAt.keys()].filter((id) => firstReceipt.has(id)).length,
    allWithinMs: lastReceipt - startedAt,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

test(
  "an endpoint that never answers does not delay a healthy one, and holds at most 8 requests",
  { timeout: 300_000 },
  async () => {
    const h = await startTestHerald(heraldEnv);
    const healthy = await Receiver.start();
    const hanging = await HangingReceiver.start();
    try {
      const hangingId = await addEndpoint(h, hanging.url);
      await addEndpoint(h, healthy.url);
      const startedAt = Date.now();
      const answeredAt = await publishAll(h);
      const result = await measureHealthy(healthy, answeredAt, startedAt);
      const publishedIn = Math.max(...answeredAt.values()) - startedAt;

      // Let the hanging endpoint's first attempts run into the timeout, and look at one.
      const firstId = [...answeredAt.keys()][0]!;
      const attempt = await eventually(
        async () => {
          const res = await h.api("GET", `/events/${firstId}`);
          const delivery = res.body.deliveries.find((d: any) => d.endpointId === hangingId);
          return delivery?.attempts?.[0];
        },
        { timeoutMs: TIMEOUT_MS + 8000, intervalMs: 100, message: "a timed-out attempt" },
      );
      console.log(
        `hang: healthy received=${result.received}/${EVENTS} all within ${result.allWithinMs} ms` +
          ` (published in ${publishedIn} ms), latency p50=${result.p50} ms p99=${result.p99} ms;` +
          ` hanging endpoint: max open at once=${hanging.maxOpen}, requests=${hanging.total}`,
      );
      assert.equal(result.received, EVENTS);
      assert.ok(result.allWithinMs < HEALTHY_BOUND_MS, `healthy done in ${result.allWithinMs} ms`);
      assert.ok(hanging.total > 0, "the hanging endpoint was tried");
      assert.ok(
        hanging.maxOpen <= ENDPOINT_CONCURRENCY,
        `hanging endpoint had ${hanging.maxOpen} requests open at once`,
      );
      assert.equal(attempt.outcome, "failed");
      assert.equal(attempt.statusCode, null);
      assert.match(String(attempt.error), /timed out/);
    } finally {
      await h.stop();
      await healthy.close();
      await hanging.close();
    }
  },
);

test(
  "an endpoint that resets every connection does not delay a healthy one",
  { timeout: 300_000 },
  async () => {
    const h = await startTestHerald(heraldEnv);
    const healthy = await Receiver.start();
    const resetting = await Receiver.start(() => "reset");
    try {
      const resettingId = await addEndpoint(h, resetting.url);
      await addEndpoint(h, healthy.url);
      const startedAt = Date.now();
      const answeredAt = await publishAll(h);
      const result = await measureHealthy(healthy, answeredAt, startedAt);
      console.log(
        `reset: healthy received=${result.received}/${EVENTS} all within ${result.allWithinMs} ms,` +
          ` latency p50=${result.p50} ms p99=${result.p99} ms;` +
          ` resetting endpoint: requests=${resetting.requests.length}`,
      );
      assert.equal(result.received, EVENTS);
      assert.ok(result.allWithinMs < HEALTHY_BOUND_MS, `healthy done in ${result.allWithinMs} ms`);
      assert.ok(resetting.requests.length > 0, "the resetting endpoint was tried");

      const firstId = [...answeredAt.keys()][0]!;
      const attempt = await eventually(
        async () => {
          const res = await h.api("GET", `/events/${firstId}`);
          const delivery = res.body.deliveries.find((d: any) => d.endpointId === resettingId);
          return delivery?.attempts?.[0];
        },
        { timeoutMs: 10_000, intervalMs: 100, message: "a failed attempt" },
      );
      assert.equal(attempt.outcome, "failed");
      assert.equal(attempt.statusCode, null);
      assert.ok(attempt.error, "the attempt records the connection error");
    } finally {
      await h.stop();
      await healthy.close();
      await resetting.close();
    }
  },
);

test("baseline: the healthy endpoint alone, same settings", { timeout: 300_000 }, async () => {
  const h = await startTestHerald(heraldEnv);
  const healthy = await Receiver.start();
  try {
    await addEndpoint(h, healthy.url);
    const startedAt = Date.now();
    const answeredAt = await publishAll(h, 1);
    const result = await measureHealthy(healthy, answeredAt, startedAt);
    console.log(
      `alone: healthy received=${result.received}/${EVENTS} all within ${result.allWithinMs} ms,` +
        ` latency p50=${result.p50} ms p99=${result.p99} ms`,
    );
    assert.equal(result.received, EVENTS);
  } finally {
    await h.stop();
    await healthy.close();
  }
});

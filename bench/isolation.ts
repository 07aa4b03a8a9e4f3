// The isolation phase: a healthy endpoint's latency alone, then beside 50 endpoints that hang,
// reset, drip, fail, redirect, throttle or refuse (HTTPS, a silent SQS endpoint, a silent
// RabbitMQ broker: the isolation tests' neighbours, in a process of their own); then, on a fresh
// Herald, how long a healthy endpoint added beside 1,000 dead ones waits for its first delivery.
// Herald runs with its default delivery settings (15 s timeout, default retry schedule).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { closedPort, SilentServer, startNeighboursProcess } from "../test/helpers/neighbours.js";
import { startCluster, type Cluster } from "./cluster.js";
import { measured, type CpuUsage } from "./cpu.js";
import { heraldApi, type HeraldApi } from "./phases.js";
import { bar } from "./progress.js";
import { summarize } from "./stats.js";

export interface IsolationOptions {
  apiKey: string;
  /** Misbehaving endpoints beside the healthy one. */
  neighbours: number;
  /** Dead endpoints (4 in 5 refuse connections, 1 in 5 accept and never answer). */
  dead: number;
  /** Events to the healthy endpoint per latency measurement, paced at `rate` per second. */
  events: number;
  rate: number;
}

/**
 * A healthy endpoint's delivery latency, from the publish's answer (the event accepted) to the
 * receipt: what the bound is about; and, beside it, from the publish request to the receipt
 * (the publish's own time included).
 */
export type Latency = ReturnType<typeof summarize> & {
  fromRequest: ReturnType<typeof summarize>;
  cpu: CpuUsage | null;
};

export interface IsolationResult {
  neighbours: number;
  events: number;
  rate: number;
  alone: Latency;
  beside: Latency;
  dead: { endpoints: number; firstDeliveries: number[]; cpu: CpuUsage | null };
}

const HEALTHY_TYPE = "isolation.bench";

/** Records when each webhook (by its webhook-id) first reached it. */
class HealthyReceiver {
  readonly firstSeen = new Map<string, number>();
  private waiter: { ids: Set<string>; resolve: () => void } | null = null;
  private readonly server: Server = createServer((req, res) => {
    const id = String(req.headers["webhook-id"]);
    if (!this.firstSeen.has(id)) this.firstSeen.set(id, performance.now());
    req.resume();
    req.on("end", () => res.writeHead(200).end());
    if (this.waiter && [...this.waiter.ids].every((i) => this.firstSeen.has(i))) {
      this.waiter.resolve();
      this.waiter = null;
    }
  });
  url = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/healthy`;
  }

  /** Resolves once every id has arrived; rejects after `timeoutMs`. */
  waitFor(ids: string[], timeoutMs: number): Promise<void> {
    if (ids.every((id) => this.firstSeen.has(id))) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the healthy endpoint did not get every event in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiter = {
        ids: new Set(ids),
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `events` publishes at `rate`/s; each one's latency from its request to the healthy receipt. */
async function healthyLatency(
  api: HeraldApi,
  healthy: HealthyReceiver,
  opts: IsolationOptions,
  label: string,
): Promise<Latency> {
  const progress = bar(label, opts.events);
  const { result, cpu } = await measured(async () => {
    const times = new Map<string, { sent: number; accepted: number }>();
    const started = performance.now();
    for (let i = 0; i < opts.events; i++) {
      const wait = started + (i * 1000) / opts.rate - performance.now();
      if (wait > 0) await sleep(wait);
      const sent = performance.now();
      const { id } = (await api("POST", "/events", { type: HEALTHY_TYPE, data: { i } })) as {
        id: string;
      };
      times.set(id, { sent, accepted: performance.now() });
      progress.update(i + 1);
    }
    await healthy.waitFor([...times.keys()], 60_000);
    const at = (id: string) => healthy.firstSeen.get(id)!;
    return {
      accepted: [...times].map(([id, t]) => Math.max(0, at(id) - t.accepted)),
      sent: [...times].map(([id, t]) => at(id) - t.sent),
    };
  });
  progress.stop();
  return { ...summarize(result.accepted), fromRequest: summarize(result.sent), cpu };
}

async function withHerald<T>(opts: IsolationOptions, run: (api: HeraldApi) => Promise<T>) {
  // Herald's defaults for timeouts, retries and concurrency: the claim is about them.
  const herald: Cluster = await startCluster({ store: "sqlite" }, { apiKey: opts.apiKey });
  const agent = new Agent({ connections: 8 });
  try {
    return await run(heraldApi(agent, herald.url, opts.apiKey));
  } finally {
    await agent.close();
    await herald.stop();
  }
}

/** The healthy endpoint alone, then beside `neighbours` misbehaving ones, on one Herald. */
async function besideNeighbours(opts: IsolationOptions, healthy: HealthyReceiver) {
  return withHerald(opts, async (api) => {
    await api("POST", "/webhooks/endpoints", { url: healthy.url, eventTypes: [HEALTHY_TYPE] });
    const alone = await healthyLatency(api, healthy, opts, "isolation: healthy alone");
    const neighbours = await startNeighboursProcess(opts.neighbours);
    try {
      for (const body of neighbours.endpoints) await api("POST", "/webhooks/endpoints", body);
      // Their first attempts, and the clients they open, come before the measurement.
      for (let i = 0; i < opts.neighbours; i++)
        await api("POST", "/events", { type: "isolation.warm-up", data: { i } });
      await sleep(2000);
      const label = `isolation: beside ${opts.neighbours} misbehaving`;
      const beside = await healthyLatency(api, healthy, opts, label);
      return { alone, beside };
    } finally {
      await neighbours.stop();
    }
  });
}

/** A fresh Herald with `dead` dead endpoints and their backlog; then a healthy one is added. */
async function besideDead(opts: IsolationOptions, healthy: HealthyReceiver) {
  const silent = await SilentServer.start();
  const refused = await closedPort();
  try {
    return await withHerald(opts, async (api) => {
      const progress = bar(`isolation: ${opts.dead} dead endpoints`, opts.dead);
      for (let i = 0; i < opts.dead; i++) {
        const host = i % 5 === 0 ? `127.0.0.1:${silent.port}` : `127.0.0.1:${refused}`;
        await api("POST", "/webhooks/endpoints", { url: `http://${host}/dead/${i}` });
        if (i % 50 === 49) progress.update(i + 1);
      }
      progress.stop();
      for (let i = 0; i < 3; i++) await api("POST", "/events", { type: "dead.warm-up", data: {} });
      await sleep(3000);
      await api("POST", "/webhooks/endpoints", { url: healthy.url, eventTypes: [HEALTHY_TYPE] });
      const { result: firstDeliveries, cpu } = await measured(async () => {
        const waits: number[] = [];
        for (let i = 0; i < 5; i++) {
          const at = performance.now();
          const { id } = (await api("POST", "/events", { type: HEALTHY_TYPE, data: { i } })) as {
            id: string;
          };
          await healthy.waitFor([id], 30_000);
          waits.push(healthy.firstSeen.get(id)! - at);
        }
        return waits;
      });
      return { endpoints: opts.dead, firstDeliveries, cpu };
    });
  } finally {
    await silent.close();
  }
}

export async function measureIsolation(opts: IsolationOptions): Promise<IsolationResult> {
  const healthy = new HealthyReceiver();
  await healthy.start();
  try {
    const { alone, beside } = await besideNeighbours(opts, healthy);
    const dead = await besideDead(opts, healthy);
    return {
      neighbours: opts.neighbours,
      events: opts.events,
      rate: opts.rate,
      alone,
      beside,
      dead,
    };
  } finally {
    await healthy.close();
  }
}

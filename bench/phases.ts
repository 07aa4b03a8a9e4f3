// The two measured phases against a running Herald (any store, any number of processes) and
// the bench's receiver: throughput (publish N events as fast as the API takes them while
// Herald delivers them) and latency at half the sustained rate.
import { Agent, request } from "undici";
import { bar } from "./progress.js";
import type { BenchReceiver } from "./receiver.js";
import { fmt, runPool, sendPaced, summarize } from "./stats.js";

export interface PhaseOptions {
  /** The API's base URL (the `api` process on PostgreSQL). */
  url: string;
  apiKey: string;
  receiver: BenchReceiver;
  events: number;
  /** Endpoints each event fans out to (`${receiver.url}/ep/<i>`). */
  endpoints: number;
  /** Events per publish request (POST /events/batch); 1: POST /events. */
  batch: number;
  /** Publish requests in flight in the throughput phase. */
  publishConcurrency: number;
  latencySeconds: number;
  /** Shown before the progress bars, e.g. "PG W=2". */
  label?: string;
  /** Called as each phase starts ("throughput", "latency") and when both are over ("done"). */
  onPhase?: (phase: "throughput" | "latency" | "done") => void;
}

export interface PhaseResult {
  /** Events accepted per second, from the first publish to the last publish's reply. */
  publishRate: number;
  /** From the first publish to the last receipt. */
  deliveryRate: number;
  /** Deliveries per second the latency phase ran at (half of `deliveryRate`). */
  latencyRate: number;
  /** Events the latency phase published. */
  latencyEvents: number;
  latency: { p50: number; p99: number; max: number };
  duplicates: { throughput: number; latency: number };
}

export type HeraldApi = (
  method: "POST" | "GET" | "PATCH",
  path: string,
  body?: unknown,
) => Promise<unknown>;

export function heraldApi(agent: Agent, url: string, apiKey: string): HeraldApi {
  return async (method, path, body) => {
    const res = await request(`${url}/api/2022-06-09${path}`, {
      method,
      dispatcher: agent,
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text) as unknown;
  };
}

/** The type of the events the HTTPS phases publish. */
export const BENCH_EVENT_TYPE = "nfts.create.succeeded";

const eventsOf = (seqs: number[], type: string) => seqs.map((seq) => ({ type, data: { seq } }));

/** Publishes `seqs` the way the bench is configured: one POST /events, or one batch. */
function publish(api: HeraldApi, batch: number, seqs: number[], type = BENCH_EVENT_TYPE) {
  const events = eventsOf(seqs, type);
  return batch === 1 ? api("POST", "/events", events[0]) : api("POST", "/events/batch", { events });
}

/**
 * The throughput phase's publisher: events with `data: { seq }` for seq 0 … count-1, `batch`
 * per request (1: POST /events), `concurrency` requests in flight; resolves once all are accepted.
 */
export async function publishAll(
  api: HeraldApi,
  opts: { count: number; batch: number; concurrency: number; type?: string },
): Promise<void> {
  const { count, batch } = opts;
  await runPool(Math.ceil(count / batch), opts.concurrency, async (chunk) => {
    const seqs = Array.from(
      { length: Math.min(batch, count - chunk * batch) },
      (_, k) => chunk * batch + k,
    );
    await publish(api, batch, seqs, opts.type);
  });
}

/** Registers the endpoints, then runs the throughput phase and the latency phase. */
export async function measureDeliveries(opts: PhaseOptions): Promise<PhaseResult> {
  const { receiver, events, endpoints, batch } = opts;
  const prefix = opts.label ? `${opts.label}: ` : "";
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  const api = heraldApi(agent, opts.url, opts.apiKey);
  try {
    for (let e = 0; e < endpoints; e++) {
      await api("POST", "/webhooks/endpoints", { url: `${receiver.url}/ep/${e}` });
    }
    receiver.reset();

    // Throughput: publish as fast as the API takes them; deliveries run alongside.
    const total = events * endpoints;
    const progress = bar(`${prefix}publish + deliver`, total);
    opts.onPhase?.("throughput");
    const started = performance.now();
    const delivered = receiver.waitForCount(
      total,
      300_000,
      (n) => n % 500 === 0 && progress.update(n),
    );
    delivered.catch(() => {}); // awaited below; a publish failure must not leave it unhandled
    await publishAll(api, { count: events, batch, concurrency: opts.publishConcurrency });
    const publishedAt = performance.now();
    await delivered;
    const finished = performance.now();
    progress.update(total);
    progress.stop();
    const publishRate = events / ((publishedAt - started) / 1000);
    const deliveryRate = total / ((finished - started) / 1000);
    const throughputDuplicates = receiver.duplicates;

    // Latency at half the sustained rate: paced publishes, publish-to-receipt per delivery.
    receiver.reset();
    opts.onPhase?.("latency");
    const rate = deliveryRate / 2 / endpoints;
    const latencyEvents = Math.max(100, Math.round(rate * opts.latencySeconds));
    const pace = bar(`${prefix}latency @ ${fmt(rate)} ev/s`, latencyEvents);
    // Published the way the throughput phase published: single events, or a batch every 10 ms.
    const perTick = batch === 1 ? 1 : Math.max(1, Math.round(rate / 100));
    const sentAt = await sendPaced(latencyEvents, rate, perTick, (seqs, first) => {
      if (first % 100 < perTick) pace.update(first);
      return publish(api, batch, seqs);
    });
    await receiver.waitForCount(latencyEvents * endpoints, 120_000);
    opts.onPhase?.("done");
    pace.update(latencyEvents);
    pace.stop();
    const latencies = [...receiver.arrivals].map(
      ([key, at]) => at - sentAt.get(Math.floor(key / 1000))!,
    );
    return {
      publishRate,
      deliveryRate,
      latencyRate: rate * endpoints,
      latencyEvents,
      latency: summarize(latencies),
      duplicates: { throughput: throughputDuplicates, latency: receiver.duplicates },
    };
  } finally {
    await agent.close();
  }
}

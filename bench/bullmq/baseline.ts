// The baseline a TypeScript team would build instead of Herald: a BullMQ queue on Redis and a
// worker that POSTs each event's body, signed like Herald signs it, to the endpoint.
//
// Durability: the Redis this bench runs against keeps nothing on disk (`--save ""
// --appendonly no`), so the baseline is measured WITHOUT durable storage, which favours it.
// Production BullMQ that must not lose an acknowledged enqueue needs AOF with fsync
// (`appendonly yes`, `appendfsync everysec` loses up to ~1 s, `always` loses nothing but fsyncs
// every write). The result reports what the Redis it ran against actually had (`redis`).
//
// The Redis driver: BullMQ 6 loads `ioredis` (an optional peer dependency, which package.json
// must list beside bullmq) when given connection options, as here.
import { Queue, Worker, type Job } from "bullmq";
import { Agent, request } from "undici";
import {
  buildEnvelope,
  generateSecret,
  newId,
  secretKeyBytes,
  signatureHeader,
} from "../src/index.js";
import type { BenchReceiver } from "./receiver.js";
import { runPool, summarize } from "./stats.js";

/** Where the deliveries are counted: at the receiver, by event (one webhook-id per seq). */
export interface Receipts {
  reset(): void | Promise<void>;
  /** Resolves once `count` distinct events have arrived since the last reset. */
  waitForDistinct(count: number, timeoutMs: number): Promise<void>;
  /** Receipts of an event that had already arrived, since the last reset. */
  duplicates(): number | Promise<number>;
  /** seq → arrival time (`performance.timeOrigin + performance.now()`, ms), since the last reset. */
  arrivalTimes(): Map<number, number> | Promise<Map<number, number>>;
}

/** Receipts counted by bench/receiver.ts's receiver in this process. */
export function receiptsOf(receiver: BenchReceiver): Receipts {
  return {
    reset: () => receiver.reset(),
    waitForDistinct: (count, timeoutMs) => waitForDistinct(receiver, count, timeoutMs),
    duplicates: () => receiver.duplicates,
    arrivalTimes: () => {
      // The receiver keys arrivals by `seq * 1000 + endpoint index` and stamps performance.now().
      const times = new Map<number, number>();
      for (const [key, at] of receiver.arrivals) {
        times.set(Math.floor(key / 1000), performance.timeOrigin + at);
      }
      return times;
    },
  };
}

/** The receiver's `count` includes duplicates; wait until `count` distinct keys are in. */
export async function waitForDistinct(
  receiver: BenchReceiver,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (receiver.arrivals.size < count) {
    const missing = count - receiver.arrivals.size;
    await receiver.waitForCount(
      receiver.count + missing,
      Math.max(0, deadline - performance.now()),
    );
  }
}

export interface BullmqBaselineOptions {
  /** Events to enqueue, one job (one delivery) each. */
  events: number;
  /** The endpoint the worker POSTs to, e.g. `${receiver.url}/ep/0`. */
  receiverUrl: string;
  /** The worker's concurrency (Herald's bench: 64 towards one endpoint). */
  concurrency: number;
  /** Counts the deliveries at the receiver; see `receiptsOf`. */
  receipts: Receipts;
  /** Default `redis://127.0.0.1:6379`. */
  redisUrl?: string;
  /** Pad each body to at least this many bytes; default: the size Herald's bench publishes. */
  payloadBytes?: number;
  /** Jobs per `addBulk` (Herald's bench publishes batches of 50). */
  batch?: number;
  /** `addBulk` calls in flight (Herald's bench: 8 publish requests in flight). */
  publishConcurrency?: number;
  /** Completed jobs kept for inspection (`removeOnComplete: { count }`); 0: remove at once. */
  keepCompleted?: number;
  /** Length of a latency phase at half the measured rate; 0 (default): none. */
  latencySeconds?: number;
  /** Headers and body timeout of each POST. */
  requestTimeoutMs?: number;
  /** How long to wait for every delivery of a phase. */
  timeoutMs?: number;
}

export interface RedisDurability {
  version: string;
  /** CONFIG GET save: "" means no RDB snapshots; null when CONFIG is not allowed. */
  save: string | null;
  appendonly: string | null;
  appendfsync: string | null;
  /** Whether an acknowledged enqueue survives a Redis crash (AOF with fsync always). */
  durable: boolean;
}

export interface BullmqBaselineResult {
  events: number;
  bodyBytes: number;
  /** Jobs enqueued per second, from the first `addBulk` to the last one's reply. */
  enqueueRate: number;
  /** From the first enqueue to the last distinct receipt at the receiver. */
  deliveriesPerSecond: number;
  /** Enqueue → receipt, in the latency phase (half the measured rate); absent without one. */
  p50?: number;
  p99?: number;
  max?: number;
  latencyRate?: number;
  latencyEvents?: number;
  /** Receipts of an already-received event (throughput phase + latency phase). */
  duplicates: number;
  /** Jobs in BullMQ's failed set at the end (attempts exhausted). */
  failed: number;
  /** Attempts that threw (non-2xx, network error); each one is retried after the backoff. */
  failedAttempts: number;
  redis: RedisDurability;
  note: string;
}

const EVENT_TYPE = "nfts.create.succeeded";
const USER_AGENT = "BullMQ-Webhooks-Baseline/0.1";

/** What the team's queue holds per delivery: the endpoint, the event id, the signed body. */
interface WebhookJob {
  url: string;
  eventId: string;
  body: string;
}

/**
 * Standard Webhooks v1 headers, made exactly as Herald's dispatcher makes them
 * (src/dispatcher/attempt.ts): the signature is over `${id}.${timestamp}.${body}`, the
 * timestamp is the attempt's, in seconds.
 */
export function signedHeaders(
  key: Buffer,
  id: string,
  body: string,
  nowMs: number,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatureHeader([key], id, timestamp, body),
  };
}

/** The JSON body Herald sends for one of its bench's events (`data: { seq }`), padded if asked. */
export function eventBody(seq: number, payloadBytes = 0): { id: string; body: string } {
  const id = newId();
  const envelope = (data: unknown) =>
    buildEnvelope({ id, type: EVENT_TYPE, data, timestamp: Date.now() });
  let body = envelope({ seq });
  if (body.length < payloadBytes) {
    const bare = envelope({ seq, pad: "" });
    body = envelope({ seq, pad: "x".repeat(Math.max(0, payloadBytes - bare.length)) });
  }
  return { id, body };
}

async function redisDurability(queue: Queue): Promise<RedisDurability> {
  const client = await queue.getBackend().client;
  const info = await client.info();
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
  const config = async (name: string): Promise<string | null> => {
    try {
      const reply = (await client.runCommand("config", ["GET", name])) as string[];
      return reply[1] ?? null;
    } catch {
      return null; // managed Redis often disables CONFIG
    }
  };
  const [save, appendonly, appendfsync] = await Promise.all([
    config("save"),
    config("appendonly"),
    config("appendfsync"),
  ]);
  return {
    version,
    save,
    appendonly,
    appendfsync,
    durable: appendonly === "yes" && appendfsync === "always",
  };
}

function durabilityNote(redis: RedisDurability): string {
  if (redis.durable) return "Redis with AOF, appendfsync always: durable enqueues";
  if (redis.appendonly === "yes") {
    return `Redis with AOF, appendfsync ${redis.appendfsync}: a crash can lose the last writes`;
  }
  const rdb = redis.save ? `RDB snapshots "${redis.save}" only` : "nothing on disk";
  return (
    `measured WITHOUT durable storage (Redis: ${rdb}; appendonly ${redis.appendonly ?? "?"}), ` +
    "which favours the baseline; production BullMQ needs AOF with fsync"
  );
}

/**
 * Enqueues `events` jobs with `addBulk` while a worker in this process delivers them; the rate
 * runs from the first enqueue to the last distinct receipt. Then, if asked, a latency phase at
 * half that rate. The queue is obliterated at the end.
 */
export async function measureBullmqBaseline(
  opts: BullmqBaselineOptions,
): Promise<BullmqBaselineResult> {
  const batch = Math.max(1, opts.batch ?? 50);
  const publishConcurrency = Math.max(1, opts.publishConcurrency ?? 8);
  const requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const keepCompleted = opts.keepCompleted ?? 1000;
  const connection = { url: opts.redisUrl ?? "redis://127.0.0.1:6379" };
  const { receipts } = opts;

  // One endpoint, one secret; the team would cache the endpoint's key as Herald does.
  const key = secretKeyBytes(generateSecret());
  const agent = new Agent({ keepAliveTimeout: 30_000, connect: { timeout: 10_000 } });
  const queueName = `herald-bench-bullmq-${process.pid}-${Date.now().toString(36)}`;
  const queue = new Queue<WebhookJob>(queueName, {
    connection,
    defaultJobOptions: {
      // Herald's default schedule: 7 retries after the first attempt, ±10 % jitter.
      attempts: 8,
      backoff: { type: "exponential", delay: 5_000, jitter: 0.1 },
      removeOnComplete: keepCompleted > 0 ? { count: keepCompleted } : true,
      removeOnFail: false,
    },
  });
  let failedAttempts = 0;
  let worker: Worker<WebhookJob> | null = null;
  try {
    await queue.waitUntilReady();
    const redis = await redisDurability(queue);

    worker = new Worker<WebhookJob>(
      queueName,
      async (job: Job<WebhookJob>) => {
        const { url, eventId, body } = job.data;
        const res = await request(url, {
          method: "POST",
          dispatcher: agent,
          headers: signedHeaders(key, eventId, body, Date.now()),
          body,
          headersTimeout: requestTimeoutMs,
          bodyTimeout: requestTimeoutMs,
        });
        if (res.statusCode < 200 || res.statusCode >= 300) {
          const text = await res.body.text();
          throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
        }
        await res.body.dump();
      },
      { connection, concurrency: opts.concurrency },
    );
    worker.on("failed", () => failedAttempts++);
    worker.on("error", (error) => console.error(`bullmq worker: ${error.message}`));
    await worker.waitUntilReady();

    const jobOf = (seq: number) => {
      const { id, body } = eventBody(seq, opts.payloadBytes);
      return { name: EVENT_TYPE, data: { url: opts.receiverUrl, eventId: id, body } };
    };
    const bodyBytes = Buffer.byteLength(jobOf(0).data.body);

    // Throughput: enqueue as fast as Redis takes them; the worker delivers alongside.
    await receipts.reset();
    const started = performance.now();
    const delivered = receipts.waitForDistinct(opts.events, timeoutMs);
    delivered.catch(() => {}); // awaited below; rejections before then are not unhandled
    await runPool(Math.ceil(opts.events / batch), publishConcurrency, async (chunk) => {
      const first = chunk * batch;
      const count = Math.min(batch, opts.events - first);
      await queue.addBulk(Array.from({ length: count }, (_, k) => jobOf(first + k)));
    });
    const enqueuedAt = performance.now();
    await delivered;
    const finished = performance.now();
    const deliveriesPerSecond = opts.events / ((finished - started) / 1000);
    let duplicates = await receipts.duplicates();

    const result: BullmqBaselineResult = {
      events: opts.events,
      bodyBytes,
      enqueueRate: opts.events / ((enqueuedAt - started) / 1000),
      deliveriesPerSecond,
      duplicates,
      failed: 0,
      failedAttempts: 0,
      redis,
      note: durabilityNote(redis),
    };

    // Latency at half the sustained rate, enqueued the way bench/run.ts publishes: a batch
    // every 10 ms.
    const latencySeconds = opts.latencySeconds ?? 0;
    if (latencySeconds > 0) {
      await receipts.reset();
      const rate = deliveriesPerSecond / 2;
      const latencyEvents = Math.max(100, Math.round(rate * latencySeconds));
      const perTick = Math.max(1, Math.round(rate / 100));
      const sentAt = new Map<number, number>();
      const latencyStart = performance.now();
      const inFlight: Promise<unknown>[] = [];
      for (let first = 0; first < latencyEvents; first += perTick) {
        const due = latencyStart + (first / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const seqs = Array.from(
          { length: Math.min(perTick, latencyEvents - first) },
          (_, k) => 1_000_000 + first + k,
        );
        const now = performance.timeOrigin + performance.now();
        for (const seq of seqs) sentAt.set(seq, now);
        inFlight.push(queue.addBulk(seqs.map(jobOf)));
      }
      await Promise.all(inFlight);
      await receipts.waitForDistinct(latencyEvents, timeoutMs);
      const latencies = [...(await receipts.arrivalTimes())].map(
        ([seq, at]) => at - sentAt.get(seq)!,
      );
      const latency = summarize(latencies);
      duplicates += await receipts.duplicates();
      Object.assign(result, {
        p50: latency.p50,
        p99: latency.p99,
        max: latency.max,
        latencyRate: rate,
        latencyEvents,
        duplicates,
      });
    }

    result.failed = await queue.getFailedCount();
    result.failedAttempts = failedAttempts;
    return result;
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await agent.close();
  }
}

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
  DEFAULT_RETRY_SCHEDULE,
  generateSecret,
  RETRY_JITTER,
  secretKeyBytes,
} from "../../src/index.js";
import { runPool, sendPaced, summarize } from "../stats.js";
import type { Receipts } from "./receipts.js";
import { durabilityNote, redisDurability, type RedisDurability } from "./redis.js";
import { EVENT_TYPE, eventBody, signedHeaders } from "./webhook.js";

export interface BullmqBaselineOptions {
  /** Events to enqueue, one job (one delivery) each. */
  events: number;
  /** The endpoint the worker POSTs to, e.g. `${receiver.url}/ep/0`. */
  receiverUrl: string;
  /** The worker's concurrency (Herald's bench: 64 towards one endpoint). */
  concurrency: number;
  /** Counts the deliveries at the receiver (receipts.ts). */
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

/** What the team's queue holds per delivery: the endpoint, the event id, the signed body. */
interface WebhookJob {
  url: string;
  eventId: string;
  body: string;
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
      // Herald's default schedule: as many retries (7), the same first wait (5 s) and jitter.
      attempts: DEFAULT_RETRY_SCHEDULE.length + 1,
      backoff: {
        type: "exponential",
        delay: DEFAULT_RETRY_SCHEDULE[0]! * 1000,
        jitter: RETRY_JITTER,
      },
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
      const sentAt = await sendPaced(latencyEvents, rate, perTick, (seqs) =>
        queue.addBulk(seqs.map(jobOf)),
      );
      await receipts.waitForDistinct(latencyEvents, timeoutMs);
      // Arrivals are stamped in the receiver's process: times since the epoch, not since start.
      const latencies = [...(await receipts.arrivalTimes())].map(
        ([seq, at]) => at - (performance.timeOrigin + sentAt.get(seq)!),
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

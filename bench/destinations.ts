// Herald's deliveries/s to the queue destinations, each beside its own ceiling measured in the
// same run: Amazon SQS (local-aws-sqs, started in this process) and RabbitMQ (the local broker).
//
// On the Herald of the HTTPS measurement (its HTTPS endpoints disabled meanwhile, enabled again
// afterwards), one fresh endpoint per destination subscribed to its own event type only; the
// events are published as the throughput phase publishes them (phases.ts's publisher), and the
// rate runs from the first publish to the last arrival, counted by distinct event id:
//   SQS: several receivers in this process (ReceiveMessage of 10, DeleteMessageBatch), by the
//        `webhook-id` message attribute; the same SQS message id seen again is a redelivery.
//   RabbitMQ: a consumer of a durable queue bound with `#` to a fresh exchange (persistent
//        messages are written before the broker confirms them), by `messageId`.
// The ceiling: this process sending the same number of messages itself, as Herald sends them
// (the same SQS messages in full SendMessageBatch calls of 10, the same AMQP properties; 64
// messages in flight), counted the same way,
// just before and just after Herald's run; the better of the two counts.
// It sends from a worker thread: local-aws-sqs and the receivers run on this process's event
// loop, and a sender on that loop too would slow them down (Herald is a process of its own).
import { once } from "node:events";
import { Agent as HttpAgent } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type SendMessageBatchRequestEntry,
} from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import amqp from "amqplib";
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from "amqplib";
import { createSqsServer } from "local-aws-sqs";
import { Agent } from "undici";
import {
  amqpPublishOptions,
  buildEnvelope,
  generateSecret,
  newId,
  secretKeyBytes,
  signatureHeader,
  sqsBatchEntry,
  sqsSendMessageInput,
  SQS_BATCH_MAX_ENTRIES,
  webhookHeaders,
  type AmqpPublishOptions,
  type OutboundMessage,
  type SqsSettings,
} from "../src/index.js";
import { CpuWindow, type CpuUsage } from "./cpu.js";
import { heraldApi, publishAll, type HeraldApi } from "./phases.js";
import { bar } from "./progress.js";
import { runPool } from "./stats.js";

export interface DestinationOptions {
  /** The API's base URL of the Herald measured (the SQLite one of the run). */
  url: string;
  apiKey: string;
  /** Events published per destination (each goes to one endpoint). */
  events: number;
  batch: number;
  publishConcurrency: number;
  /** Messages in flight to one endpoint: Herald's endpoint concurrency, and the ceiling's. */
  concurrency: number;
  amqpUrl: string;
  /** Shown before the progress bars, e.g. "SQLite". */
  label?: string;
}

/** One timed run: N messages from the first send (or publish) to the last distinct arrival. */
export interface DestinationRun {
  count: number;
  perSecond: number;
  /** Herald: events accepted by the API per second; the ceiling: messages accepted per second. */
  sendRate: number;
  /** The same event id again in another message (a second send). */
  duplicates: number;
  /** The same message handed out again by the queue (not a second send). */
  redeliveries: number;
  /**
   * How busy this process's main event loop was (0-1): where local-aws-sqs and the receivers
   * (or the AMQP consumer) run; near 1, they bound the rate.
   */
  loopBusy: number;
  cpu: CpuUsage | null;
}

export interface DestinationMeasurement {
  kind: "sqs" | "amqp";
  /** "SQS (local-aws-sqs)", "RabbitMQ 3.13.1". */
  name: string;
  /** What the ceiling is, in a few words: "direct SendMessage". */
  ceilingName: string;
  herald: DestinationRun | null;
  /** The better of the direct runs, measured just before and just after Herald's. */
  ceiling: DestinationRun | null;
  /** msg/s of each direct run, before and after Herald's (how steady the machine was). */
  ceilingRates: number[];
  /** Why it was not measured (e.g. no broker), or null. */
  skipped: string | null;
}

export interface DestinationsResult {
  events: number;
  concurrency: number;
  /** HTTPS endpoints disabled during these runs (and enabled again afterwards). */
  pausedEndpoints: number;
  measurements: DestinationMeasurement[];
  /** Herald's CPU per delivery (µs) in the HTTPS throughput phase of the same Herald, if known. */
  httpsMicrosPerDelivery?: number | null;
}

const SQS_EVENT_TYPE = "bench.sqs.delivered";
const AMQP_EVENT_TYPE = "bench.amqp.delivered";
const SQS_REGION = "us-east-1";
const SQS_ACCOUNT = "123456789012";
/** local-aws-sqs checks no credentials; any values work. */
const SQS_CREDENTIALS = { accessKeyId: "AKIAHERALDBENCH00001", secretAccessKey: "bench" };
const SQS_RECEIVERS = 8;
/** Sockets per client, as Herald's SQS client (src/destinations/sqs/sqs-destination.ts). */
const HERALD_SQS_SOCKETS = 50;
const ARRIVAL_TIMEOUT_MS = 300_000;

const uniqueSuffix = () => `${process.pid}-${Date.now().toString(36)}`;

/** Distinct event ids seen since construction, and when the last new one arrived. */
class Arrivals {
  readonly ids = new Set<string>();
  duplicates = 0;
  redeliveries = 0;
  lastAt = 0;
  private onArrival: (() => void) | null = null;

  add(eventId: string | undefined, redelivered: boolean): void {
    if (redelivered) this.redeliveries++;
    else if (eventId === undefined) return;
    else if (this.ids.has(eventId)) this.duplicates++;
    else {
      this.ids.add(eventId);
      this.lastAt = performance.now();
    }
    this.onArrival?.();
  }

  waitFor(count: number, timeoutMs: number, onProgress: (n: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.onArrival = null;
        reject(new Error(`received ${this.ids.size} of ${count} events within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        onProgress(this.ids.size);
        if (this.ids.size < count) return;
        clearTimeout(timer);
        this.onArrival = null;
        resolve();
      };
      this.onArrival = check;
      check();
    });
  }
}

/** Sends with `send`, waits for `count` distinct arrivals; the CPU of that window on the side. */
async function timed(
  label: string,
  count: number,
  arrivals: Arrivals,
  send: () => Promise<void>,
): Promise<DestinationRun> {
  const progress = bar(label, count);
  const cpu = new CpuWindow();
  cpu.start();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  const arrived = arrivals.waitFor(count, ARRIVAL_TIMEOUT_MS, (n) => {
    if (n % 500 === 0) progress.update(n);
  });
  arrived.catch(() => {}); // awaited below; a send failure must not leave it unhandled
  try {
    await send();
    const sentAt = performance.now();
    await arrived;
    cpu.stop();
    const loopBusy = performance.eventLoopUtilization(loop).utilization;
    progress.update(count);
    return {
      count,
      perSecond: count / ((arrivals.lastAt - started) / 1000),
      sendRate: count / ((sentAt - started) / 1000),
      duplicates: arrivals.duplicates,
      redeliveries: arrivals.redeliveries,
      loopBusy,
      cpu: cpu.usage(),
    };
  } finally {
    progress.stop();
  }
}

/** `count` messages as Herald would hand them to a destination: signed envelopes of `type`. */
function outboundMessages(type: string, count: number): OutboundMessage[] {
  const key = secretKeyBytes(generateSecret());
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, seq) => {
    const eventId = newId();
    const body = buildEnvelope({ id: eventId, type, data: { seq }, timestamp: Date.now() });
    const signature = signatureHeader([key], eventId, timestamp, body);
    return {
      eventId,
      eventType: type,
      attempt: 1,
      endpointId: "ep_bench_direct",
      collectionId: null,
      body,
      headers: webhookHeaders({ eventId, eventType: type, attempt: 1, timestamp, signature }),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The ceilings' sender, in a worker thread

type SenderJob = { count: number; concurrency: number } & (
  | { kind: "sqs"; endpoint: string; queueUrl: string }
  | { kind: "amqp"; url: string; exchange: string }
);

/**
 * A client as Herald's SQS destination builds one (src/destinations/sqs/sqs-destination.ts); the
 * receivers' skips the MD5 checks of what it receives (`md5: false`), to keep the harness light.
 */
function sqsClient(
  endpoint: string,
  sockets: number,
  maxAttempts: number,
  md5Checks = true,
): SQSClient {
  return new SQSClient({
    region: SQS_REGION,
    endpoint,
    credentials: { ...SQS_CREDENTIALS },
    maxAttempts,
    retryMode: "standard",
    ...(md5Checks ? {} : { md5: false as const }),
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: sockets }),
    }),
  });
}

function confirmedPublish(
  channel: ConfirmChannel,
  exchange: string,
  message: { body: Buffer; options: AmqpPublishOptions },
): Promise<void> {
  return new Promise((resolve, reject) =>
    channel.publish(exchange, AMQP_EVENT_TYPE, message.body, message.options, (error: unknown) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
    ),
  );
}

/** The worker's side: prepares every message, says "ready", sends on "go", says "sent". */
async function runSender(job: SenderJob): Promise<void> {
  const port = parentPort!;
  let send: (i: number) => Promise<void>;
  let close: () => Promise<void>;
  let calls = job.count;
  let callConcurrency = job.concurrency;
  if (job.kind === "sqs") {
    const client = sqsClient(job.endpoint, HERALD_SQS_SOCKETS, 3);
    const settings: SqsSettings = {
      queueUrl: job.queueUrl,
      region: SQS_REGION,
      endpoint: job.endpoint,
      ...SQS_CREDENTIALS,
    };
    const inputs = outboundMessages(SQS_EVENT_TYPE, job.count).map((m) =>
      sqsSendMessageInput(settings, m),
    );
    // The fastest plain client: full batches of 10, as many messages in flight as Herald.
    const batches: SendMessageBatchRequestEntry[][] = [];
    for (let i = 0; i < inputs.length; i += SQS_BATCH_MAX_ENTRIES) {
      const batch = inputs.slice(i, i + SQS_BATCH_MAX_ENTRIES);
      batches.push(batch.map((input, j) => sqsBatchEntry(input, j)));
    }
    send = async (i) => {
      const out = await client.send(
        new SendMessageBatchCommand({ QueueUrl: job.queueUrl, Entries: batches[i]! }),
      );
      if (out.Failed?.length) throw new Error(`SQS refused ${out.Failed.length} messages`);
    };
    calls = batches.length;
    callConcurrency = Math.max(1, Math.ceil(job.concurrency / SQS_BATCH_MAX_ENTRIES));
    close = async () => client.destroy();
  } else {
    const connection = await amqp.connect(job.url, {
      clientProperties: { connection_name: `herald-bench pid ${process.pid} direct publisher` },
    });
    // One confirm channel, as Herald has one per exchange.
    const channel = await connection.createConfirmChannel();
    const messages = outboundMessages(AMQP_EVENT_TYPE, job.count).map((m) => ({
      body: Buffer.from(m.body, "utf8"),
      options: amqpPublishOptions(m),
    }));
    send = (i) => confirmedPublish(channel, job.exchange, messages[i]!);
    close = () => connection.close();
  }
  port.postMessage("ready");
  await once(port, "message");
  await runPool(calls, callConcurrency, send);
  port.postMessage("sent");
  await close();
  port.close();
}

/** Runs `job` in a worker thread (with tsx, as the bench runs); resolves once all are sent. */
async function directSend(
  label: string,
  job: SenderJob,
  arrivals: Arrivals,
): Promise<DestinationRun> {
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot =
    `import(${JSON.stringify(tsx)})` +
    `.then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { heraldBenchSender: job } });
  const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
  const failed = new Promise<never>((_, reject) => {
    worker.once("error", reject);
    void exited.then((code) => reject(new Error(`the sender exited (${code}) too early`)));
  });
  failed.catch(() => {}); // raced below
  const message = (expected: string) =>
    Promise.race([
      new Promise<void>((resolve) => {
        const listener = (m: unknown) => {
          if (m !== expected) return;
          worker.off("message", listener);
          resolve();
        };
        worker.on("message", listener);
      }),
      failed,
    ]);
  let done = false;
  try {
    await message("ready");
    const run = await timed(label, job.count, arrivals, async () => {
      const sent = message("sent");
      worker.postMessage("go");
      await sent;
    });
    done = true;
    return run;
  } finally {
    // Done, it closes its connection and exits by itself; cut short, it is stopped at once.
    if (done) {
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    }
    await worker.terminate();
  }
}

if (!isMainThread) {
  const job = (workerData as { heraldBenchSender?: SenderJob } | null)?.heraldBenchSender;
  if (job) await runSender(job);
}

// ---------------------------------------------------------------------------------------------
// Through Herald

/** The ceiling: the better of the direct runs around Herald's (the machine may have been busy). */
function withCeiling(
  result: DestinationMeasurement,
  runs: DestinationRun[],
): DestinationMeasurement {
  const best = runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return { ...result, ceiling: best, ceilingRates: runs.map((r) => r.perSecond) };
}

interface HeraldSide {
  api: HeraldApi;
  options: DestinationOptions;
  prefix: string;
}

/** Creates the endpoint (only `type` goes to it), publishes the events, waits for them. */
async function throughHerald(
  side: HeraldSide,
  name: string,
  type: string,
  destination: Record<string, unknown>,
  arrivals: Arrivals,
): Promise<DestinationRun> {
  const { api, options } = side;
  const endpoint = (await api("POST", "/webhooks/endpoints", {
    destination,
    eventTypes: [type],
    description: `bench: ${name}`,
  })) as { id: string };
  try {
    return await timed(`${side.prefix}${name} publish + deliver`, options.events, arrivals, () =>
      publishAll(api, {
        count: options.events,
        batch: options.batch,
        concurrency: options.publishConcurrency,
        type,
      }),
    );
  } finally {
    await api("PATCH", `/webhooks/endpoints/${endpoint.id}`, { enabled: false });
  }
}

// ---------------------------------------------------------------------------------------------
// SQS

/** Receivers draining a queue into `arrivals` until stopped. */
function drainSqs(client: SQSClient, queueUrl: string, arrivals: Arrivals) {
  const abort = new AbortController();
  const messageIds = new Set<string>();
  const receiver = async () => {
    while (!abort.signal.aborted) {
      let messages;
      try {
        const out = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            // No long poll: local-aws-sqs answers a long poll only once it holds all 10 messages
            // (or the wait is over), which would hold the last few back for the whole wait. With
            // 0 it still waits up to 40 ms for them (checking every 10 ms), so an empty queue
            // is not asked again and again.
            WaitTimeSeconds: 0,
            MessageAttributeNames: ["webhook-id"],
          }),
          { abortSignal: abort.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (abort.signal.aborted) return;
        throw error;
      }
      for (const m of messages) {
        const redelivered = m.MessageId !== undefined && messageIds.has(m.MessageId);
        if (m.MessageId !== undefined) messageIds.add(m.MessageId);
        arrivals.add(m.MessageAttributes?.["webhook-id"]?.StringValue, redelivered);
      }
      if (messages.length === 0) continue;
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
  };
  const running = Promise.all(Array.from({ length: SQS_RECEIVERS }, receiver));
  running.catch(() => {}); // awaited in stop()
  return {
    async stop() {
      abort.abort();
      await running;
    },
  };
}

async function measureSqs(side: HeraldSide): Promise<DestinationMeasurement> {
  const { options, prefix } = side;
  const result: DestinationMeasurement = {
    kind: "sqs",
    name: "SQS (local-aws-sqs)",
    ceilingName: "direct SendMessageBatch",
    herald: null,
    ceiling: null,
    ceilingRates: [],
    skipped: null,
  };
  const server: Server = await createSqsServer({
    port: 0,
    hostname: "127.0.0.1",
    region: SQS_REGION,
    accountId: SQS_ACCOUNT,
    emulateQueueCreationLifecycle: false,
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The receivers' and their deletes'.
  const consumer = sqsClient(endpoint, SQS_RECEIVERS * 2, 1, false);
  const queues: string[] = [];
  const createQueue = async (tag: string) => {
    const out = await consumer.send(
      new CreateQueueCommand({ QueueName: `herald-bench-${tag}-${uniqueSuffix()}` }),
    );
    queues.push(out.QueueUrl!);
    return out.QueueUrl!;
  };
  const run = async (
    queueUrl: string,
    measure: (arrivals: Arrivals) => Promise<DestinationRun>,
  ) => {
    const arrivals = new Arrivals();
    const drain = drainSqs(consumer, queueUrl, arrivals);
    try {
      return await measure(arrivals);
    } finally {
      await drain.stop();
    }
  };
  try {
    const direct = async (when: string) => {
      const queueUrl = await createQueue(`direct-${when}`);
      const job: SenderJob = {
        kind: "sqs",
        endpoint,
        queueUrl,
        count: options.events,
        concurrency: options.concurrency,
      };
      return run(queueUrl, (arrivals) =>
        directSend(`${prefix}SQS direct SendMessageBatch (${when})`, job, arrivals),
      );
    };
    const before = await direct("before");
    const heraldQueue = await createQueue("herald");
    result.herald = await run(heraldQueue, (arrivals) =>
      throughHerald(
        side,
        "SQS",
        SQS_EVENT_TYPE,
        { type: "sqs", queueUrl: heraldQueue, region: SQS_REGION, endpoint, ...SQS_CREDENTIALS },
        arrivals,
      ),
    );
    return withCeiling(result, [before, await direct("after")]);
  } finally {
    for (const queueUrl of queues) {
      await consumer.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
    }
    consumer.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------
// RabbitMQ

const maskUrl = (url: string) => url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:****@");

/** A durable queue bound with `#` to a fresh durable exchange, consumed into `arrivals`. */
async function declareAndConsume(channel: Channel, tag: string, arrivals: Arrivals) {
  const suffix = uniqueSuffix();
  const exchange = `herald-bench-${tag}-${suffix}`;
  const queue = `herald-bench-${tag}-${suffix}`;
  // x-expires: the broker drops the queue even if an interrupted bench never deletes it, and
  // with it the binding, and so the exchange (autoDelete: gone once it has no bindings left).
  await channel.assertExchange(exchange, "topic", { durable: true, autoDelete: true });
  await channel.assertQueue(queue, { durable: true, arguments: { "x-expires": 600_000 } });
  await channel.bindQueue(queue, exchange, "#");
  let unacked = 0;
  const { consumerTag } = await channel.consume(
    queue,
    (message: ConsumeMessage | null) => {
      if (!message) return;
      arrivals.add(message.properties.messageId as string | undefined, message.fields.redelivered);
      // Acknowledged 100 at a time (prefetch 1000): the broker keeps delivering meanwhile.
      if (++unacked >= 100) {
        channel.ack(message, true);
        unacked = 0;
      }
    },
    { noAck: false },
  );
  return {
    exchange,
    async remove() {
      await channel.cancel(consumerTag).catch(() => undefined);
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
    },
  };
}

async function measureAmqp(side: HeraldSide): Promise<DestinationMeasurement> {
  const { options, prefix } = side;
  const result: DestinationMeasurement = {
    kind: "amqp",
    name: "RabbitMQ",
    ceilingName: "direct confirmed publish",
    herald: null,
    ceiling: null,
    ceilingRates: [],
    skipped: null,
  };
  let consumerConnection: ChannelModel;
  try {
    consumerConnection = await amqp.connect(options.amqpUrl, {
      timeout: 5_000,
      clientProperties: { connection_name: `herald-bench pid ${process.pid} consumer` },
    });
  } catch (error) {
    result.skipped = `no broker at ${maskUrl(options.amqpUrl)} (${(error as Error).message})`;
    return result;
  }
  const version = consumerConnection.connection.serverProperties?.version;
  if (version) result.name = `RabbitMQ ${version}`;
  try {
    consumerConnection.on("error", () => undefined);
    const channel = await consumerConnection.createChannel();
    await channel.prefetch(1000);
    const run = async (
      tag: string,
      measure: (exchange: string, a: Arrivals) => Promise<DestinationRun>,
    ) => {
      const arrivals = new Arrivals();
      const declared = await declareAndConsume(channel, tag, arrivals);
      try {
        return await measure(declared.exchange, arrivals);
      } finally {
        await declared.remove();
      }
    };

    // The ceiling: one confirm channel (as Herald has one per exchange), 64 unconfirmed at most.
    const direct = (when: string) =>
      run(`direct-${when}`, (exchange, arrivals) =>
        directSend(
          `${prefix}RabbitMQ direct publish (${when})`,
          {
            kind: "amqp",
            url: options.amqpUrl,
            exchange,
            count: options.events,
            concurrency: options.concurrency,
          },
          arrivals,
        ),
      );
    const before = await direct("before");
    result.herald = await run("herald", (exchange, arrivals) =>
      throughHerald(
        side,
        "RabbitMQ",
        AMQP_EVENT_TYPE,
        { type: "amqp", url: options.amqpUrl, exchange },
        arrivals,
      ),
    );
    return withCeiling(result, [before, await direct("after")]);
  } finally {
    await consumerConnection.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------

interface EndpointPage {
  data: Array<{ id: string; enabled: boolean }>;
  nextCursor: string | null;
}

/** Disables every enabled endpoint (the HTTPS ones of the phases); returns how to undo it. */
async function pauseEndpoints(api: HeraldApi): Promise<{ count: number; resume(): Promise<void> }> {
  const paused: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await api(
      "GET",
      `/webhooks/endpoints?limit=250${cursor ? `&cursor=${cursor}` : ""}`,
    )) as EndpointPage;
    for (const endpoint of page.data) if (endpoint.enabled) paused.push(endpoint.id);
    cursor = page.nextCursor;
  } while (cursor);
  for (const id of paused) await api("PATCH", `/webhooks/endpoints/${id}`, { enabled: false });
  return {
    count: paused.length,
    async resume() {
      for (const id of paused) await api("PATCH", `/webhooks/endpoints/${id}`, { enabled: true });
    },
  };
}

/** Both destinations against the running Herald at `options.url`, SQS first. */
export async function measureDestinations(
  options: DestinationOptions,
): Promise<DestinationsResult> {
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  const api = heraldApi(agent, options.url, options.apiKey);
  const side: HeraldSide = { api, options, prefix: options.label ? `${options.label}: ` : "" };
  try {
    const paused = await pauseEndpoints(api);
    try {
      const measurements = [await measureSqs(side), await measureAmqp(side)];
      return {
        events: options.events,
        concurrency: options.concurrency,
        pausedEndpoints: paused.count,
        measurements,
      };
    } finally {
      await paused.resume();
    }
  } finally {
    await agent.close();
  }
}

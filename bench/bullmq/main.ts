// node --import tsx bench/bullmq/main.ts [events] [--concurrency 64] [--same-process]:
// the BullMQ baseline (baseline.ts) beside the raw HTTP ceiling of the same receiver, measured
// in the same run on the same machine.
//
// Layout, as bench/run.ts runs Herald: the receiver lives in this process, the BullMQ producer
// and worker in a child process of their own (in-child.ts; --same-process: all in this one).
import { Command } from "commander";
import { Webhook } from "standardwebhooks";
import { generateSecret, secretKeyBytes } from "../../src/index.js";
import { measureCeilingFor } from "../ceiling.js";
import { BenchReceiver } from "../receiver.js";
import { fmt } from "../stats.js";
import { measureBullmqBaseline } from "./baseline.js";
import { runBullmqBaseline, type ChildOptions } from "./in-child.js";
import { receiptsOf } from "./receipts.js";
import { eventBody, signedHeaders } from "./webhook.js";

/** The baseline's signatures verify with the Standard Webhooks reference library. */
function checkSigning(): void {
  const secret = generateSecret();
  const { id, body } = eventBody(0);
  const headers = signedHeaders(secretKeyBytes(secret), id, body, Date.now());
  new Webhook(secret).verify(body, headers); // throws on a bad signature
}

async function main(): Promise<void> {
  const opts = new Command()
    .argument("[events]", "events to enqueue and deliver", "20000")
    .option("--concurrency <n>", "worker concurrency (Herald: 64 towards one endpoint)", "64")
    .option("--redis-url <url>", "Redis", "redis://127.0.0.1:6379")
    .option("--latency-seconds <n>", "length of the latency phase (0: skip)", "5")
    .option("--payload-bytes <n>", "pad each body to at least this size (0: Herald's)", "0")
    .option(
      "--keep-completed <n>",
      "removeOnComplete: { count } (0: removeOnComplete: true)",
      "1000",
    )
    .option("--same-process", "run the worker in this process, beside the receiver")
    .parse();
  const flags = opts.opts<{
    concurrency: string;
    redisUrl: string;
    latencySeconds: string;
    payloadBytes: string;
    keepCompleted: string;
    sameProcess?: boolean;
  }>();
  const events = Number(opts.args[0] ?? 20000);
  const concurrency = Number(flags.concurrency);

  checkSigning();
  const receiver = new BenchReceiver();
  await receiver.start();
  try {
    const { rate: ceiling, requests: ceilingCount } = await measureCeilingFor(
      receiver,
      events,
      concurrency,
    );

    const options: ChildOptions = {
      events,
      receiverUrl: `${receiver.url}/ep/0`,
      concurrency,
      redisUrl: flags.redisUrl,
      payloadBytes: Number(flags.payloadBytes),
      keepCompleted: Number(flags.keepCompleted),
      latencySeconds: Number(flags.latencySeconds),
    };
    const r = flags.sameProcess
      ? await measureBullmqBaseline({ ...options, receipts: receiptsOf(receiver) })
      : await runBullmqBaseline(receiver, options);

    const keep = options.keepCompleted! > 0 ? `{ count: ${options.keepCompleted} }` : "true";
    const rows: Array<[string, string]> = [
      ["events (one delivery each)", `${fmt(r.events)}, bodies of ${r.bodyBytes} bytes`],
      ["concurrency to the receiver", String(concurrency)],
      ["raw HTTP ceiling (undici → receiver)", `${fmt(ceiling)} req/s (${fmt(ceilingCount)})`],
      ["BullMQ enqueue (addBulk of 50, 8 in flight)", `${fmt(r.enqueueRate)} jobs/s`],
      ["BullMQ end-to-end deliveries", `${fmt(r.deliveriesPerSecond)} deliveries/s`],
      ["BullMQ / ceiling", `${fmt((r.deliveriesPerSecond / ceiling) * 100, 1)} %`],
      ["Herald on PostgreSQL target (≥ 1.5 ×)", `${fmt(r.deliveriesPerSecond * 1.5)} deliveries/s`],
      ...(r.p50 !== undefined
        ? ([
            [
              `latency at ${fmt(r.latencyRate ?? 0)} deliveries/s (half)`,
              `p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99 ?? NaN, 1)} ms, max ${fmt(r.max ?? NaN, 1)} ms`,
            ],
          ] as Array<[string, string]>)
        : []),
      [
        "duplicates, failed jobs, failed attempts",
        `${r.duplicates}, ${r.failed}, ${r.failedAttempts}`,
      ],
      [
        "Redis",
        `${r.redis.version}; save "${r.redis.save ?? "?"}", appendonly ${r.redis.appendonly ?? "?"}, appendfsync ${r.redis.appendfsync ?? "?"}`,
      ],
      ["durability", r.note],
      [
        "BullMQ settings",
        `attempts 8, exponential backoff 5 s (±10 %), removeOnComplete ${keep}, removeOnFail false`,
      ],
      [
        "layout",
        flags.sameProcess
          ? "producer, worker and receiver in one process"
          : "producer + worker in a child process, receiver here (as bench/run.ts runs Herald)",
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log("\nBullMQ baseline — Redis queue, worker POSTs signed webhooks, loopback receiver");
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  } finally {
    await receiver.close();
  }
}

await main();

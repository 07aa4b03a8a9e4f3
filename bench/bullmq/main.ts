// node --import tsx bench/bullmq-baseline-run.ts [events] [--concurrency 64] [--same-process]:
// the BullMQ baseline (bench/bullmq-baseline.ts) beside the raw HTTP ceiling of the same
// receiver, measured in the same run on the same machine.
//
// Layout, as bench/run.ts runs Herald: the receiver lives in this process, the BullMQ producer
// and worker in a child process of their own (--same-process: all in this one).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { Webhook } from "standardwebhooks";
import { generateSecret, secretKeyBytes } from "../src/index.js";
import {
  eventBody,
  measureBullmqBaseline,
  receiptsOf,
  signedHeaders,
  type BullmqBaselineOptions,
  type BullmqBaselineResult,
  type Receipts,
} from "./bullmq-baseline.js";
import { measureCeiling } from "./ceiling.js";
import { BenchReceiver } from "./receiver.js";
import { fmt } from "./stats.js";

type ChildOptions = Omit<BullmqBaselineOptions, "receipts">;
type ReceiptOp = "reset" | "waitForDistinct" | "duplicates" | "arrivalTimes";
type ToParent =
  | { type: "call"; id: number; op: ReceiptOp; args: number[] }
  | { type: "done"; result: BullmqBaselineResult }
  | { type: "failed"; error: string };
type ToChild = { type: "reply"; id: number; value?: unknown; error?: string };

const CHILD_FLAG = "--bullmq-child";

/** The baseline's signatures verify with the Standard Webhooks reference library. */
function checkSigning(): void {
  const secret = generateSecret();
  const { id, body } = eventBody(0);
  const headers = signedHeaders(secretKeyBytes(secret), id, body, Date.now());
  new Webhook(secret).verify(body, headers); // throws on a bad signature
}

/** The receiver's counts, asked of the parent over IPC. */
function remoteReceipts(): Receipts {
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  process.on("message", (message: ToChild) => {
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.value);
  });
  const call = (op: ReceiptOp, ...args: number[]) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      process.send!({ type: "call", id, op, args } satisfies ToParent);
    });
  return {
    reset: async () => void (await call("reset")),
    waitForDistinct: async (count, timeoutMs) =>
      void (await call("waitForDistinct", count, timeoutMs)),
    duplicates: async () => (await call("duplicates")) as number,
    arrivalTimes: async () => new Map((await call("arrivalTimes")) as Array<[number, number]>),
  };
}

async function child(options: ChildOptions): Promise<void> {
  try {
    const result = await measureBullmqBaseline({ ...options, receipts: remoteReceipts() });
    process.send!({ type: "done", result } satisfies ToParent);
  } catch (error) {
    process.send!({ type: "failed", error: String((error as Error).stack ?? error) });
  }
  process.disconnect();
}

/** Runs the baseline in a child process, answering its receipt questions from `receiver`. */
function inChild(receiver: BenchReceiver, options: ChildOptions): Promise<BullmqBaselineResult> {
  const local = receiptsOf(receiver);
  const proc = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, JSON.stringify(options)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let outcome: ToParent | null = null;
    const guard = setTimeout(() => proc.kill("SIGTERM"), (options.timeoutMs ?? 300_000) * 3);
    proc.on("message", (message: ToParent) => {
      if (message.type !== "call") {
        outcome = message;
        return;
      }
      const reply = (value: unknown) =>
        proc.connected && proc.send({ type: "reply", id: message.id, value } satisfies ToChild);
      const fail = (error: unknown) =>
        proc.connected &&
        proc.send({ type: "reply", id: message.id, error: String(error) } satisfies ToChild);
      const [a = 0, b = 0] = message.args;
      const ops: Record<ReceiptOp, () => unknown> = {
        reset: () => local.reset(),
        waitForDistinct: () => local.waitForDistinct(a, b),
        duplicates: () => local.duplicates(),
        arrivalTimes: async () => [...(await local.arrivalTimes())],
      };
      Promise.resolve()
        .then(ops[message.op])
        .then((value) => reply(value ?? null), fail);
    });
    proc.on("exit", (code, signal) => {
      clearTimeout(guard);
      const done = outcome as ToParent | null;
      if (done?.type === "done") resolve(done.result);
      else if (done?.type === "failed") reject(new Error(`baseline failed:\n${done.error}`));
      else reject(new Error(`baseline process exited (${signal ?? code}) without a result`));
    });
  });
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
    const ceilingCount = Math.min(events, 40_000);
    const ceiling = await measureCeiling(receiver, ceilingCount, concurrency);
    receiver.reset();

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
      : await inChild(receiver, options);

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

if (process.argv[2] === CHILD_FLAG) await child(JSON.parse(process.argv[3]!) as ChildOptions);
else await main();

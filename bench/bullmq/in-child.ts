// The BullMQ baseline (bench/bullmq-baseline.ts) run the way the bench runs Herald: the
// producer and the worker in a child process of their own, the receiver in the bench's process.
// The child is bench/bullmq-baseline-run.ts in its child mode (`--bullmq-child <options>`),
// which calls `measureBullmqBaseline` and asks this process, over IPC, about the receipts.
import { fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  receiptsOf,
  type BullmqBaselineOptions,
  type BullmqBaselineResult,
} from "./bullmq-baseline.js";
import type { BenchReceiver } from "./receiver.js";

export type BaselineOptions = Omit<BullmqBaselineOptions, "receipts">;

// bench/bullmq-baseline-run.ts's IPC protocol.
export type ReceiptOp = "reset" | "waitForDistinct" | "duplicates" | "arrivalTimes";
type FromChild =
  | { type: "call"; id: number; op: ReceiptOp; args: number[] }
  | { type: "done"; result: BullmqBaselineResult }
  | { type: "failed"; error: string };
type ToChild = { type: "reply"; id: number; value?: unknown; error?: string };

const CHILD_SCRIPT = fileURLToPath(new URL("./bullmq-baseline-run.ts", import.meta.url));
const CHILD_FLAG = "--bullmq-child";

/**
 * Runs the baseline in a child process, answering its receipt questions from `receiver`.
 * `onReceiptCall` hears each question as it arrives (the first `reset` comes just before the
 * throughput phase, the last question after the latency phase), while the child is alive.
 */
export function runBullmqBaseline(
  receiver: BenchReceiver,
  options: BaselineOptions,
  onReceiptCall?: (op: ReceiptOp) => void,
): Promise<BullmqBaselineResult> {
  const local = receiptsOf(receiver);
  const profileRoot = process.env.HERALD_BENCH_PROFILE;
  const profileDir = profileRoot ? join(profileRoot, "bullmq") : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const proc = fork(CHILD_SCRIPT, [CHILD_FLAG, JSON.stringify(options)], {
    execArgv: [
      ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
      "--import",
      "tsx",
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // Should this process exit first (Ctrl-C), the child goes with it.
  const killChild = () => proc.kill("SIGTERM");
  process.once("exit", killChild);
  return new Promise((resolve, reject) => {
    let outcome: FromChild | null = null;
    const guard = setTimeout(() => proc.kill("SIGTERM"), (options.timeoutMs ?? 300_000) * 3);
    proc.on("message", (message: FromChild) => {
      if (message.type !== "call") {
        outcome = message;
        return;
      }
      onReceiptCall?.(message.op);
      const send = (reply: ToChild) => proc.connected && proc.send(reply);
      const [a = 0, b = 0] = message.args;
      const ops: Record<ReceiptOp, () => unknown> = {
        reset: () => local.reset(),
        waitForDistinct: () => local.waitForDistinct(a, b),
        duplicates: () => local.duplicates(),
        arrivalTimes: async () => [...(await local.arrivalTimes())],
      };
      Promise.resolve()
        .then(ops[message.op])
        .then(
          (value) => send({ type: "reply", id: message.id, value: value ?? null }),
          (error: unknown) => send({ type: "reply", id: message.id, error: String(error) }),
        );
    });
    proc.on("exit", (code, signal) => {
      clearTimeout(guard);
      process.removeListener("exit", killChild);
      const done = outcome as FromChild | null;
      if (done?.type === "done") resolve(done.result);
      else if (done?.type === "failed") reject(new Error(`BullMQ baseline failed:\n${done.error}`));
      else reject(new Error(`BullMQ baseline process exited (${signal ?? code}) without a result`));
    });
  });
}

// The BullMQ baseline (baseline.ts) run the way the bench runs Herald: the producer and the
// worker in a child process of their own (child.ts), the receiver in the bench's process, which
// answers the child's questions about the receipts over IPC (receipts.ts).
import { fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchReceiver } from "../receiver.js";
import type { BullmqBaselineOptions, BullmqBaselineResult } from "./baseline.js";
import { answerReceipts, receiptsOf, type ReceiptCall, type ReceiptOp } from "./receipts.js";

/** The baseline's options but the receipts, which stay in this process. */
export type ChildOptions = Omit<BullmqBaselineOptions, "receipts">;

/** What the child sends: a question about the receipts, then its result or its failure. */
export type FromChild =
  ReceiptCall | { type: "done"; result: BullmqBaselineResult } | { type: "failed"; error: string };

const CHILD_SCRIPT = fileURLToPath(new URL("./child.ts", import.meta.url));

/**
 * Runs the baseline in a child process, answering its receipt questions from `receiver`.
 * `onReceiptCall` hears each question as it arrives (the first `reset` comes just before the
 * throughput phase, the last question after the latency phase), while the child is alive.
 * With HERALD_BENCH_PROFILE set, the child writes a CPU profile into its `bullmq` subdirectory.
 */
export function runBullmqBaseline(
  receiver: BenchReceiver,
  options: ChildOptions,
  onReceiptCall?: (op: ReceiptOp) => void,
): Promise<BullmqBaselineResult> {
  const local = receiptsOf(receiver);
  const profileRoot = process.env.HERALD_BENCH_PROFILE;
  const profileDir = profileRoot ? join(profileRoot, "bullmq") : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const proc = fork(CHILD_SCRIPT, [JSON.stringify(options)], {
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
      void answerReceipts(local, message).then((reply) => proc.connected && proc.send(reply));
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

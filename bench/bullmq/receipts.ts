// Where the baseline's deliveries are counted: at the bench's receiver, by event. The producer
// and the worker run in a child process (in-child.ts, child.ts), so the child asks the parent,
// which owns the receiver, over IPC: `remoteReceipts` on the child's side, `answerReceipts` on
// the parent's.
import type { BenchReceiver } from "../receiver.js";

/** The receipts of the baseline's events, one `webhook-id` per seq. */
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
async function waitForDistinct(
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

// The IPC protocol: the child calls a `Receipts` method, the parent replies; at the end the
// child sends its result (or its failure) and disconnects.
export type ReceiptOp = "reset" | "waitForDistinct" | "duplicates" | "arrivalTimes";
export type ReceiptCall = { type: "call"; id: number; op: ReceiptOp; args: number[] };
export type ReceiptReply = { type: "reply"; id: number; value?: unknown; error?: string };

/** The child's side: its receipts, asked of the parent over IPC. */
export function remoteReceipts(): Receipts {
  let next = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  process.on("message", (message: ReceiptReply) => {
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
      process.send!({ type: "call", id, op, args } satisfies ReceiptCall);
    });
  return {
    reset: async () => void (await call("reset")),
    waitForDistinct: async (count, timeoutMs) =>
      void (await call("waitForDistinct", count, timeoutMs)),
    duplicates: async () => (await call("duplicates")) as number,
    arrivalTimes: async () => new Map((await call("arrivalTimes")) as Array<[number, number]>),
  };
}

/** The parent's side: answers one of the child's calls from `local`. */
export async function answerReceipts(local: Receipts, call: ReceiptCall): Promise<ReceiptReply> {
  const [a = 0, b = 0] = call.args;
  const ops: Record<ReceiptOp, () => unknown> = {
    reset: () => local.reset(),
    waitForDistinct: () => local.waitForDistinct(a, b),
    duplicates: () => local.duplicates(),
    arrivalTimes: async () => [...(await local.arrivalTimes())],
  };
  try {
    const value = await ops[call.op]();
    return { type: "reply", id: call.id, value: value ?? null };
  } catch (error) {
    return { type: "reply", id: call.id, error: String(error) };
  }
}

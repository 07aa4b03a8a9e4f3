// The BullMQ baseline's child process (forked by in-child.ts, with tsx): the producer and the
// worker, counting deliveries through the parent's receiver. argv[2]: the options, as JSON.
import { measureBullmqBaseline } from "./baseline.js";
import type { ChildOptions, FromChild } from "./in-child.js";
import { remoteReceipts } from "./receipts.js";

const options = JSON.parse(process.argv[2]!) as ChildOptions;
try {
  const result = await measureBullmqBaseline({ ...options, receipts: remoteReceipts() });
  process.send!({ type: "done", result } satisfies FromChild);
} catch (error) {
  const stack = String((error as Error).stack ?? error);
  process.send!({ type: "failed", error: stack } satisfies FromChild);
}
process.disconnect();

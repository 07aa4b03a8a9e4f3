// How a chain's runner sends a batch of queued jobs, whatever its family: jobs of one NFT (its
// edit, then its burn) or one collection in order, others concurrently in `concurrency` lanes.
import type { ChainStore } from "../ports/chain-store.js";
import { sendOrderKey, type ChainJob } from "./chain-types.js";

/**
 * Runs `send` over `jobs` in lanes. A job's failure stays its own: it never stops its lane or
 * the other jobs; the first one is thrown once all have run (the caller retries the pass).
 * `running` is asked before each job: a stopping runner sends nothing more.
 */
export async function sendInLanes(
  jobs: readonly ChainJob[],
  concurrency: number,
  send: (job: ChainJob) => Promise<void>,
  running: () => boolean,
): Promise<void> {
  const inOrder = new Map<string, ChainJob[]>();
  for (const job of jobs) {
    const key = sendOrderKey(job);
    inOrder.set(key, [...(inOrder.get(key) ?? []), job]);
  }
  await inLanes([...inOrder.values()], concurrency, running, async (group) => {
    let failure: unknown = null;
    for (const job of group) {
      if (!running()) break;
      await send(job).catch((error: unknown) => {
        failure ??= error;
      });
    }
    if (failure) throw failure;
  });
}

/** Runs `run` over `items`, `concurrency` at a time; a failure stays its item's, and the first
 * one is thrown once all have run. */
async function inLanes<T>(
  items: readonly T[],
  concurrency: number,
  running: () => boolean,
  run: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  let failure: unknown = null;
  const lanes = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      if (!running()) return;
      await run(item).catch((error: unknown) => {
        failure ??= error;
      });
    }
  });
  await Promise.all(lanes);
  if (failure) throw failure;
}

/** A family's way of sending several jobs in one transaction (EVM: a collection's mints). */
export interface JobBatches {
  /** The batches among `jobs` (each of two or more, in the order they are to be sent); the
   * jobs in none go one by one. */
  take(jobs: readonly ChainJob[]): Promise<ChainJob[][]>;
  send(batch: ChainJob[]): Promise<void>;
}

/** Jobs taken per pass; the next pass takes the next ones. */
export const SEND_BATCH = 500;

/**
 * One pass over `chain`'s sendable jobs (those not `skip`ped: already followed), in lanes; the
 * family's `batches`, each in one transaction, beside them.
 * Whether the batch was full: there may be more behind it.
 */
export async function sendQueuedJobs(
  store: Pick<ChainStore, "listSendableChainJobs">,
  chain: string,
  concurrency: number,
  skip: (job: ChainJob) => boolean,
  send: (job: ChainJob) => Promise<void>,
  running: () => boolean,
  batches?: JobBatches,
): Promise<boolean> {
  const jobs = await store.listSendableChainJobs(chain, SEND_BATCH, Date.now());
  const unsent = jobs.filter((job) => !skip(job));
  const taken = batches ? await batches.take(unsent) : [];
  const inBatch = new Set(taken.flat().map((job) => job.id));
  const single = unsent.filter((job) => !inBatch.has(job.id));
  const results = await Promise.allSettled([
    inLanes(taken, concurrency, running, (batch) => batches!.send(batch)),
    sendInLanes(single, concurrency, send, running),
  ]);
  for (const result of results) if (result.status === "rejected") throw result.reason;
  return jobs.length === SEND_BATCH;
}

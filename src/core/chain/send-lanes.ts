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
  const groups = [...inOrder.values()];
  let failure: unknown = null;
  const lanes = Array.from({ length: Math.min(concurrency, groups.length) }, async () => {
    for (let group = groups.shift(); group; group = groups.shift()) {
      for (const job of group) {
        if (!running()) return;
        await send(job).catch((error: unknown) => {
          failure ??= error;
        });
      }
    }
  });
  await Promise.all(lanes);
  if (failure) throw failure;
}

/** Jobs taken per pass; the next pass takes the next ones. */
export const SEND_BATCH = 500;

/**
 * One pass over `chain`'s sendable jobs (those not `skip`ped: already followed), in lanes.
 * Whether the batch was full: there may be more behind it.
 */
export async function sendQueuedJobs(
  store: Pick<ChainStore, "listSendableChainJobs">,
  chain: string,
  concurrency: number,
  skip: (job: ChainJob) => boolean,
  send: (job: ChainJob) => Promise<void>,
  running: () => boolean,
): Promise<boolean> {
  const jobs = await store.listSendableChainJobs(chain, SEND_BATCH, Date.now());
  const unsent = jobs.filter((job) => !skip(job));
  await sendInLanes(unsent, concurrency, send, running);
  return jobs.length === SEND_BATCH;
}

import { Agent, request } from "undici";
import { bar } from "./progress.js";
import type { BenchReceiver } from "./receiver.js";
import { runPool } from "./stats.js";

/** A body the size of the envelopes Herald sends in the bench. */
const SAMPLE_BODY = JSON.stringify({
  id: "01a205e3-a835-7262-bf41-262bd7e46caa",
  type: "nfts.create.succeeded",
  data: {
    seq: 0,
    chain: "polygon",
    txId: "0x" + "a".repeat(64),
    token: { id: "x", tokenId: "15" },
  },
  timestamp: Date.now(),
});

/** A ceiling is a rate: more requests than this would only make it take longer. */
const MAX_REQUESTS = 40_000;

/**
 * The ceiling of a run of `deliveries` deliveries: the same receiver, driven directly by undici
 * at Herald's concurrency towards it, with as many requests (at most 40,000); requests per
 * second, and how many were made. The receiver is reset afterwards.
 */
export async function measureCeilingFor(
  receiver: BenchReceiver,
  deliveries: number,
  concurrency: number,
): Promise<{ rate: number; requests: number }> {
  const requests = Math.min(deliveries, MAX_REQUESTS);
  const rate = await measureCeiling(receiver, requests, concurrency);
  receiver.reset();
  return { rate, requests };
}

async function measureCeiling(
  receiver: BenchReceiver,
  count: number,
  concurrency: number,
): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const progress = bar("raw HTTP ceiling", count);
  const started = performance.now();
  await runPool(count, concurrency, async (i) => {
    const res = await request(`${receiver.url}/ep/0`, {
      method: "POST",
      dispatcher: agent,
      headers: {
        "content-type": "application/json",
        "webhook-id": "x",
        "webhook-signature": "v1,abc",
      },
      body: SAMPLE_BODY.replace('"seq":0', `"seq":${i}`),
    });
    await res.body.dump();
    if (i % 500 === 0) progress.update(i);
  });
  const elapsed = (performance.now() - started) / 1000;
  progress.update(count);
  progress.stop();
  await agent.close();
  return count / elapsed;
}

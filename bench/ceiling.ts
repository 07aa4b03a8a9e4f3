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

/**
 * The ceiling: the same receiver, driven directly by undici at Herald's concurrency towards
 * it; requests per second.
 */
export async function measureCeiling(
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

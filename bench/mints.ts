import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { runPool, summarize } from "./stats.js";

/**
 * Mints on the embedded chain, end to end: from the mint request to the receipt of its
 * `nfts.create.succeeded` webhook.
 */
export async function measureMints(
  heraldUrl: string,
  apiKey: string,
  count: number,
  concurrency: number,
) {
  const received = new Map<string, number>();
  let onReceived: (() => void) | null = null;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      res.writeHead(200).end();
      const json = JSON.parse(body) as { type: string; actionId?: string };
      if (json.type === "nfts.create.succeeded" && json.actionId)
        received.set(json.actionId, performance.now());
      onReceived?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mints`;
  const agent = new Agent({ connections: concurrency });
  const call = async (method: "POST", path: string, body: unknown) => {
    const res = await request(`${heraldUrl}/api/2022-06-09${path}`, {
      method,
      dispatcher: agent,
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await res.body.json()) as { actionId: string };
    if (res.statusCode >= 300)
      throw new Error(`${path}: ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    await call("POST", "/webhooks/endpoints", {
      url: hookUrl,
      eventTypes: ["nfts.create.succeeded"],
    });
    // The default collection deploys with the first mint; warm it up outside the measurement.
    const warm = await call("POST", "/collections/default-local/nfts", {
      recipient: "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819",
      metadata: { name: "warm-up" },
    });
    await waitFor(
      () => received.has(warm.actionId),
      (fn) => (onReceived = fn),
      60_000,
    );
    received.clear();
    const sentAt = new Map<string, number>();
    const started = performance.now();
    await runPool(count, concurrency, async (i) => {
      const t = performance.now();
      const { actionId } = await call("POST", "/collections/default-local/nfts", {
        recipient: "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819",
        metadata: { name: `bench #${i}` },
      });
      sentAt.set(actionId, t);
    });
    await waitFor(
      () => received.size >= count,
      (fn) => (onReceived = fn),
      120_000,
    );
    const elapsed = (Math.max(...received.values()) - started) / 1000;
    const latencies = [...received].map(([id, at]) => at - sentAt.get(id)!);
    return { mintsPerSecond: count / elapsed, ...summarize(latencies) };
  } finally {
    await agent.close();
    server.closeAllConnections();
    server.close();
  }
}

function waitFor(
  done: () => boolean,
  subscribe: (fn: () => void) => void,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("mints did not complete in time")), timeoutMs);
    const check = () => {
      if (done()) {
        clearTimeout(timer);
        resolve();
      }
    };
    subscribe(check);
    check();
  });
}

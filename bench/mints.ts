import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { runPool, summarize } from "./stats.js";

const RECIPIENT = "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819";
/** Crossmint's recommended batch size, Herald's limit per batch mint request. */
export const BATCH_MAX = 125;

type Call = (path: string, body: unknown) => Promise<unknown>;
/** Sends the mints; records each NFT's action id with the time its request left. */
type Sender = (call: Call, sentAt: Map<string, number>) => Promise<void>;

/**
 * Mints on the embedded chain, end to end: from the mint request to the receipt of its
 * `nfts.create.succeeded` webhook; `concurrency` single mints at once.
 */
export function measureMints(
  heraldUrl: string,
  apiKey: string,
  count: number,
  concurrency: number,
) {
  return measure(heraldUrl, apiKey, count, concurrency, async (call, sentAt) => {
    await runPool(count, concurrency, async (i) => {
      const t = performance.now();
      const { actionId } = (await call("/collections/default-local/nfts", {
        recipient: RECIPIENT,
        metadata: { name: `bench #${i}` },
      })) as { actionId: string };
      sentAt.set(actionId, t);
    });
  });
}

/**
 * The same NFTs minted by Crossmint's batch mint, `BATCH_MAX` per request, every batch sent at
 * once: each NFT's latency runs from its batch's request to its own webhook.
 */
export function measureBatchMints(heraldUrl: string, apiKey: string, count: number) {
  const batches = Math.ceil(count / BATCH_MAX);
  return measure(heraldUrl, apiKey, count, batches, async (call, sentAt) => {
    await runPool(batches, batches, async (b) => {
      const size = Math.min(BATCH_MAX, count - b * BATCH_MAX);
      const nfts = Array.from({ length: size }, (_, i) => ({
        recipient: RECIPIENT,
        metadata: { name: `batch ${b} #${i}` },
      }));
      const t = performance.now();
      const { results } = (await call("/collections/default-local/nfts/", { nfts })) as {
        results: Array<{ actionId: string }>;
      };
      for (const { actionId } of results) sentAt.set(actionId, t);
    });
  });
}

async function measure(
  heraldUrl: string,
  apiKey: string,
  count: number,
  connections: number,
  send: Sender,
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
  const agent = new Agent({ connections });
  const call: Call = async (path, body) => {
    const res = await request(`${heraldUrl}/api/2022-06-09${path}`, {
      method: "POST",
      dispatcher: agent,
      headers: { "x-api-key": apiKey, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = await res.body.json();
    if (res.statusCode >= 300)
      throw new Error(`${path}: ${res.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  let endpointId: string | undefined;
  try {
    ({ id: endpointId } = (await call("/webhooks/endpoints", {
      url: hookUrl,
      eventTypes: ["nfts.create.succeeded"],
    })) as { id: string });
    // The default collection deploys with the first mint; warm it up outside the measurement.
    const warm = (await call("/collections/default-local/nfts", {
      recipient: RECIPIENT,
      metadata: { name: "warm-up" },
    })) as { actionId: string };
    await waitFor(
      () => received.has(warm.actionId),
      (fn) => (onReceived = fn),
      60_000,
    );
    received.clear();
    const sentAt = new Map<string, number>();
    const started = performance.now();
    await send(call, sentAt);
    await waitFor(
      () => [...sentAt.keys()].every((id) => received.has(id)),
      (fn) => (onReceived = fn),
      120_000,
    );
    const mine = [...sentAt].map(([id, at]) => received.get(id)! - at);
    const last = Math.max(...[...sentAt.keys()].map((id) => received.get(id)!));
    return { mintsPerSecond: count / ((last - started) / 1000), ...summarize(mine) };
  } finally {
    // A later run on the same Herald must not deliver to this receiver, gone by then.
    if (endpointId)
      await request(`${heraldUrl}/api/2022-06-09/webhooks/endpoints/${endpointId}`, {
        method: "DELETE",
        dispatcher: agent,
        headers: { "x-api-key": apiKey },
      }).then(
        (r) => r.body.dump(),
        () => undefined,
      );
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

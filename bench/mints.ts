import type { Agent } from "undici";
import { jsonRequest, timeToWebhook } from "./request-to-webhook.js";
import { runPool } from "./stats.js";

/** Where the mints go: a chain's default collection and a recipient on it. */
export interface MintTarget {
  collection: string;
  recipient: string;
}
const LOCAL: MintTarget = {
  collection: "/collections/default-local/nfts",
  recipient: "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819",
};
const SOLANA: MintTarget = {
  collection: "/collections/default-solana/nfts",
  recipient: "solana:EjLpq6RAxzPuwjcwJ2C6ZjwrFZuqhu2CiVTDzkSSCE5B",
};
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
  target: MintTarget = LOCAL,
  timeoutMs?: number,
) {
  return measure(heraldUrl, apiKey, count, concurrency, target, timeoutMs, async (call, sentAt) => {
    await runPool(count, concurrency, async (i) => {
      const t = performance.now();
      const { actionId } = (await call(target.collection, {
        recipient: target.recipient,
        metadata: { name: `bench #${i}` },
      })) as { actionId: string };
      sentAt.set(actionId, t);
    });
  });
}

/** The same, on the embedded Solana cluster (`solana`, Token-2022 mints). */
export function measureSolanaMints(
  heraldUrl: string,
  apiKey: string,
  count: number,
  concurrency: number,
) {
  return measureMints(heraldUrl, apiKey, count, concurrency, SOLANA);
}

/**
 * The same NFTs minted by Crossmint's batch mint, `BATCH_MAX` per request, every batch sent at
 * once: each NFT's latency runs from its batch's request to its own webhook.
 */
export function measureBatchMints(heraldUrl: string, apiKey: string, count: number) {
  const batches = Math.ceil(count / BATCH_MAX);
  return measure(heraldUrl, apiKey, count, batches, LOCAL, undefined, async (call, sentAt) => {
    await runPool(batches, batches, async (b) => {
      const size = Math.min(BATCH_MAX, count - b * BATCH_MAX);
      const nfts = Array.from({ length: size }, (_, i) => ({
        recipient: LOCAL.recipient,
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
  target: MintTarget,
  timeoutMs: number | undefined,
  send: Sender,
) {
  const caller =
    (agent: Agent): Call =>
    (path, body) =>
      jsonRequest(agent, `${heraldUrl}/api/2022-06-09${path}`, { "x-api-key": apiKey }, body);
  const { perSecond, ...latency } = await timeToWebhook(heraldUrl, apiKey, count, connections, {
    eventType: "nfts.create.succeeded",
    idOf: (body: { type?: string; actionId?: string }) =>
      body.type === "nfts.create.succeeded" ? body.actionId : undefined,
    // The default collection deploys with the first mint; warm it up outside the measurement.
    warmUp: async (agent) => {
      const warm = (await caller(agent)(target.collection, {
        recipient: target.recipient,
        metadata: { name: "warm-up" },
      })) as { actionId: string };
      return warm.actionId;
    },
    send: (agent, sentAt) => send(caller(agent), sentAt),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { mintsPerSecond: perSecond, ...latency };
}

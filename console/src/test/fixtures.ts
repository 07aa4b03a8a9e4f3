// Realistic API answers, shaped like Herald's (src/api/schemas.ts, src/core/catalog.ts).
import type { Attempt, Delivery, Endpoint, EndpointStats, EventTypeInfo } from "../types";

export const ENDPOINT_ID = "0194623a-5c1e-7b8d-9f20-3e4a6b7c8d91";

export function endpoint(overrides: Partial<Endpoint> = {}): Endpoint {
  return {
    id: ENDPOINT_ID,
    url: "https://hooks.example.com/herald",
    destination: { type: "https", url: "https://hooks.example.com/herald" },
    description: "Production mints",
    eventTypes: ["nfts.create.succeeded", "nfts.create.failed"],
    enabled: true,
    disabledReason: null,
    rateLimit: null,
    format: "auto",
    signing: "hmac",
    failingSince: null,
    createdAt: "2025-01-15T09:00:00.000Z",
    updatedAt: "2025-01-15T09:00:00.000Z",
    ...overrides,
  };
}

export const CATALOG: EventTypeInfo[] = [
  {
    name: "nfts.create.succeeded",
    family: "crossmint",
    description: "An NFT was minted.",
    examples: [
      {
        label: "EVM",
        body: {
          id: "01945f2b-7e41-7c5a-b1d3-8e6f0a2c4b97",
          type: "nfts.create.succeeded",
          data: { chain: "polygon", token: { tokenId: "15" } },
          timestamp: 1736932438640,
        },
      },
      {
        label: "Solana",
        body: { id: "01945f2b-aaaa", type: "nfts.create.succeeded", data: { chain: "solana" } },
      },
    ],
  },
  {
    name: "nfts.create.failed",
    family: "crossmint",
    description: "Minting an NFT failed.",
    examples: [{ label: "EVM", body: { type: "nfts.create.failed", data: { error: "reverted" } } }],
  },
  {
    name: "asset.minted",
    family: "chain-observed",
    description: "An asset has been minted on the blockchain.",
    examples: [{ label: "default", body: { type: "asset.minted", data: { app: {} } } }],
  },
  {
    name: "delivery.exhausted",
    family: "operational",
    description: "A delivery used its last retry and is now failed; it can be resent.",
    examples: [{ label: "default", body: { type: "delivery.exhausted", data: {} } }],
  },
];

let sequence = 0;
export function delivery(overrides: Partial<Delivery> = {}): Delivery {
  sequence += 1;
  const n = String(sequence).padStart(4, "0");
  return {
    id: `0194a000-0000-7000-8000-00000000${n}`,
    eventId: `0194b000-0000-7000-8000-00000000${n}`,
    endpointId: ENDPOINT_ID,
    eventType: "nfts.create.succeeded",
    status: "succeeded",
    attemptCount: 1,
    nextAttemptAt: null,
    lastStatusCode: 200,
    createdAt: "2025-01-15T10:00:00.000Z",
    updatedAt: "2025-01-15T10:00:01.000Z",
    completedAt: "2025-01-15T10:00:01.000Z",
    ...overrides,
  };
}

export function attempt(overrides: Partial<Attempt> = {}): Attempt {
  return {
    id: 1,
    number: 1,
    startedAt: "2025-01-15T10:00:00.500Z",
    durationMs: 87,
    statusCode: 200,
    responseBody: '{"ok":true}',
    error: null,
    outcome: "succeeded",
    ...overrides,
  };
}

export function stats(window: "1h" | "24h", overrides: Partial<EndpointStats> = {}): EndpointStats {
  const bucketSeconds = window === "1h" ? 300 : 3600;
  const count = window === "1h" ? 12 : 24;
  const from = Date.parse("2025-01-15T09:00:00.000Z");
  const buckets = Array.from({ length: count }, (_, i) => ({
    start: new Date(from + i * bucketSeconds * 1000).toISOString(),
    succeeded: i === count - 1 ? 9 : 0,
    failed: i === count - 1 ? 1 : 0,
    avgMs: i === count - 1 ? 120 : null,
    maxMs: i === count - 1 ? 410 : null,
  }));
  return {
    window,
    bucketSeconds,
    buckets,
    totals: { succeeded: 9, failed: 1, successRate: 0.9, avgMs: 120 },
    ...overrides,
  };
}

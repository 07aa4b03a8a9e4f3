// The built-in event types, with example webhook bodies for docs, the console and test sends.
// Every body is what an endpoint receives: {id, type, actionId?, startedAt?, completedAt?,
// data, resource?, timestamp}. Projects may publish other types (see isValidEventTypeName).
import { CROSSMINT_EVENT_TYPES } from "./crossmint-examples.js";
import { ORIGINAL_EVENT_TYPES } from "./original-examples.js";

import type { EventTypeInfo } from "./event-type.js";

export type { EventTypeInfo };

const ENDPOINT_ID = "0194623a-5c1e-7b8d-9f20-3e4a6b7c8d91";

const OPERATIONAL_EVENT_TYPES: EventTypeInfo[] = [
  {
    name: "endpoint.disabled",
    family: "operational",
    description:
      "Herald disabled an endpoint: it failed for days or answered 410 Gone. Never sent to that endpoint.",
    examples: [
      {
        label: "default",
        body: {
          id: "019482fd-904f-7668-b222-102b84acc302",
          type: "endpoint.disabled",
          data: {
            endpointId: ENDPOINT_ID,
            url: "https://hooks.example.com/herald",
            reason: "every attempt failed for 5 days",
            failingSince: "2025-01-15T09:13:58.640Z",
          },
          timestamp: 1737364443215,
        },
      },
      {
        label: "gone",
        body: {
          id: "0194832a-30c9-7347-b0a9-280664492373",
          type: "endpoint.disabled",
          data: {
            endpointId: "0194832a-1f07-7e52-a3c8-6d9b0e4f2a17",
            url: "https://old.example.com/webhooks",
            reason: "the endpoint answered 410 Gone",
          },
          timestamp: 1737367367881,
        },
      },
    ],
  },
  {
    name: "delivery.exhausted",
    family: "operational",
    description:
      "A delivery used its last retry and is now failed; it can be resent. Never sent to that endpoint.",
    examples: [
      {
        label: "default",
        body: {
          id: "0194693d-b270-7297-aec2-16decbf8dfc7",
          type: "delivery.exhausted",
          data: {
            endpointId: ENDPOINT_ID,
            eventId: "01945f2b-7e41-7c5a-b1d3-8e6f0a2c4b97",
            eventType: "nfts.create.succeeded",
            deliveryId: "01945f2b-7e43-7a01-8c3e-5d7f9a1b2c4e",
            attempts: 8,
            lastStatusCode: 503,
            lastError: "HTTP 503 Service Unavailable",
          },
          timestamp: 1736932438640,
        },
      },
    ],
  },
  {
    name: "action.reorged",
    family: "operational",
    description:
      "A completed action's transaction was in a block a reorg removed: the action is pending again, and its completion webhook will come again from the surviving chain. Sent before that second completion; undo or hold what the first one started.",
    examples: [
      {
        label: "default",
        body: {
          id: "0194a1d0-2b3c-7d4e-8f50-617283940a1b",
          type: "action.reorged",
          actionId: "0194a1cf-91e2-7a43-b5c6-d7e8f9a0b1c2",
          data: {
            actionId: "0194a1cf-91e2-7a43-b5c6-d7e8f9a0b1c2",
            action: "nfts.create",
            previousStatus: "succeeded",
            chain: "base-sepolia",
            orphaned: {
              txId: "0x2c5a7b7e0c6f4e1b9d3a8f2e4c6b8a0d1e3f5a7c9b1d3e5f7a9c1b3d5e7f9a1c",
              blockNumber: 18734521,
              blockHash: "0x9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
            },
          },
          resource:
            "/api/2022-06-09/collections/0194a1ce-0000-7000-8000-000000000001/nfts/0194a1cf-91e2-7a43-b5c6-d7e8f9a0b1c3",
          timestamp: 1737401000000,
        },
      },
    ],
  },
  {
    name: "signer.balance_low",
    family: "operational",
    description:
      "A signing account of a chain fell below the chain's signerBalanceLow: fund it. Sent once per crossing, to every project with work on that chain; the account gets no new work until funded.",
    examples: [
      {
        label: "default",
        body: {
          id: "0194a1c2-6d3e-7f48-9b21-4c5d6e7f8a90",
          type: "signer.balance_low",
          data: {
            chain: "base-sepolia",
            address: "0x8ba1f109551bD432803012645Ac136ddd64DBA72",
            balance: "0.004",
            threshold: "0.05",
          },
          timestamp: 1737400000000,
        },
      },
    ],
  },
];

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const EVENT_CATALOG: readonly EventTypeInfo[] = deepFreeze([
  ...CROSSMINT_EVENT_TYPES,
  ...ORIGINAL_EVENT_TYPES,
  ...OPERATIONAL_EVENT_TYPES,
]);

const BY_NAME = new Map(EVENT_CATALOG.map((info) => [info.name, info]));

export const BUILT_IN_EVENT_TYPES: readonly string[] = Object.freeze(
  EVENT_CATALOG.map((info) => info.name),
);

export function findEventType(name: string): EventTypeInfo | undefined {
  return BY_NAME.get(name);
}

/** A fresh deep copy of an example body: the first example unless `label` picks another. */
export function exampleBody(name: string, label?: string): Record<string, unknown> | undefined {
  const examples = BY_NAME.get(name)?.examples ?? [];
  const example = label === undefined ? examples[0] : examples.find((e) => e.label === label);
  return example === undefined ? undefined : structuredClone(example.body);
}

const EVENT_TYPE_NAME = /^[a-zA-Z0-9_:-]+(\.[a-zA-Z0-9_:-]+)*$/;

/** Names projects may publish: dot-separated segments of letters, digits, `_`, `:` and `-`. */
export function isValidEventTypeName(name: string): boolean {
  return name.length >= 1 && name.length <= 100 && EVENT_TYPE_NAME.test(name);
}

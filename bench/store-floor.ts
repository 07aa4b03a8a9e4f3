// The PostgreSQL store with no HTTP at all: events published in batches of 50 (8 in flight),
// claimed and acknowledged at once by claimers as the dispatcher claims (a success outcome per
// delivery, written in batches). Herald end to end cannot go faster than its store does here.
import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  DEFAULT_APP_SETTINGS,
  newId,
  PostgresStore,
  type DeliveryOutcome,
  type NewEvent,
} from "../src/index.js";

export interface StoreFloorResult {
  claimers: number;
  deliveries: number;
  seconds: number;
  perSecond: number;
}

export async function measureStoreFloor(
  databaseUrl: string,
  events: number,
  options: {
    claimers?: number;
    batch?: number;
    publishConcurrency?: number;
    /** Called when the timed part starts and ends (the CPU window), connections already open. */
    onTimed?: (phase: "start" | "stop") => void;
  } = {},
): Promise<StoreFloorResult> {
  const claimers = options.claimers ?? 2;
  const batch = options.batch ?? 50;
  const publishConcurrency = options.publishConcurrency ?? 8;
  const schema = `herald_floor_${randomBytes(6).toString("hex")}`;
  const store = new PostgresStore(databaseUrl, { schema, poolSize: 16 });
  try {
    await store.migrate();
    const projectId = newId();
    await store.createProject(
      { id: projectId, name: "floor", createdAt: Date.now(), ...DEFAULT_APP_SETTINGS },
      { id: newId(), projectId, hash: newId(), prefix: "x", name: null, createdAt: Date.now() },
    );
    const endpointId = newId();
    await store.createEndpoint({
      id: endpointId,
      projectId,
      url: "https://receiver.example/",
      destinationType: "https",
      destinationEnc: null,
      description: "",
      format: "auto",
      signing: "hmac",
      publicKey: null,
      eventTypes: null,
      enabled: true,
      disabledReason: null,
      rateLimit: null,
      failingSince: null,
      secretEnc: "x",
      previousSecretEnc: null,
      previousSecretExpiresAt: null,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
    const body = "x".repeat(120);
    // Every pooled connection open before the clock starts, so their backends are measured.
    const clients = await Promise.all(Array.from({ length: 16 }, () => store.pool.connect()));
    for (const client of clients) client.release();
    let published = 0;
    let acknowledged = 0;
    options.onTimed?.("start");
    const started = performance.now();
    const publisher = async () => {
      while (published < events) {
        const n = Math.min(batch, events - published);
        published += n;
        const items: Array<{ event: NewEvent }> = [];
        for (let i = 0; i < n; i++) {
          const id = newId();
          const now = Date.now();
          items.push({
            event: {
              id,
              projectId,
              type: "nfts.create.succeeded",
              actionId: null,
              createdAt: now,
              payload: JSON.stringify({
                id,
                type: "nfts.create.succeeded",
                data: body,
                timestamp: now,
              }),
            },
          });
        }
        await store.publishEvents(items);
      }
    };
    const claimer = async (owner: string) => {
      while (acknowledged < events) {
        const now = Date.now();
        const claimed = await store.claimDueDeliveries({
          owner,
          now,
          limit: 100,
          leaseMs: 40_000,
          excludeEndpointIds: [],
        });
        if (claimed.length === 0) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        const done = Date.now();
        const outcomes: DeliveryOutcome[] = claimed.map((c) => ({
          deliveryId: c.id,
          leaseOwner: owner,
          endpointId: c.endpoint.id,
          attempt: {
            deliveryId: c.id,
            number: c.attempt,
            startedAt: now,
            durationMs: done - now,
            statusCode: 200,
            responseBody: "",
            error: null,
            outcome: "succeeded",
          },
          status: "succeeded",
          nextAttemptAt: null,
          scheduleIndex: c.scheduleIndex,
          endpointEffect: { kind: "healthy" },
          publish: [],
        }));
        await store.applyDeliveryOutcomes(outcomes);
        acknowledged += outcomes.length;
      }
    };
    await Promise.all([
      ...Array.from({ length: publishConcurrency }, publisher),
      ...Array.from({ length: claimers }, (_, i) => claimer(`floor-${i}`)),
    ]);
    const seconds = (performance.now() - started) / 1000;
    options.onTimed?.("stop");
    return { claimers, deliveries: acknowledged, seconds, perSecond: acknowledged / seconds };
  } finally {
    await store.close();
    const client = new pg.Client(databaseUrl);
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}

import assert from "node:assert/strict";
import { test } from "node:test";
import { apiKeyPrefix, generateApiKey, hashApiKey, newId } from "../../src/core/runtime/ids.js";
import type {
  Action,
  ClaimRequest,
  ClaimedDelivery,
  DeliveryOutcome,
  NewApiKey,
  NewEvent,
  Project,
  PublishedEvent,
  StoredEndpoint,
} from "../../src/core/interfaces.js";
import { DEFAULT_APP_SETTINGS } from "../../src/core/interfaces.js";
import type { Store } from "../../src/core/ports/store.js";

// Small factories shared by the Store contract files. Every time is an explicit number
// relative to T0, so the tests never depend on the clock.

export const T0 = 1_700_000_000_000;
export const OWNER = "worker-a";
export const LEASE_MS = 60_000;

/**
 * A fresh, empty store: not yet migrated; or migrated already and empty, with what its first
 * `migrate()` applied (a server store may hand out schemas it migrated before and emptied
 * since: migrating one costs far more than emptying one).
 */
export type FreshStore = Store | { migrated: Store; firstMigration: { applied: number[] } };
export type MakeStore = () => Promise<FreshStore>;
export type DropStore = (store: Store) => Promise<void>;

/** Registers one contract test: a fresh, migrated store per test, dropped afterwards. */
export type StoreTest = (name: string, body: (fx: Fixture) => Promise<void>) => void;

export function storeTest(makeStore: MakeStore, dropStore: DropStore): StoreTest {
  return (name, body) =>
    test(name, async () => {
      const made = await makeStore();
      const store = "migrated" in made ? made.migrated : made;
      try {
        const firstMigration = "migrated" in made ? made.firstMigration : await store.migrate();
        await body(new Fixture(store, firstMigration));
      } finally {
        await dropStore(store);
      }
    });
}

export class Fixture {
  constructor(
    readonly store: Store,
    /** What the first `migrate()` of this store (its schema) applied. */
    readonly firstMigration: { applied: number[] },
  ) {}

  async project(name = `project-${newId()}`): Promise<{ project: Project; key: NewApiKey }> {
    const project: Project = { id: newId(), name, createdAt: T0, ...DEFAULT_APP_SETTINGS };
    const key = this.apiKey(project.id, "first");
    await this.store.createProject(project, key);
    return { project, key };
  }

  apiKey(projectId: string, name: string | null, createdAt = T0): NewApiKey {
    const secret = generateApiKey();
    return {
      id: newId(),
      projectId,
      hash: hashApiKey(secret),
      prefix: apiKeyPrefix(secret),
      name,
      createdAt,
    };
  }

  endpointRecord(projectId: string, fields: Partial<StoredEndpoint> = {}): StoredEndpoint {
    const id = fields.id ?? newId();
    return {
      id,
      projectId,
      url: `https://receiver.example/hooks/${id}`,
      destinationType: "https",
      destinationEnc: null,
      description: "",
      eventTypes: null,
      enabled: true,
      disabledReason: null,
      rateLimit: null,
      format: "auto",
      signing: "hmac",
      publicKey: null,
      failingSince: null,
      secretEnc: `enc:secret-of-${id}`,
      previousSecretEnc: null,
      previousSecretExpiresAt: null,
      createdAt: T0,
      updatedAt: T0,
      ...fields,
    };
  }

  async endpoint(projectId: string, fields: Partial<StoredEndpoint> = {}): Promise<StoredEndpoint> {
    const result = await this.store.createEndpoint(this.endpointRecord(projectId, fields));
    assert.equal(result.kind, "created");
    return (result as { value: StoredEndpoint }).value;
  }

  event(projectId: string, type: string, fields: Partial<NewEvent> = {}): NewEvent {
    const id = fields.id ?? newId();
    const createdAt = fields.createdAt ?? T0;
    return {
      id,
      projectId,
      type,
      actionId: null,
      payload: JSON.stringify({ id, type, data: { note: "contract" }, timestamp: createdAt }),
      createdAt,
      ...fields,
    };
  }

  /** Publishes a new event (no idempotency key) and returns what the store answered. */
  async publish(
    projectId: string,
    type: string,
    fields: Partial<NewEvent> = {},
  ): Promise<PublishedEvent> {
    const result = await this.store.publishEvent(this.event(projectId, type, fields));
    assert.equal(result.kind, "created");
    return (result as { value: PublishedEvent }).value;
  }

  claim(now: number, fields: Partial<ClaimRequest> = {}): Promise<ClaimedDelivery[]> {
    return this.store.claimDueDeliveries({
      owner: OWNER,
      now,
      limit: 100,
      leaseMs: LEASE_MS,
      excludeEndpointIds: [],
      ...fields,
    });
  }

  /** The only delivery of an event. */
  async deliveryOf(eventId: string) {
    const deliveries = await this.store.listEventDeliveries(eventId);
    assert.equal(deliveries.length, 1, `expected one delivery of ${eventId}`);
    return deliveries[0]!;
  }

  action(projectId: string, fields: Partial<Action> = {}): Action {
    return {
      id: newId(),
      projectId,
      action: "nfts.create",
      status: "pending",
      data: { collectionId: "c-1", metadata: { name: "Token #1" } },
      resource: null,
      startedAt: T0,
      completedAt: null,
      ...fields,
    };
  }
}

/** An attempt's outcome; by default a 200 that succeeded at `at` and leaves the endpoint healthy. */
export function outcome(
  claim: ClaimedDelivery,
  at: number,
  fields: Partial<DeliveryOutcome> = {},
  attempt: Partial<DeliveryOutcome["attempt"]> = {},
): DeliveryOutcome {
  return {
    deliveryId: claim.id,
    leaseOwner: OWNER,
    attempt: {
      deliveryId: claim.id,
      number: claim.attempt,
      startedAt: at,
      durationMs: 7,
      statusCode: 200,
      responseBody: "ok",
      error: null,
      outcome: "succeeded",
      ...attempt,
    },
    status: "succeeded",
    nextAttemptAt: null,
    scheduleIndex: claim.scheduleIndex,
    endpointId: claim.endpoint.id,
    endpointEffect: { kind: "healthy" },
    publish: [],
    ...fields,
  };
}

/** A failed attempt (HTTP 500) that is retried at `nextAttemptAt`. */
export function retryOutcome(
  claim: ClaimedDelivery,
  at: number,
  nextAttemptAt: number,
  fields: Partial<DeliveryOutcome> = {},
): DeliveryOutcome {
  return outcome(
    claim,
    at,
    {
      status: "pending",
      nextAttemptAt,
      scheduleIndex: claim.scheduleIndex + 1,
      endpointEffect: { kind: "failing", since: at },
      ...fields,
    },
    { statusCode: 500, responseBody: "boom", error: "HTTP 500", outcome: "failed" },
  );
}

/** A failed attempt after which the delivery is given up (`failed`). */
export function failedOutcome(
  claim: ClaimedDelivery,
  at: number,
  fields: Partial<DeliveryOutcome> = {},
): DeliveryOutcome {
  return retryOutcome(claim, at, 0, { status: "failed", nextAttemptAt: null, ...fields });
}

export function ids(items: Array<{ id: string }>): string[] {
  return items.map((item) => item.id);
}

export function sorted(values: string[]): string[] {
  return [...values].sort();
}

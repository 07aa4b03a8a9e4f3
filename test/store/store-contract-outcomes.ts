import assert from "node:assert/strict";
import { describe } from "node:test";
import {
  failedOutcome,
  outcome,
  retryOutcome,
  T0,
  type Fixture,
  type StoreTest,
} from "./store-fixtures.js";

/** A project with one endpoint and `count` events to it, due at T0, T0 + 1, ... */
async function setup(fx: Fixture, count: number) {
  const { project } = await fx.project();
  const endpoint = await fx.endpoint(project.id);
  const events = [];
  for (let i = 0; i < count; i++) {
    events.push(
      (await fx.publish(project.id, "nfts.create.succeeded", { createdAt: T0 + i })).event,
    );
  }
  return { project, endpoint, events };
}

export function outcomesContract(storeTest: StoreTest): void {
  describe("applyDeliveryOutcomes", () => {
    storeTest("a succeeded outcome records the attempt and completes the delivery", async (fx) => {
      const { store } = fx;
      const { events } = await setup(fx, 1);
      const [claim] = await fx.claim(T0);
      await store.applyDeliveryOutcomes([
        outcome(claim!, T0 + 10, {}, { durationMs: 12, statusCode: 204, responseBody: "" }),
      ]);

      const delivery = await fx.deliveryOf(events[0]!.id);
      assert.equal(delivery.status, "succeeded");
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.lastStatusCode, 204);
      assert.equal(typeof delivery.completedAt, "number");
      assert.ok(delivery.completedAt! >= T0 + 10);
      assert.equal(delivery.attemptsList.length, 1);
      const { id, ...attempt } = delivery.attemptsList[0]!;
      assert.equal(typeof id, "number");
      assert.deepEqual(attempt, {
        deliveryId: claim!.id,
        number: 1,
        startedAt: T0 + 10,
        durationMs: 12,
        statusCode: 204,
        responseBody: "",
        error: null,
        outcome: "succeeded",
      });
      assert.deepEqual(await fx.claim(T0 + 10_000_000), [], "never claimed again");
      assert.equal(await store.nextDueAt(), null);
    });

    storeTest("a pending outcome retries at nextAttemptAt as attempt 2", async (fx) => {
      const { store } = fx;
      const { events } = await setup(fx, 1);
      const [claim] = await fx.claim(T0);
      await store.applyDeliveryOutcomes([retryOutcome(claim!, T0 + 1, T0 + 5000)]);

      const delivery = await fx.deliveryOf(events[0]!.id);
      assert.equal(delivery.status, "pending");
      assert.equal(delivery.nextAttemptAt, T0 + 5000);
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.lastStatusCode, 500);
      assert.equal(delivery.completedAt, null);
      const [attempt] = delivery.attemptsList;
      assert.deepEqual(
        [attempt?.statusCode, attempt?.responseBody, attempt?.error, attempt?.outcome],
        [500, "boom", "HTTP 500", "failed"],
      );
      assert.equal(await store.nextDueAt(), T0 + 5000);
      assert.deepEqual(await fx.claim(T0 + 4999), []);

      const [retry] = await fx.claim(T0 + 5000);
      assert.equal(retry?.id, claim!.id);
      assert.equal(retry?.attempt, 2);
      assert.equal(retry?.scheduleIndex, 1);
      await store.applyDeliveryOutcomes([failedOutcome(retry!, T0 + 5001)]);
      const failed = await fx.deliveryOf(events[0]!.id);
      assert.equal(failed.status, "failed");
      assert.equal(failed.attempts, 2);
      assert.notEqual(failed.completedAt, null);
      assert.deepEqual(
        failed.attemptsList.map((a) => a.number),
        [1, 2],
      );
    });

    storeTest("failing sets failingSince only the first time; healthy clears it", async (fx) => {
      const { store } = fx;
      const { project, endpoint } = await setup(fx, 3);
      const [c1, c2, c3] = await fx.claim(T0 + 2);
      await store.applyDeliveryOutcomes([retryOutcome(c1!, T0 + 10, T0 + 100)]);
      assert.equal((await store.getEndpoint(project.id, endpoint.id))?.failingSince, T0 + 10);

      const later = { endpointEffect: { kind: "failing" as const, since: T0 + 20 } };
      await store.applyDeliveryOutcomes([retryOutcome(c2!, T0 + 20, T0 + 100, later)]);
      assert.equal((await store.getEndpoint(project.id, endpoint.id))?.failingSince, T0 + 10);
      const [retried] = await fx.claim(T0 + 100, { limit: 1 });
      assert.equal(retried?.endpoint.failingSince, T0 + 10, "claims carry failingSince");

      await store.applyDeliveryOutcomes([outcome(c3!, T0 + 30)]);
      assert.equal((await store.getEndpoint(project.id, endpoint.id))?.failingSince, null);
    });

    storeTest("disable disables, pauses the rest and publishes its event once", async (fx) => {
      const { store } = fx;
      const { project, endpoint, events } = await setup(fx, 3);
      const watcher = await fx.endpoint(project.id, { eventTypes: ["endpoint.disabled"] });
      const [c1, c2] = await fx.claim(T0 + 1);
      assert.deepEqual([c1?.eventId, c2?.eventId], [events[0]!.id, events[1]!.id]);
      const disable = (at: number) => ({
        endpointEffect: {
          kind: "disable" as const,
          reason: "410 Gone",
          event: fx.event(project.id, "endpoint.disabled", {
            createdAt: at,
            excludeEndpointId: endpoint.id,
          }),
        },
      });
      const first = disable(T0 + 10);
      await store.applyDeliveryOutcomes([
        failedOutcome(c1!, T0 + 10, first),
        failedOutcome(c2!, T0 + 11, disable(T0 + 11)),
      ]);

      const after = await store.getEndpoint(project.id, endpoint.id);
      assert.equal(after?.enabled, false);
      assert.equal(after?.disabledReason, "410 Gone");
      const statuses = await store.listEndpointDeliveries(
        project.id,
        endpoint.id,
        {},
        { limit: 9 },
      );
      assert.deepEqual(
        statuses.data.map((d) => [d.eventId, d.status]),
        [
          [events[2]!.id, "paused"],
          [events[1]!.id, "failed"],
          [events[0]!.id, "failed"],
        ],
      );
      const notices = await store.listEvents(
        project.id,
        { type: "endpoint.disabled" },
        { limit: 9 },
      );
      assert.deepEqual(
        notices.data.map((e) => e.id),
        [first.endpointEffect.event.id],
      );
      const [notice] = await fx.claim(T0 + 12);
      assert.equal(notice?.endpoint.id, watcher.id);
      assert.equal(notice?.eventId, first.endpointEffect.event.id);
      assert.deepEqual(await fx.claim(T0 + 12), []);
    });

    storeTest("publish events (delivery.exhausted) are written with their fan-out", async (fx) => {
      const { store } = fx;
      const { project, endpoint } = await setup(fx, 1);
      const watcher = await fx.endpoint(project.id, { eventTypes: ["delivery.*"] });
      const [claim] = await fx.claim(T0);
      const exhausted = fx.event(project.id, "delivery.exhausted", {
        createdAt: T0 + 5,
        excludeEndpointId: endpoint.id,
      });
      await store.applyDeliveryOutcomes([failedOutcome(claim!, T0 + 5, { publish: [exhausted] })]);

      assert.deepEqual(await store.getEvent(project.id, exhausted.id), {
        id: exhausted.id,
        projectId: project.id,
        type: "delivery.exhausted",
        actionId: null,
        payload: exhausted.payload,
        createdAt: T0 + 5,
      });
      const delivery = await fx.deliveryOf(exhausted.id);
      assert.equal(delivery.endpointId, watcher.id);
      assert.equal(delivery.status, "pending");
    });

    storeTest("an outcome after its lease was taken (resend) leaves the status", async (fx) => {
      const { store } = fx;
      const { project, events } = await setup(fx, 1);
      await fx.endpoint(project.id, { eventTypes: ["delivery.*"] });
      const [claim] = await fx.claim(T0);
      assert.equal(await store.resendEvent(project.id, events[0]!.id, null, T0 + 100), 1);
      const exhausted = fx.event(project.id, "delivery.exhausted", { createdAt: T0 + 5 });
      await store.applyDeliveryOutcomes([failedOutcome(claim!, T0 + 5, { publish: [exhausted] })]);

      const delivery = await fx.deliveryOf(events[0]!.id);
      assert.equal(delivery.status, "pending");
      assert.equal(delivery.nextAttemptAt, T0 + 100);
      assert.equal(delivery.completedAt, null);
      assert.equal(delivery.attempts, 1);
      assert.deepEqual(
        delivery.attemptsList.map((a) => [a.number, a.outcome]),
        [[1, "failed"]],
      );
      assert.equal(await store.getEvent(project.id, exhausted.id), null, "not exhausted after all");
      const [next] = await fx.claim(T0 + 100);
      assert.deepEqual([next?.id, next?.attempt], [claim!.id, 2]);
    });

    storeTest("an outcome with another leaseOwner only records the attempt", async (fx) => {
      const { store } = fx;
      const { events } = await setup(fx, 1);
      const [claim] = await fx.claim(T0);
      await store.applyDeliveryOutcomes([outcome(claim!, T0 + 1, { leaseOwner: "worker-z" })]);
      const delivery = await fx.deliveryOf(events[0]!.id);
      assert.equal(delivery.status, "pending");
      assert.equal(delivery.attemptsList.length, 1);
    });

    storeTest("an outcome for a delivery whose endpoint was deleted does not throw", async (fx) => {
      const { store } = fx;
      const { project, endpoint, events } = await setup(fx, 1);
      const survivor = await fx.endpoint(project.id, { eventTypes: ["type.other"] });
      const { event: other } = await fx.publish(project.id, "type.other", { createdAt: T0 + 1 });
      const claims = await fx.claim(T0 + 1);
      const orphan = claims.find((c) => c.endpoint.id === endpoint.id)!;
      const live = claims.find((c) => c.endpoint.id === survivor.id)!;
      assert.equal(await store.deleteEndpoint(project.id, endpoint.id), true);

      await store.applyDeliveryOutcomes([
        failedOutcome(orphan, T0 + 2, {
          endpointEffect: {
            kind: "disable",
            reason: "410 Gone",
            event: fx.event(project.id, "endpoint.disabled", { createdAt: T0 + 2 }),
          },
          publish: [fx.event(project.id, "delivery.exhausted", { createdAt: T0 + 2 })],
        }),
        outcome(live, T0 + 2),
      ]);
      assert.deepEqual(await store.listEventDeliveries(events[0]!.id), []);
      assert.equal((await fx.deliveryOf(other.id)).status, "succeeded", "the batch still applies");
    });
  });
}

import assert from "node:assert/strict";
import { describe } from "node:test";
import { failedOutcome, ids, outcome, T0, type StoreTest } from "./store-fixtures.js";

export function deliveriesContract(storeTest: StoreTest): void {
  describe("resendEvent", () => {
    storeTest("a failed delivery becomes pending, due at `at`, schedule reset", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      const { event } = await fx.publish(project.id, "nfts.create.succeeded");
      const [claim] = await fx.claim(T0);
      await store.applyDeliveryOutcomes([failedOutcome(claim!, T0 + 1, { scheduleIndex: 4 })]);
      const failed = await fx.deliveryOf(event.id);
      assert.equal(failed.status, "failed");
      assert.equal(await store.nextDueAt(), null);

      assert.equal(await store.resendEvent(project.id, event.id, null, T0 + 1000), 1);
      const resent = await fx.deliveryOf(event.id);
      assert.equal(resent.status, "pending");
      assert.equal(resent.nextAttemptAt, T0 + 1000);
      assert.equal(resent.completedAt, null);
      assert.equal(resent.attempts, 1);
      assert.deepEqual(await fx.claim(T0 + 999), []);
      const [again] = await fx.claim(T0 + 1000);
      assert.equal(again?.id, claim!.id);
      assert.equal(again?.attempt, 2, "attempt numbers continue across resends");
      assert.equal(again?.scheduleIndex, 0);
    });

    storeTest("with an endpoint that had no delivery of the event, creates one", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const subscribed = await fx.endpoint(project.id, { eventTypes: ["nfts.*"] });
      const late = await fx.endpoint(project.id, { eventTypes: ["wallets.*"] });
      const { event } = await fx.publish(project.id, "nfts.create.succeeded");

      assert.equal(await store.resendEvent(project.id, event.id, late.id, T0 + 100), 1);
      assert.equal(await store.resendEvent(project.id, event.id, subscribed.id, T0 + 100), 1);
      const deliveries = await store.listEventDeliveries(event.id);
      assert.equal(deliveries.length, 2, "one delivery per endpoint, never two");
      const claims = await fx.claim(T0 + 100);
      const lateClaim = claims.find((c) => c.endpoint.id === late.id);
      assert.equal(claims.length, 2);
      assert.equal(lateClaim?.eventId, event.id);
      assert.equal(lateClaim?.payload, event.payload);
      assert.equal(lateClaim?.attempt, 1);
    });

    storeTest("an unknown event or another project's endpoint or event gives null", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      await fx.endpoint(project.id);
      const theirEndpoint = await fx.endpoint(other.id);
      const { event } = await fx.publish(project.id, "nfts.create.succeeded");

      assert.equal(await store.resendEvent(project.id, "no-such-event", null, T0 + 1), null);
      assert.equal(await store.resendEvent(project.id, event.id, theirEndpoint.id, T0 + 1), null);
      assert.equal(await store.resendEvent(project.id, event.id, "no-such-endpoint", T0 + 1), null);
      assert.equal(await store.resendEvent(other.id, event.id, null, T0 + 1), null);
      assert.equal((await store.listEventDeliveries(event.id)).length, 1);
    });

    storeTest("to a disabled endpoint, the delivery is paused", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const endpoint = await fx.endpoint(project.id);
      const { event } = await fx.publish(project.id, "nfts.create.succeeded");
      const [claim] = await fx.claim(T0);
      await store.applyDeliveryOutcomes([failedOutcome(claim!, T0 + 1)]);
      await store.updateEndpoint(project.id, endpoint.id, { enabled: false }, T0 + 2);

      assert.equal(await store.resendEvent(project.id, event.id, endpoint.id, T0 + 3), 1);
      assert.equal((await fx.deliveryOf(event.id)).status, "paused");
      assert.deepEqual(await fx.claim(T0 + 3), []);
      await store.updateEndpoint(project.id, endpoint.id, { enabled: true }, T0 + 4);
      assert.equal((await fx.claim(T0 + 4))[0]?.id, claim!.id);
    });

    storeTest("creating a delivery to a disabled endpoint leaves it paused", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { event } = await fx.publish(project.id, "nfts.create.succeeded");
      const off = await fx.endpoint(project.id, { enabled: false, disabledReason: "off" });

      assert.equal(await store.resendEvent(project.id, event.id, off.id, T0 + 3), 1);
      assert.equal((await fx.deliveryOf(event.id)).status, "paused");
      assert.deepEqual(await fx.claim(T0 + 3), []);
    });
  });

  describe("listEndpointDeliveries and listDeliveryAttempts", () => {
    storeTest("newest first, filtered by status and type, only the project's", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const endpoint = await fx.endpoint(project.id);
      const neighbour = await fx.endpoint(project.id);
      const types = ["type.a", "type.b", "type.a", "type.b"];
      const events = [];
      for (const [i, type] of types.entries()) {
        events.push((await fx.publish(project.id, type, { createdAt: T0 + i })).event);
      }
      const [first] = await fx.claim(T0, { excludeEndpointIds: [neighbour.id], limit: 1 });
      assert.equal(first?.eventId, events[0]!.id);
      await store.applyDeliveryOutcomes([outcome(first!, T0 + 1)]);

      const list = (filter: { status?: "succeeded" | "pending"; type?: string }) =>
        store
          .listEndpointDeliveries(project.id, endpoint.id, filter, { limit: 10 })
          .then((page) => page.data.map((d) => d.eventId));
      const [e0, e1, e2, e3] = ids(events);
      assert.deepEqual(await list({}), [e3, e2, e1, e0]);
      assert.deepEqual(await list({ type: "type.a" }), [e2, e0]);
      assert.deepEqual(await list({ status: "succeeded" }), [e0]);
      assert.deepEqual(await list({ status: "pending", type: "type.a" }), [e2]);
      const page = await store.listEndpointDeliveries(project.id, endpoint.id, {}, { limit: 10 });
      assert.ok(page.data.every((d) => d.endpointId === endpoint.id));
      const foreign = await store.listEndpointDeliveries(other.id, endpoint.id, {}, { limit: 10 });
      assert.deepEqual(foreign.data, []);
    });

    storeTest("pages with a cursor", async (fx) => {
      const { project } = await fx.project();
      const endpoint = await fx.endpoint(project.id);
      const events: string[] = [];
      for (let i = 0; i < 5; i++) {
        events.push((await fx.publish(project.id, "type.a", { createdAt: T0 + i })).event.id);
      }
      const pages: string[][] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await fx.store.listEndpointDeliveries(
          project.id,
          endpoint.id,
          {},
          { cursor, limit: 2 },
        );
        pages.push(page.data.map((d) => d.eventId));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
        assert.ok(pages.length < 10, "pagination terminates");
      }
      const [e0, e1, e2, e3, e4] = events;
      assert.deepEqual(pages, [[e4, e3], [e2, e1], [e0]]);
    });

    storeTest("listDeliveryAttempts: the attempts; null for another project", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      await fx.endpoint(project.id);
      const { event } = await fx.publish(project.id, "nfts.create.succeeded");
      const delivery = await fx.deliveryOf(event.id);
      assert.deepEqual(await store.listDeliveryAttempts(project.id, delivery.id), []);

      const [claim] = await fx.claim(T0);
      await store.applyDeliveryOutcomes([outcome(claim!, T0 + 1)]);
      const attempts = await store.listDeliveryAttempts(project.id, delivery.id);
      assert.deepEqual(
        attempts?.map((a) => [a.deliveryId, a.number, a.statusCode, a.outcome]),
        [[delivery.id, 1, 200, "succeeded"]],
      );
      assert.equal(await store.listDeliveryAttempts(other.id, delivery.id), null);
      assert.equal(await store.listDeliveryAttempts(project.id, "no-such-delivery"), null);
    });
  });
}

import assert from "node:assert/strict";
import { describe } from "node:test";
import { failedOutcome, outcome, T0, type Fixture, type StoreTest } from "./store-fixtures.js";

const MINUTE = 60_000;

/** A project, an endpoint and `count` events to it created at T0, T0 + 1 min, ... */
async function setup(fx: Fixture, count: number) {
  const { project } = await fx.project();
  const endpoint = await fx.endpoint(project.id);
  const events = [];
  for (let i = 0; i < count; i++) {
    const createdAt = T0 + i * MINUTE;
    events.push((await fx.publish(project.id, "nfts.create.succeeded", { createdAt })).event);
  }
  return { project, endpoint, events };
}

export function activityContract(storeTest: StoreTest): void {
  describe("endpoint activity", () => {
    storeTest(
      "resendFailedDeliveries: failed since the time are due again, others stay",
      async (fx) => {
        const { store } = fx;
        const { project, endpoint, events } = await setup(fx, 3);
        const other = await fx.endpoint(project.id);
        await fx.publish(project.id, "nfts.create.succeeded", { createdAt: T0 + 5 * MINUTE });
        const claims = await fx.claim(T0 + 10 * MINUTE);
        const at = T0 + 10 * MINUTE;
        // Every delivery fails, on both endpoints.
        await store.applyDeliveryOutcomes(claims.map((c) => failedOutcome(c, at)));

        const resent = await store.resendFailedDeliveries(
          project.id,
          endpoint.id,
          T0 + MINUTE,
          T0 + 20 * MINUTE,
        );
        assert.equal(resent, 3, "events 2 and 3, and the fourth event's delivery to this endpoint");
        assert.equal((await fx.deliveryOf(events[0]!.id)).status, "failed");
        for (const event of events.slice(1)) {
          const delivery = await fx.deliveryOf(event.id);
          assert.equal(delivery.status, "pending");
          assert.equal(delivery.nextAttemptAt, T0 + 20 * MINUTE);
          assert.equal(delivery.completedAt, null);
        }
        const page = await store.listEndpointDeliveries(project.id, other.id, {}, { limit: 10 });
        assert.deepEqual(
          page.data.map((d) => d.status),
          ["failed"],
          "the other endpoint's failure stays",
        );
        const again = await fx.claim(T0 + 20 * MINUTE);
        assert.equal(again.length, 3);
        assert.ok(
          again.every((c) => c.attempt === 2),
          "attempt numbers continue",
        );
      },
    );

    storeTest(
      "resendFailedDeliveries: another project's endpoint is null; disabled pauses",
      async (fx) => {
        const { store } = fx;
        const { project, endpoint, events } = await setup(fx, 1);
        const stranger = await fx.project();
        assert.equal(
          await store.resendFailedDeliveries(stranger.project.id, endpoint.id, 0, T0),
          null,
        );
        const [claim] = await fx.claim(T0);
        await store.applyDeliveryOutcomes([failedOutcome(claim!, T0)]);
        await store.updateEndpoint(project.id, endpoint.id, { enabled: false }, T0 + 1);
        assert.equal(await store.resendFailedDeliveries(project.id, endpoint.id, 0, T0 + 2), 1);
        assert.equal((await fx.deliveryOf(events[0]!.id)).status, "paused");
      },
    );

    storeTest("endpointAttemptStats counts attempts per bucket from `from`", async (fx) => {
      const { store } = fx;
      const { project, endpoint } = await setup(fx, 4);
      const other = await fx.endpoint(project.id);
      const claims = (await fx.claim(T0 + 10 * MINUTE)).filter(
        (c) => c.endpoint.id === endpoint.id,
      );
      assert.equal(claims.length, 4);
      const from = T0 + 10 * MINUTE;
      await store.applyDeliveryOutcomes([
        outcome(claims[0]!, from + 1_000, {}, { durationMs: 10 }),
        outcome(claims[1]!, from + 2_000, {}, { durationMs: 30 }),
        failedOutcome(claims[2]!, from + 5 * MINUTE + 1),
        outcome(claims[3]!, from - 1, {}, { durationMs: 999 }),
      ]);
      const buckets = await store.endpointAttemptStats(endpoint.id, from, 5 * MINUTE);
      assert.deepEqual(buckets, [
        { bucket: 0, succeeded: 2, failed: 0, totalMs: 40, maxMs: 30 },
        { bucket: 1, succeeded: 0, failed: 1, totalMs: 7, maxMs: 7 },
      ]);
      assert.deepEqual(await store.endpointAttemptStats(other.id, from, 5 * MINUTE), []);
    });
  });
}

import assert from "node:assert/strict";
import { describe } from "node:test";
import { ids, outcome, OWNER, sorted, T0, type StoreTest } from "./store-fixtures.js";

export function queueContract(storeTest: StoreTest): void {
  describe("the dispatcher's queue", () => {
    storeTest("claimDueDeliveries returns due deliveries with payload and endpoint", async (fx) => {
      const { project } = await fx.project();
      const endpoint = await fx.endpoint(project.id, { rateLimit: 3, format: "original" });
      const { event } = await fx.publish(project.id, "nfts.create.succeeded", {
        createdAt: T0 + 5,
      });
      const delivery = await fx.deliveryOf(event.id);

      assert.deepEqual(await fx.claim(T0 + 4), [], "not due before the event's time");
      assert.deepEqual(await fx.claim(T0 + 5), [
        {
          id: delivery.id,
          eventId: event.id,
          projectId: project.id,
          eventType: "nfts.create.succeeded",
          payload: event.payload,
          attempt: 1,
          scheduleIndex: 0,
          endpoint: {
            id: endpoint.id,
            url: endpoint.url,
            destinationType: "https",
            destinationEnc: null,
            secretEnc: endpoint.secretEnc,
            previousSecretEnc: null,
            previousSecretExpiresAt: null,
            failingSince: null,
            quietUntil: null,
            rateLimit: 3,
            format: "original",
          },
        },
      ]);
    });

    storeTest("an event's traceparent is stored, and claimed with its deliveries", async (fx) => {
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      const traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      const { event } = await fx.publish(project.id, "order.paid", { traceParent });
      assert.deepEqual(await fx.store.getEvent(project.id, event.id), event);
      assert.equal((await fx.store.getEvent(project.id, event.id))?.traceParent, traceParent);
      const [claimed] = await fx.claim(T0);
      assert.equal(claimed?.traceParent, traceParent);
      const untraced = await fx.publish(project.id, "order.paid", { createdAt: T0 + 1 });
      const [plain] = await fx.claim(T0 + 1);
      assert.equal(plain?.eventId, untraced.event.id);
      assert.equal(plain?.traceParent, undefined, "none without tracing");
    });

    storeTest(
      "a quiet endpoint: new deliveries are born parked; a test send is not",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const quiet = await fx.endpoint(project.id);
        const other = await fx.endpoint(project.id);
        await store.quietEndpoint(quiet.id, T0 + 1000);
        await store.quietEndpoint(quiet.id, T0 + 500); // never shortened
        const { event } = await fx.publish(project.id, "nfts.create.succeeded", { createdAt: T0 });
        const due = await fx.claim(T0);
        assert.deepEqual(
          due.map((c) => c.endpoint.id),
          [other.id],
          "the quiet endpoint's delivery waits in the store",
        );
        const parked = (await store.listEventDeliveries(event.id)).find(
          (d) => d.endpointId === quiet.id,
        )!;
        assert.ok(parked.nextAttemptAt! >= T0 + 1000, "due when the quiet time ends, or after");
        const [probe] = await fx.claim(T0 + 4000);
        assert.equal(probe?.endpoint.id, quiet.id);
        assert.equal(probe?.endpoint.quietUntil, T0 + 1000);

        const test = await fx.publish(project.id, "nfts.create.succeeded", {
          createdAt: T0 + 1,
          onlyEndpointId: quiet.id,
        });
        assert.equal((await fx.deliveryOf(test.event.id)).nextAttemptAt, T0 + 1);
      },
    );

    storeTest("parked deliveries come due at once when the endpoint answers again", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const endpoint = await fx.endpoint(project.id);
      for (let i = 0; i < 3; i++) await fx.publish(project.id, "nfts.create.succeeded");
      const [first, ...rest] = await fx.claim(T0);
      assert.equal(rest.length, 2);
      await store.parkDeliveries(
        rest.map((c) => ({ id: c.id, until: T0 + 3_600_000 })),
        OWNER,
      );
      // A parked delivery is not leased any more: another owner's park does nothing.
      await store.parkDeliveries([{ id: rest[0]!.id, until: T0 + 1 }], "worker-b");
      const failing = { kind: "failing" as const, since: T0 + 1, quietUntil: T0 + 60_000 };
      await store.applyDeliveryOutcomes([
        outcome(first!, T0 + 1, {
          status: "pending",
          nextAttemptAt: T0 + 5,
          endpointEffect: failing,
        }),
      ]);
      const retries = await fx.claim(T0 + 10);
      assert.deepEqual(ids(retries), [first!.id], "only the retry is due");
      assert.equal((await store.getEndpoint(project.id, endpoint.id))?.failingSince, T0 + 1);

      // The retry succeeds: the endpoint is healthy, no longer quiet, and what was parked is due.
      await store.applyDeliveryOutcomes([outcome(retries[0]!, T0 + 20)]);
      const due = await fx.claim(T0 + 30);
      assert.deepEqual(sorted(ids(due)), sorted(ids(rest)));
      assert.equal(due[0]!.endpoint.quietUntil, null);
    });

    storeTest("a claimed delivery is leased until now + leaseMs", async (fx) => {
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      await fx.publish(project.id, "nfts.create.succeeded");

      const [claim] = await fx.claim(T0, { leaseMs: 30_000 });
      assert.ok(claim);
      assert.deepEqual(await fx.claim(T0 + 1, { owner: "worker-b" }), []);
      assert.deepEqual(await fx.claim(T0 + 29_999, { owner: "worker-b" }), []);
      const reclaimed = await fx.claim(T0 + 30_000, { owner: "worker-b" });
      assert.deepEqual(
        reclaimed.map((c) => [c.id, c.attempt]),
        [[claim.id, 1]],
        "an expired lease without an outcome makes the same attempt again",
      );
    });

    storeTest("excludeEndpointIds and limit are respected; due order", async (fx) => {
      const { project } = await fx.project();
      const busy = await fx.endpoint(project.id);
      const free = await fx.endpoint(project.id, { eventTypes: ["type.free"] });
      // Published out of due order, so ids and due times disagree.
      const dueTimes = [T0 + 20, T0 + 10, T0 + 30, T0 + 15];
      const events = [];
      for (const createdAt of dueTimes) {
        events.push((await fx.publish(project.id, "type.free", { createdAt })).event);
      }

      const notBusy = await fx.claim(T0 + 100, { excludeEndpointIds: [busy.id], limit: 2 });
      assert.deepEqual(
        notBusy.map((c) => [c.endpoint.id, c.eventId]),
        [
          [free.id, events[1]!.id],
          [free.id, events[3]!.id],
        ],
      );
      const rest = await fx.claim(T0 + 100, { excludeEndpointIds: [free.id] });
      assert.deepEqual(
        rest.map((c) => c.eventId),
        [events[1]!.id, events[3]!.id, events[0]!.id, events[2]!.id],
      );
      const last = await fx.claim(T0 + 100);
      assert.deepEqual(
        last.map((c) => [c.endpoint.id, c.eventId]),
        [
          [free.id, events[0]!.id],
          [free.id, events[2]!.id],
        ],
      );
      assert.deepEqual(await fx.claim(T0 + 100), []);
    });

    storeTest("nextDueAt is the earliest due time or lease expiry", async (fx) => {
      const { store } = fx;
      assert.equal(await store.nextDueAt(), null);
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      await fx.publish(project.id, "type.a", { createdAt: T0 + 50 });
      await fx.publish(project.id, "type.a", { createdAt: T0 + 20 });
      assert.equal(await store.nextDueAt(), T0 + 20);

      const [early] = await fx.claim(T0 + 20, { limit: 1, leaseMs: 1000 });
      assert.equal(await store.nextDueAt(), T0 + 50);
      const [late] = await fx.claim(T0 + 50, { leaseMs: 1000 });
      assert.equal(await store.nextDueAt(), T0 + 1020);

      await store.applyDeliveryOutcomes([outcome(early!, T0 + 60), outcome(late!, T0 + 60)]);
      assert.equal(await store.nextDueAt(), null);
    });

    storeTest("releaseDeliveries by the lease owner makes them due at dueAt", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      await fx.publish(project.id, "type.a", { createdAt: T0 });
      await fx.publish(project.id, "type.a", { createdAt: T0 + 1 });
      const claims = await fx.claim(T0 + 1);
      const claimIds = claims.map((c) => c.id);
      assert.equal(claims.length, 2);

      await store.releaseDeliveries(claimIds, "worker-b", T0 + 5);
      assert.deepEqual(await fx.claim(T0 + 5, { owner: "worker-b" }), [], "not the owner");

      await store.releaseDeliveries(claimIds, OWNER, T0 + 5);
      assert.deepEqual(await fx.claim(T0 + 4, { owner: "worker-b" }), []);
      assert.equal(await store.nextDueAt(), T0 + 5);
      const reclaimed = await fx.claim(T0 + 5, { owner: "worker-b" });
      assert.deepEqual(reclaimed.map((c) => c.id).sort(), [...claimIds].sort());
      assert.ok(
        reclaimed.every((c) => c.attempt === 1),
        "a release is not an attempt",
      );
    });

    storeTest("releaseAllLeases makes leased ones due now and counts them", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      for (let i = 0; i < 3; i++) await fx.publish(project.id, "type.a", { createdAt: T0 + i });
      assert.equal(await store.releaseAllLeases(T0 + 3), 0);

      // Leases last LEASE_MS: none of these expires on its own during the test.
      const leased = await fx.claim(T0 + 1);
      assert.equal(leased.length, 2);
      assert.equal((await fx.claim(T0 + 10, { owner: "worker-b" })).length, 1);
      assert.equal(await store.releaseAllLeases(T0 + 20), 3);
      assert.equal(await store.nextDueAt(), T0 + 20);
      assert.equal((await fx.claim(T0 + 20, { owner: "worker-c" })).length, 3);
    });
  });
}

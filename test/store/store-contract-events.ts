import assert from "node:assert/strict";
import { describe } from "node:test";
import type { EventRecord, PublishedEvent } from "../../src/core/interfaces.js";
import { ids, sorted, T0, type Fixture, type StoreTest } from "./store-fixtures.js";

export function eventsContract(storeTest: StoreTest): void {
  describe("publishEvent", () => {
    storeTest("fans out to every enabled endpoint whose eventTypes match", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const all = await fx.endpoint(project.id, { eventTypes: null });
      const exact = await fx.endpoint(project.id, { eventTypes: ["nfts.create.succeeded"] });
      const prefix = await fx.endpoint(project.id, { eventTypes: ["wallets.*", "nfts.*"] });
      const wallets = await fx.endpoint(project.id, { eventTypes: ["wallets.create.succeeded"] });
      await fx.endpoint(project.id, { eventTypes: ["nfts.create.failed", "collections.*"] });
      await fx.endpoint(project.id, { enabled: false, disabledReason: "off" });
      await fx.endpoint(other.id, { eventTypes: null });

      const event = fx.event(project.id, "nfts.create.succeeded", { createdAt: T0 + 1 });
      const result = await store.publishEvent(event);
      assert.deepEqual(result, { kind: "created", value: { event, deliveries: 3 } });
      assert.deepEqual(await store.getEvent(project.id, event.id), event);

      const deliveries = await store.listEventDeliveries(event.id);
      assert.deepEqual(
        sorted(deliveries.map((d) => d.endpointId)),
        sorted(ids([all, exact, prefix])),
      );
      for (const d of deliveries) {
        assert.equal(d.eventId, event.id);
        assert.equal(d.projectId, project.id);
        assert.equal(d.eventType, "nfts.create.succeeded");
        assert.equal(d.status, "pending");
        assert.equal(d.attempts, 0);
        assert.equal(d.nextAttemptAt, T0 + 1);
        assert.equal(d.completedAt, null);
        assert.deepEqual(d.attemptsList, []);
      }

      const wallet = await fx.publish(project.id, "wallets.create.succeeded");
      const walletTargets = (await store.listEventDeliveries(wallet.event.id)).map(
        (d) => d.endpointId,
      );
      assert.equal(wallet.deliveries, 3);
      assert.deepEqual(sorted(walletTargets), sorted(ids([all, prefix, wallets])));
    });

    storeTest("onlyEndpointId delivers to exactly that endpoint", async (fx) => {
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      const target = await fx.endpoint(project.id, { eventTypes: ["something.else"] });
      const published = await fx.publish(project.id, "nfts.create.succeeded", {
        onlyEndpointId: target.id,
      });
      assert.equal(published.deliveries, 1);
      assert.equal((await fx.deliveryOf(published.event.id)).endpointId, target.id);
    });

    storeTest("excludeEndpointId skips that endpoint", async (fx) => {
      const { project } = await fx.project();
      const skipped = await fx.endpoint(project.id);
      const kept = await fx.endpoint(project.id);
      const published = await fx.publish(project.id, "endpoint.disabled", {
        excludeEndpointId: skipped.id,
      });
      assert.equal(published.deliveries, 1);
      assert.equal((await fx.deliveryOf(published.event.id)).endpointId, kept.id);
    });

    storeTest("idempotency: same key replays the first event, no second fan-out", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      await fx.endpoint(project.id);
      const key = { key: "publish-1", requestHash: "hash-a" };
      const first = fx.event(project.id, "nfts.create.succeeded");
      const created = await store.publishEvent(first, key);
      assert.deepEqual(created, { kind: "created", value: { event: first, deliveries: 2 } });

      const second = fx.event(project.id, "nfts.create.succeeded", { createdAt: T0 + 1 });
      const replayed = await store.publishEvent(second, key);
      assert.deepEqual(replayed, { kind: "replayed", value: { event: first, deliveries: 2 } });
      assert.equal((await store.listEventDeliveries(first.id)).length, 2);
      assert.equal(await store.getEvent(project.id, second.id), null);

      const third = fx.event(project.id, "nfts.create.failed", { createdAt: T0 + 2 });
      assert.deepEqual(await store.publishEvent(third, { ...key, requestHash: "hash-b" }), {
        kind: "conflict",
      });
      assert.equal(await store.getEvent(project.id, third.id), null);
      assert.deepEqual(ids((await store.listEvents(project.id, {}, { limit: 10 })).data), [
        first.id,
      ]);
      assert.equal((await fx.claim(T0 + 10)).length, 2);
    });

    storeTest("publishEvents is all or nothing when a key conflicts", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      await fx.endpoint(project.id);
      const used = { key: "used", requestHash: "hash-a" };
      const original = fx.event(project.id, "type.a");
      await store.publishEvent(original, used);

      const fresh = fx.event(project.id, "type.a", { createdAt: T0 + 1 });
      const clash = fx.event(project.id, "type.a", { createdAt: T0 + 2 });
      const failed = await store.publishEvents([
        { event: fresh },
        { event: clash, idempotency: { ...used, requestHash: "hash-b" } },
      ]);
      assert.deepEqual(failed, { conflictAt: 1 });
      assert.equal(await store.getEvent(project.id, fresh.id), null, "rolled back");

      const ok = await store.publishEvents([{ event: fresh }, { event: clash, idempotency: used }]);
      assert.deepEqual(ok, [
        { kind: "created", value: { event: fresh, deliveries: 1 } },
        { kind: "replayed", value: { event: original, deliveries: 1 } },
      ]);
      assert.equal(await store.getEvent(project.id, clash.id), null);
    });

    storeTest("getEvent of another project's event returns null", async (fx) => {
      const { project: mine } = await fx.project();
      const { project: theirs } = await fx.project();
      const { event } = await fx.publish(theirs.id, "nfts.create.succeeded");
      assert.equal(await fx.store.getEvent(mine.id, event.id), null);
      assert.equal(await fx.store.getEvent(theirs.id, "no-such-event"), null);
      assert.deepEqual(await fx.store.getEvent(theirs.id, event.id), event);
    });
  });

  describe("listEvents", () => {
    /** Events of types a, b, a, b, a at T0, T0+10, ... T0+40, published oldest first. */
    async function fiveEvents(fx: Fixture, projectId: string) {
      const published: EventRecord[] = [];
      for (let i = 0; i < 5; i++) {
        const type = i % 2 === 0 ? "type.a" : "type.b";
        const result: PublishedEvent = await fx.publish(projectId, type, {
          createdAt: T0 + i * 10,
        });
        published.push(result.event);
      }
      return published;
    }

    storeTest("lists newest first, only the project's, filtered by type", async (fx) => {
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      await fx.publish(other.id, "type.a", { createdAt: T0 + 5 });
      const [e0, e1, e2, e3, e4] = await fiveEvents(fx, project.id);

      const all = await fx.store.listEvents(project.id, {}, { limit: 10 });
      assert.deepEqual(all, { data: [e4, e3, e2, e1, e0], nextCursor: null });
      const onlyB = await fx.store.listEvents(project.id, { type: "type.b" }, { limit: 10 });
      assert.deepEqual(ids(onlyB.data), ids([e3!, e1!]));
      const none = await fx.store.listEvents(project.id, { type: "type.c" }, { limit: 10 });
      assert.deepEqual(none, { data: [], nextCursor: null });
    });

    storeTest("since is inclusive, until exclusive", async (fx) => {
      const { project } = await fx.project();
      const [e0, e1, e2, e3, e4] = await fiveEvents(fx, project.id);
      const list = (filter: { type?: string; since?: number; until?: number }) =>
        fx.store.listEvents(project.id, filter, { limit: 10 }).then((page) => ids(page.data));

      assert.deepEqual(await list({ since: T0 + 10, until: T0 + 30 }), ids([e2!, e1!]));
      assert.deepEqual(await list({ since: T0 + 25 }), ids([e4!, e3!]));
      assert.deepEqual(await list({ until: T0 + 10 }), ids([e0!]));
      assert.deepEqual(
        await list({ type: "type.a", since: T0 + 1, until: T0 + 41 }),
        ids([e4!, e2!]),
      );
    });

    storeTest("pages with a cursor", async (fx) => {
      const { project } = await fx.project();
      const events = await fiveEvents(fx, project.id);
      const seen: string[][] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await fx.store.listEvents(project.id, {}, { cursor, limit: 2 });
        seen.push(ids(page.data));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
        assert.ok(seen.length < 10, "pagination terminates");
      }
      assert.deepEqual(seen, [
        ids([events[4]!, events[3]!]),
        ids([events[2]!, events[1]!]),
        ids([events[0]!]),
      ]);

      // The cursor combines with a filter.
      const firstA = await fx.store.listEvents(project.id, { type: "type.a" }, { limit: 1 });
      assert.ok(firstA.nextCursor !== null);
      const nextA = await fx.store.listEvents(
        project.id,
        { type: "type.a" },
        { cursor: firstA.nextCursor, limit: 5 },
      );
      assert.deepEqual(ids(nextA.data), ids([events[2]!, events[0]!]));
    });
  });
}

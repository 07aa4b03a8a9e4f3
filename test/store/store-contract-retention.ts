import assert from "node:assert/strict";
import { v7 as uuidv7 } from "uuid";
import { pruneCutoffs, type RetentionStore } from "../../src/core/runtime/retention.js";
import { T0, outcome, type StoreTest } from "./store-fixtures.js";

const DAY = 24 * 60 * 60 * 1000;
const RETENTION = 30 * DAY;
const NOW = T0 + 100 * DAY;
const old = (days: number) => uuidv7({ msecs: NOW - days * DAY });

export function retentionContract(test: StoreTest): void {
  test("retention: old finished events go with their deliveries and attempts; pending ones stay", async (fx) => {
    const store = fx.store as typeof fx.store & RetentionStore;
    const { project } = await fx.project();
    const endpoint = await fx.endpoint(project.id);
    const finished = await fx.publish(project.id, "a.b", { id: old(40) });
    const stillPending = await fx.publish(project.id, "a.b", { id: old(45) });
    const recent = await fx.publish(project.id, "a.b", { id: old(10) });
    // The old event's delivery succeeds; the other old one is never attempted.
    const claims = await fx.claim(NOW);
    const claim = claims.find((c) => c.eventId === finished.event.id)!;
    await store.applyDeliveryOutcomes([outcome(claim, NOW)]);
    await store.releaseDeliveries(
      claims.filter((c) => c !== claim).map((c) => c.id),
      "worker-a",
      NOW,
    );
    assert.equal((await store.listDeliveryAttempts(project.id, claim.id))?.length, 1);

    const counts = await store.pruneExpired(pruneCutoffs(NOW, RETENTION), 100);
    assert.equal(counts.events, 1);
    assert.equal(await store.getEvent(project.id, finished.event.id), null);
    assert.equal(await store.listDeliveryAttempts(project.id, claim.id), null, "attempts gone");
    assert.ok(
      await store.getEvent(project.id, stillPending.event.id),
      "a pending delivery keeps it",
    );
    assert.ok(await store.getEvent(project.id, recent.event.id));
    assert.equal(endpoint.projectId, project.id);
    const again = await store.pruneExpired(pruneCutoffs(NOW, RETENTION), 100);
    assert.deepEqual(again, { events: 0, idempotencyKeys: 0, observedLogs: 0 });
  });

  test("retention: batches of `limit`; idempotency keys are forgotten after 24 h", async (fx) => {
    const store = fx.store as typeof fx.store & RetentionStore;
    const { project } = await fx.project();
    for (let i = 0; i < 5; i += 1) await fx.publish(project.id, "a.b", { id: old(31 + i) });
    const keyed = fx.event(project.id, "a.b", { createdAt: NOW - 2 * DAY });
    const published = await store.publishEvent(keyed, { key: "k-1", requestHash: "h" });
    assert.equal(published.kind, "created");
    const cutoffs = pruneCutoffs(NOW, RETENTION);
    assert.deepEqual(await store.pruneExpired(cutoffs, 2), {
      events: 2,
      idempotencyKeys: 1,
      observedLogs: 0,
    });
    assert.equal((await store.pruneExpired(cutoffs, 2)).events, 2);
    assert.equal((await store.pruneExpired(cutoffs, 2)).events, 1);
    // The key is forgotten, the event (two days old) is kept: the same key makes a new event.
    assert.ok(await store.getEvent(project.id, keyed.id));
    const retried = await store.publishEvent(fx.event(project.id, "a.b", { createdAt: NOW }), {
      key: "k-1",
      requestHash: "h",
    });
    assert.equal(retried.kind, "created");
  });
}

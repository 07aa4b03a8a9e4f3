import assert from "node:assert/strict";
import { describe } from "node:test";
import type { Action, NewEvent } from "../../src/core/interfaces.js";
import { T0, type Fixture, type StoreTest } from "./store-fixtures.js";

/** Builds `<action>.<status>` the way core does, and remembers what it was given. */
function eventBuilder(fx: Fixture) {
  const seen: Action[] = [];
  const build = (action: Action): NewEvent => {
    seen.push(structuredClone(action));
    return fx.event(action.projectId, `${action.action}.${action.status}`, {
      actionId: action.id,
      createdAt: action.completedAt ?? T0,
      payload: JSON.stringify({ type: `${action.action}.${action.status}`, data: action.data }),
    });
  };
  return { build, seen };
}

export function actionsContract(storeTest: StoreTest): void {
  describe("actions", () => {
    storeTest("createAction then getAction round-trips the action and its data", async (fx) => {
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const action = fx.action(project.id, {
        resource: "collections/c-1",
        data: {
          collectionId: "c-1",
          metadata: { name: "Ünïcødé ✓", attributes: [{ trait: "rarity", value: 3 }] },
          flags: [true, false, null],
          nested: { empty: {}, list: [] },
        },
      });
      assert.deepEqual(await fx.store.createAction(action), { kind: "created", value: action });
      assert.deepEqual(await fx.store.getAction(project.id, action.id), action);
      assert.equal(await fx.store.getAction(other.id, action.id), null);
      assert.equal(await fx.store.getAction(project.id, "no-such-action"), null);
    });

    storeTest("createAction idempotency: replay gives the first; conflict", async (fx) => {
      const { project } = await fx.project();
      const key = { key: "action-1", requestHash: "hash-a" };
      const first = fx.action(project.id);
      assert.equal((await fx.store.createAction(first, key)).kind, "created");
      const second = fx.action(project.id, { startedAt: T0 + 1 });
      assert.deepEqual(await fx.store.createAction(second, key), {
        kind: "replayed",
        value: first,
      });
      assert.equal(await fx.store.getAction(project.id, second.id), null);
      const third = fx.action(project.id, { action: "nfts.delete" });
      assert.deepEqual(await fx.store.createAction(third, { ...key, requestHash: "hash-b" }), {
        kind: "conflict",
      });
      assert.equal(await fx.store.getAction(project.id, third.id), null);
    });

    storeTest("completeAction completes it and publishes its event with fan-out", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const subscriber = await fx.endpoint(project.id, { eventTypes: ["nfts.create.*"] });
      await fx.endpoint(project.id, { eventTypes: ["wallets.*"] });
      const action = fx.action(project.id);
      await store.createAction(action);
      const { build, seen } = eventBuilder(fx);

      const data = { collectionId: "c-1", token: { id: "7", owner: "0xabc" } };
      const result = await store.completeAction(
        project.id,
        action.id,
        "succeeded",
        data,
        T0 + 100,
        build,
      );
      const completed: Action = { ...action, status: "succeeded", data, completedAt: T0 + 100 };
      assert.ok(result && result !== "conflict");
      assert.deepEqual(result.action, completed);
      assert.deepEqual(seen, [completed], "buildEvent sees the completed action");
      assert.deepEqual(await store.getAction(project.id, action.id), completed);

      const { event, deliveries } = result.event;
      assert.equal(deliveries, 1);
      assert.equal(event.type, "nfts.create.succeeded");
      assert.equal(event.actionId, action.id);
      assert.equal(event.projectId, project.id);
      assert.deepEqual(await store.getEvent(project.id, event.id), event);
      assert.equal((await fx.deliveryOf(event.id)).endpointId, subscriber.id);
    });

    storeTest("completeAction without data keeps the action's data", async (fx) => {
      const { project } = await fx.project();
      const action = fx.action(project.id, { data: { keep: ["me"] } });
      await fx.store.createAction(action);
      const { build } = eventBuilder(fx);
      const result = await fx.store.completeAction(
        project.id,
        action.id,
        "failed",
        undefined,
        T0 + 7,
        build,
      );
      assert.ok(result && result !== "conflict");
      assert.deepEqual(result.action.data, { keep: ["me"] });
      assert.equal(result.action.status, "failed");
      assert.equal(result.event.event.type, "nfts.create.failed");
      assert.deepEqual((await fx.store.getAction(project.id, action.id))?.data, { keep: ["me"] });
    });

    storeTest("completing twice is a conflict and publishes nothing more", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const action = fx.action(project.id);
      await store.createAction(action);
      const { build, seen } = eventBuilder(fx);
      await store.completeAction(project.id, action.id, "succeeded", undefined, T0 + 1, build);

      const again = await store.completeAction(project.id, action.id, "failed", {}, T0 + 2, build);
      assert.equal(again, "conflict");
      assert.equal(seen.length, 1, "no event is built for a conflict");
      assert.equal((await store.getAction(project.id, action.id))?.status, "succeeded");
      assert.equal((await store.listEvents(project.id, {}, { limit: 10 })).data.length, 1);
    });

    storeTest("completeAction of an unknown or another project's action is null", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const action = fx.action(project.id);
      await store.createAction(action);
      const { build, seen } = eventBuilder(fx);

      assert.equal(
        await store.completeAction(other.id, action.id, "succeeded", {}, T0, build),
        null,
      );
      assert.equal(
        await store.completeAction(project.id, "nope", "succeeded", {}, T0, build),
        null,
      );
      assert.deepEqual(seen, []);
      assert.equal((await store.getAction(project.id, action.id))?.status, "pending");
      assert.deepEqual((await store.listEvents(other.id, {}, { limit: 10 })).data, []);
    });
  });
}

import assert from "node:assert/strict";
import { describe } from "node:test";
import type { Endpoint } from "../../src/core/interfaces.js";
import { ids, sorted, T0, type StoreTest } from "./store-fixtures.js";

export function endpointsContract(storeTest: StoreTest): void {
  describe("endpoints", () => {
    storeTest("createEndpoint stores the endpoint as given; getEndpoint reads it", async (fx) => {
      const { project } = await fx.project();
      const record = fx.endpointRecord(project.id, {
        description: "orders",
        eventTypes: ["nfts.*", "wallets.create.succeeded"],
        rateLimit: 25,
      });
      const created = await fx.store.createEndpoint(record);
      assert.deepEqual(created, { kind: "created", value: record });
      assert.deepEqual(await fx.store.getEndpoint(project.id, record.id), record);
      assert.equal(await fx.store.getEndpoint(project.id, "no-such-endpoint"), null);
    });

    storeTest("getEndpoint with another project's id returns null", async (fx) => {
      const { project: mine } = await fx.project();
      const { project: theirs } = await fx.project();
      const endpoint = await fx.endpoint(theirs.id);
      assert.equal(await fx.store.getEndpoint(mine.id, endpoint.id), null);
      assert.equal((await fx.store.getEndpoint(theirs.id, endpoint.id))?.id, endpoint.id);
    });

    storeTest("listEndpoints pages with a cursor: 5 endpoints, limit 2, 3 pages", async (fx) => {
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      await fx.endpoint(other.id);
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await fx.endpoint(project.id)).id);

      const pages: Endpoint[][] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await fx.store.listEndpoints(project.id, { cursor, limit: 2 });
        pages.push(page.data);
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
        assert.ok(pages.length < 10, "pagination terminates");
      }
      assert.deepEqual(
        pages.map((p) => p.length),
        [2, 2, 1],
      );
      const listed = pages.flat().map((e) => e.id);
      assert.equal(new Set(listed).size, 5, "no endpoint is listed twice");
      assert.deepEqual(sorted(listed), sorted(created));
      assert.ok(pages.flat().every((e) => e.projectId === project.id));
    });

    storeTest("createEndpoint idempotency: same key replays; other hash conflicts", async (fx) => {
      const { project } = await fx.project();
      const key = { key: "create-1", requestHash: "hash-a" };
      const first = fx.endpointRecord(project.id, { url: "https://a.example/hook" });
      assert.equal((await fx.store.createEndpoint(first, key)).kind, "created");

      const again = fx.endpointRecord(project.id, { url: "https://a.example/hook" });
      assert.deepEqual(await fx.store.createEndpoint(again, key), {
        kind: "replayed",
        value: first,
      });
      const other = fx.endpointRecord(project.id, { url: "https://b.example/hook" });
      assert.deepEqual(await fx.store.createEndpoint(other, { ...key, requestHash: "hash-b" }), {
        kind: "conflict",
      });
      const listed = await fx.store.listEndpoints(project.id, { limit: 10 });
      assert.deepEqual(ids(listed.data), [first.id]);

      // Keys belong to a project: another project may use the same one.
      const { project: theirs } = await fx.project();
      const theirEndpoint = fx.endpointRecord(theirs.id);
      assert.equal((await fx.store.createEndpoint(theirEndpoint, key)).kind, "created");
    });

    storeTest("replaying a key whose endpoint was deleted never gives null", async (fx) => {
      const { project } = await fx.project();
      const key = { key: "create-1", requestHash: "hash-a" };
      const first = fx.endpointRecord(project.id);
      await fx.store.createEndpoint(first, key);
      await fx.store.deleteEndpoint(project.id, first.id);
      // Creating it afresh or answering a conflict are both acceptable; a null endpoint is not.
      const again = await fx.store.createEndpoint(fx.endpointRecord(project.id), key);
      if (again.kind !== "conflict") assert.ok(again.value, `${again.kind} with no endpoint`);
    });

    storeTest("updateEndpoint patches given fields; eventTypes null vs array", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const before = await fx.endpoint(project.id, { description: "d0", rateLimit: 5 });

      const patched = await store.updateEndpoint(
        project.id,
        before.id,
        { url: "https://new.example/hook", eventTypes: ["nfts.*"] },
        T0 + 10,
      );
      assert.deepEqual(patched, {
        ...before,
        url: "https://new.example/hook",
        eventTypes: ["nfts.*"],
        updatedAt: T0 + 10,
      });
      assert.deepEqual(await store.getEndpoint(project.id, before.id), patched);

      const described = await store.updateEndpoint(
        project.id,
        before.id,
        { description: "d1", rateLimit: null },
        T0 + 20,
      );
      assert.equal(described?.description, "d1");
      assert.equal(described?.rateLimit, null);
      assert.deepEqual(described?.eventTypes, ["nfts.*"], "absent eventTypes are kept");

      const all = await store.updateEndpoint(project.id, before.id, { eventTypes: null }, T0 + 30);
      assert.equal(all?.eventTypes, null);
      assert.equal(all?.url, "https://new.example/hook");

      const { project: other } = await fx.project();
      assert.equal(await store.updateEndpoint(other.id, before.id, { url: "x" }, T0 + 40), null);
      assert.equal(await store.updateEndpoint(project.id, "nope", { url: "x" }, T0 + 40), null);
    });

    storeTest("disabling pauses pending deliveries; enabling resumes them", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const paused = await fx.endpoint(project.id);
      const active = await fx.endpoint(project.id);
      const { event } = await fx.publish(project.id, "nfts.create.succeeded");

      const disabled = await store.updateEndpoint(
        project.id,
        paused.id,
        { enabled: false, disabledReason: "maintenance" },
        T0 + 10,
      );
      assert.equal(disabled?.enabled, false);
      assert.equal(disabled?.disabledReason, "maintenance");
      const list = await store.listEndpointDeliveries(project.id, paused.id, {}, { limit: 10 });
      assert.deepEqual(
        list.data.map((d) => [d.eventId, d.status]),
        [[event.id, "paused"]],
      );
      const claimed = await fx.claim(T0 + 20);
      assert.deepEqual(
        claimed.map((c) => c.endpoint.id),
        [active.id],
      );

      const enabled = await store.updateEndpoint(project.id, paused.id, { enabled: true }, T0 + 30);
      assert.equal(enabled?.enabled, true);
      assert.equal(enabled?.disabledReason, null);
      const resumed = await store.listEndpointDeliveries(project.id, paused.id, {}, { limit: 10 });
      assert.equal(resumed.data[0]?.status, "pending");
      const reclaimed = await fx.claim(T0 + 30);
      assert.deepEqual(
        reclaimed.map((c) => [c.endpoint.id, c.eventId, c.attempt]),
        [[paused.id, event.id, 1]],
      );
    });

    storeTest("rotateEndpointSecret moves the secret to previous with expiry", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const before = await fx.endpoint(project.id, { secretEnc: "enc:old" });

      const rotated = await store.rotateEndpointSecret(
        project.id,
        before.id,
        { secretEnc: "enc:new", signing: "hmac", publicKey: null },
        T0 + 86_400_000,
        T0 + 5,
      );
      assert.deepEqual(rotated, {
        ...before,
        secretEnc: "enc:new",
        previousSecretEnc: "enc:old",
        previousSecretExpiresAt: T0 + 86_400_000,
        updatedAt: T0 + 5,
      });
      assert.deepEqual(await store.getEndpoint(project.id, before.id), rotated);

      // The dispatcher signs with both while the previous one is valid.
      await fx.publish(project.id, "nfts.create.succeeded", { createdAt: T0 + 6 });
      const [claim] = await fx.claim(T0 + 6);
      assert.equal(claim?.endpoint.secretEnc, "enc:new");
      assert.equal(claim?.endpoint.previousSecretEnc, "enc:old");
      assert.equal(claim?.endpoint.previousSecretExpiresAt, T0 + 86_400_000);

      const { project: other } = await fx.project();
      const stranger = { secretEnc: "enc:x", signing: "hmac" as const, publicKey: null };
      assert.equal(await store.rotateEndpointSecret(other.id, before.id, stranger, T0, T0), null);
      assert.equal((await store.getEndpoint(project.id, before.id))?.secretEnc, "enc:new");
    });

    storeTest("an ed25519 endpoint keeps its public key; rotation replaces it", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const created = await fx.endpoint(project.id, {
        signing: "ed25519",
        publicKey: "whpk_first",
        secretEnc: "enc:whsk-first",
      });
      const read = await store.getEndpoint(project.id, created.id);
      assert.equal(read?.signing, "ed25519");
      assert.equal(read?.publicKey, "whpk_first");
      assert.deepEqual(
        (await store.listEndpoints(project.id, { limit: 10 })).data.map((e) => [
          e.signing,
          e.publicKey,
        ]),
        [["ed25519", "whpk_first"]],
      );

      const next = { secretEnc: "enc:whsk-second", signing: "ed25519" as const };
      const rotated = await store.rotateEndpointSecret(
        project.id,
        created.id,
        { ...next, publicKey: "whpk_second" },
        T0 + 1000,
        T0 + 5,
      );
      assert.deepEqual(rotated, {
        ...created,
        publicKey: "whpk_second",
        secretEnc: "enc:whsk-second",
        previousSecretEnc: "enc:whsk-first",
        previousSecretExpiresAt: T0 + 1000,
        updatedAt: T0 + 5,
      });

      // Back to hmac: the algorithm and the public key change with the secret.
      const hmac = { secretEnc: "enc:whsec", signing: "hmac" as const, publicKey: null };
      const back = await store.rotateEndpointSecret(project.id, created.id, hmac, T0 + 9, T0 + 6);
      assert.equal(back?.signing, "hmac");
      assert.equal(back?.publicKey, null);
      assert.equal(back?.previousSecretEnc, "enc:whsk-second");
      // A plain update leaves them alone.
      const updated = await store.updateEndpoint(project.id, created.id, { description: "d" }, T0);
      assert.deepEqual([updated?.signing, updated?.publicKey], ["hmac", null]);
    });

    storeTest("deleteEndpoint removes the endpoint and its deliveries", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const doomed = await fx.endpoint(project.id);
      const kept = await fx.endpoint(project.id);
      const { event } = await fx.publish(project.id, "nfts.create.succeeded");

      assert.equal(await store.deleteEndpoint(other.id, doomed.id), false);
      assert.equal(await store.deleteEndpoint(project.id, doomed.id), true);
      assert.equal(await store.getEndpoint(project.id, doomed.id), null);
      assert.equal(await store.deleteEndpoint(project.id, doomed.id), false);

      const deliveries = await store.listEventDeliveries(event.id);
      assert.deepEqual(
        deliveries.map((d) => d.endpointId),
        [kept.id],
      );
      const listed = await store.listEndpointDeliveries(project.id, doomed.id, {}, { limit: 10 });
      assert.deepEqual(listed.data, []);
      assert.deepEqual(
        (await fx.claim(T0 + 1)).map((c) => c.endpoint.id),
        [kept.id],
      );
    });
  });
}

import assert from "node:assert/strict";
import { describe } from "node:test";
import { sorted, T0, type StoreTest } from "./store-fixtures.js";

const ALL = { limit: 250 };

export function projectsContract(storeTest: StoreTest): void {
  describe("migrations", () => {
    storeTest("migrate is idempotent: a second call applies nothing", async (fx) => {
      assert.ok(fx.firstMigration.applied.length > 0, "a fresh store applies its migrations");
      assert.deepEqual(await fx.store.migrate(), { applied: [] });
      // The schema is usable after the second call.
      await fx.project("after-migrations");
      assert.equal((await fx.store.listProjects(ALL)).data.length, 1);
    });
  });

  describe("projects and API keys", () => {
    storeTest("createProject stores the project, readable by id, name and list", async (fx) => {
      const { store } = fx;
      const { project: a } = await fx.project("alpha");
      const { project: b } = await fx.project("beta");

      assert.deepEqual(await store.getProject(a.id), {
        id: a.id,
        name: "alpha",
        createdAt: T0,
        region: "EU",
        environment: "Development",
      });
      assert.deepEqual(await store.getProjectByName("beta"), b);
      assert.equal(await store.getProject("no-such-project"), null);
      assert.equal(await store.getProjectByName("gamma"), null);
      const all = (await store.listProjects(ALL)).data;
      assert.deepEqual(sorted(all.map((p) => p.id)), sorted([a.id, b.id]));
    });

    storeTest(
      "Original key pairs: found by hash until revoked, listed with their state",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project("pairs");
        const record = (id: string, hash: string) => ({
          id,
          projectId: project.id,
          hash,
          prefix: `ori_${id}`,
          secretEnc: `enc:secret-${id}`,
          createdAt: T0,
        });
        await store.createOriginalKey(record("k1", "hash-1"));
        await store.createOriginalKey(record("k2", "hash-2"));
        await assert.rejects(store.createOriginalKey(record("k3", "hash-1")), "a key hash once");
        const found = await store.findOriginalKeyByHash("hash-1");
        assert.deepEqual(found, {
          id: "k1",
          projectId: project.id,
          prefix: "ori_k1",
          secretEnc: "enc:secret-k1",
          createdAt: T0,
          revokedAt: null,
        });
        assert.equal(await store.revokeOriginalKey(project.id, "k1", T0 + 5), true);
        assert.equal(await store.revokeOriginalKey(project.id, "k1", T0 + 6), false, "once");
        assert.equal(await store.revokeOriginalKey("other-project", "k2", T0 + 6), false);
        assert.equal(await store.findOriginalKeyByHash("hash-1"), null);
        assert.equal((await store.findOriginalKeyByHash("hash-2"))?.id, "k2");
        const listed = await store.listOriginalKeys(project.id, ALL);
        assert.deepEqual(
          listed.data.map((k) => [k.id, k.revokedAt]),
          [
            ["k1", T0 + 5],
            ["k2", null],
          ],
        );
      },
    );

    storeTest("updateProjectSettings changes the settings given, and only those", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project("settings");
      const { project: other } = await fx.project("untouched");
      assert.deepEqual(await store.updateProjectSettings(project.id, { region: "US" }), {
        ...project,
        region: "US",
      });
      const both = { region: "APAC", environment: "Production" };
      assert.deepEqual(await store.updateProjectSettings(project.id, both), {
        ...project,
        ...both,
      });
      assert.deepEqual(await store.getProject(project.id), { ...project, ...both });
      assert.deepEqual(await store.getProject(other.id), other);
      assert.equal(await store.updateProjectSettings("no-such-project", both), null);
    });

    storeTest("projects and keys are listed in cursor pages", async (fx) => {
      const { store } = fx;
      const names = ["p1", "p2", "p3", "p4", "p5"];
      const projects = [];
      for (const name of names) projects.push((await fx.project(name)).project);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.listProjects({ limit: 2, cursor });
        seen.push(...page.data.map((p) => p.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(sorted(seen), sorted(projects.map((p) => p.id)));

      const owner = projects[0]!;
      for (const name of ["k2", "k3"]) await store.createApiKey(fx.apiKey(owner.id, name));
      const first = await store.listApiKeys(owner.id, { limit: 2 });
      assert.equal(first.data.length, 2);
      assert.ok(first.nextCursor);
      const rest = await store.listApiKeys(owner.id, { limit: 2, cursor: first.nextCursor });
      assert.equal(rest.data.length, 1);
      assert.equal(rest.nextCursor, null);
      const ids = [...first.data, ...rest.data].map((k) => k.id);
      assert.equal(new Set(ids).size, 3);
    });

    storeTest("createProject stores the first key, without its hash", async (fx) => {
      const { project, key } = await fx.project();
      assert.deepEqual((await fx.store.listApiKeys(project.id, ALL)).data, [
        {
          id: key.id,
          projectId: project.id,
          prefix: key.prefix,
          name: "first",
          createdAt: T0,
          revokedAt: null,
        },
      ]);
    });

    storeTest("findApiKeyByHash finds an unrevoked key, not after revokeApiKey", async (fx) => {
      const { store } = fx;
      const { project, key: first } = await fx.project();
      const second = fx.apiKey(project.id, "second", T0 + 1);
      await store.createApiKey(second);

      assert.equal((await store.findApiKeyByHash(first.hash))?.id, first.id);
      assert.equal((await store.findApiKeyByHash(second.hash))?.projectId, project.id);
      assert.equal(await store.findApiKeyByHash("0".repeat(64)), null);

      assert.equal(await store.revokeApiKey(project.id, first.id, T0 + 50), true);
      assert.equal(await store.findApiKeyByHash(first.hash), null);
      assert.equal((await store.findApiKeyByHash(second.hash))?.id, second.id);
      // Revoking again changes nothing: the first revocation time stays.
      assert.equal(await store.revokeApiKey(project.id, first.id, T0 + 99), false);

      const keys = (await store.listApiKeys(project.id, ALL)).data;
      const revokedAt = new Map(keys.map((k) => [k.id, k.revokedAt]));
      assert.equal(keys.length, 2);
      assert.equal(revokedAt.get(first.id), T0 + 50);
      assert.equal(revokedAt.get(second.id), null);
    });

    storeTest("revokeApiKey of another project's key returns false", async (fx) => {
      const { store } = fx;
      const { project: mine } = await fx.project();
      const { project: theirs, key: theirKey } = await fx.project();

      assert.equal(await store.revokeApiKey(mine.id, theirKey.id, T0 + 1), false);
      assert.equal((await store.findApiKeyByHash(theirKey.hash))?.projectId, theirs.id);
      assert.equal((await store.listApiKeys(theirs.id, ALL)).data[0]?.revokedAt, null);
      assert.equal((await store.listApiKeys(mine.id, ALL)).data.length, 1);
    });
  });
}

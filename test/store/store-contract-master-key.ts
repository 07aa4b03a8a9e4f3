import assert from "node:assert/strict";
import { DEFAULT_APP_SETTINGS } from "../../src/core/interfaces.js";
import type { Resealing } from "../../src/core/runtime/master-key.js";
import { T0, type Fixture, type StoreTest } from "./store-fixtures.js";

// Settings and sealed values. "Sealing" here is a prefix: `enc:` is the old key's, `new:` the
// new one's, so a test sees which values a rotation reached.

const renew = (sealed: string) => {
  assert.ok(sealed.startsWith("enc:"), `only old values are re-sealed, got ${sealed}`);
  return "new:" + sealed.slice(4);
};

/** One sealed value in every place Herald keeps them, and a plain setting. */
async function sealedEverywhere(fx: Fixture) {
  const { store } = fx;
  const idempotency = { key: "k", requestHash: "h", sealedResponse: "enc:first-api-key" };
  const created = await store.createProject(
    { id: "p-sealed", name: "sealed", createdAt: T0, ...DEFAULT_APP_SETTINGS },
    fx.apiKey("p-sealed", "first"),
    idempotency,
  );
  assert.equal(created.kind, "created");
  const endpoint = await fx.endpoint("p-sealed", {
    destinationType: "sqs",
    destinationEnc: "enc:sqs-settings",
  });
  await store.rotateEndpointSecret(
    "p-sealed",
    endpoint.id,
    { secretEnc: "enc:next-secret", signing: "hmac", publicKey: null },
    T0 + 10,
    T0 + 1,
  );
  await store.saveChainAccount({ chain: "local", address: "0xabc", privateKeyEnc: "enc:pk" }, T0);
  await store.ensureSetting({ name: "seed", value: "enc:seed", sealed: true }, T0);
  await store.ensureSetting({ name: "plain", value: "enc:looks-sealed", sealed: false }, T0);
  return { endpoint, idempotency };
}

function resealing(fields: Partial<Resealing> = {}): Resealing {
  return { reseal: renew, settings: [{ name: "check", value: "v1.new" }], at: T0, ...fields };
}

export function masterKeyContract(test: StoreTest): void {
  test("settings: the first value written is the one kept", async ({ store }) => {
    assert.equal(await store.getSetting("check"), null);
    assert.equal(await store.ensureSetting({ name: "check", value: "a", sealed: false }, T0), "a");
    assert.equal(await store.ensureSetting({ name: "check", value: "b", sealed: false }, T0), "a");
    assert.equal(await store.getSetting("check"), "a");
  });

  test("sealed values: one of each kind is sampled; plain settings are not", async (fx) => {
    assert.deepEqual(await fx.store.sampleSealedValues(), []);
    const { endpoint } = await sealedEverywhere(fx);
    const expected = [
      "enc:next-secret",
      `enc:secret-of-${endpoint.id}`, // the previous secret
      "enc:sqs-settings",
      "enc:pk",
      "enc:first-api-key",
      "enc:seed",
    ];
    assert.deepEqual((await fx.store.sampleSealedValues()).sort(), expected.sort());
  });

  test("a rotation re-seals every sealed value and writes the settings, at once", async (fx) => {
    const { store } = fx;
    const { endpoint, idempotency } = await sealedEverywhere(fx);
    const progress: Array<[number, number]> = [];
    const count = await store.resealSecrets(
      resealing({ progress: (done, total) => progress.push([done, total]) }),
    );
    assert.equal(count, 6);
    assert.deepEqual(progress[0], [0, 6]);
    assert.deepEqual(progress[progress.length - 1], [6, 6]);
    const after = (await store.getEndpoint("p-sealed", endpoint.id))!;
    assert.equal(after.secretEnc, "new:next-secret");
    assert.equal(after.previousSecretEnc, `new:secret-of-${endpoint.id}`);
    assert.equal(after.destinationEnc, "new:sqs-settings");
    assert.equal((await store.getChainAccount("local"))?.privateKeyEnc, "new:pk");
    const replay = await store.createProject(
      { id: "p-other", name: "sealed", createdAt: T0, ...DEFAULT_APP_SETTINGS },
      fx.apiKey("p-other", "first"),
      idempotency,
    );
    assert.equal(replay.kind, "replayed");
    assert.equal((replay as { value: { sealedKey: string } }).value.sealedKey, "new:first-api-key");
    assert.equal(await store.getSetting("seed"), "new:seed");
    assert.equal(await store.getSetting("plain"), "enc:looks-sealed", "a plain setting stays");
    assert.equal(await store.getSetting("check"), "v1.new");
    assert.ok((await store.sampleSealedValues()).every((v) => v.startsWith("new:")));
  });

  test("a rotation that fails half-way changes nothing", async (fx) => {
    const { store } = fx;
    const { endpoint } = await sealedEverywhere(fx);
    let calls = 0;
    const failing = resealing({
      reseal(sealed, place) {
        if (++calls === 4) throw new Error(`${place} cannot be opened`);
        return renew(sealed);
      },
    });
    await assert.rejects(store.resealSecrets(failing), /cannot be opened/);
    assert.equal((await store.getEndpoint("p-sealed", endpoint.id))!.secretEnc, "enc:next-secret");
    assert.equal((await store.getChainAccount("local"))?.privateKeyEnc, "enc:pk");
    assert.equal(await store.getSetting("seed"), "enc:seed");
    assert.equal(await store.getSetting("check"), null);
  });

  test("a rotation goes through tables of more than one page", async (fx) => {
    const { project } = await fx.project();
    const ids = new Set<string>();
    for (let i = 0; i < 1203; i++) ids.add((await fx.endpoint(project.id)).id);
    assert.equal(await fx.store.resealSecrets(resealing()), 1203);
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await fx.store.listEndpoints(project.id, { limit: 250, cursor });
      for (const e of page.data) {
        assert.equal(e.secretEnc, `new:secret-of-${e.id}`);
        seen.add(e.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, ids);
  });
}

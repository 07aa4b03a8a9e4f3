// The master key against the store, in process: the check value recorded by the first start,
// a database from before the check, the custodial seed that keeps wallet addresses through a
// rotation, and a rotation that cannot open a value. (Processes: master-key-processes.test.ts.)
import assert from "node:assert/strict";
import { hkdfSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  CHECK_SETTING,
  checkMasterKey,
  custodialSeed,
  masterKeyCheck,
  rotateMasterKey,
} from "../src/core/runtime/master-key.js";
import { SecretBox } from "../src/core/runtime/secret-box.js";
import { SEALED_PLACES } from "../src/store/sealed-places.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { Fixture, T0 } from "./store/store-fixtures.js";

const box = () => new SecretBox(randomBytes(32));

async function withStore(body: (fx: Fixture) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "herald-master-key-"));
  const store = new SqliteStore(join(dir, "herald.db"));
  try {
    await body(new Fixture(store, await store.migrate()));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the first start records its key's check value; another key is a mismatch", async () => {
  await withStore(async ({ store }) => {
    const [a, b] = [box(), box()];
    assert.equal(await checkMasterKey(store, a, T0), "recorded");
    assert.equal(await store.getSetting(CHECK_SETTING), masterKeyCheck(a.masterKey));
    assert.equal(await checkMasterKey(store, a, T0), "matches");
    assert.equal(await checkMasterKey(store, b, T0), "mismatch");
  });
});

test("the check value is not the key, and differs per key", () => {
  const key = randomBytes(32);
  const check = masterKeyCheck(key);
  assert.equal(check, masterKeyCheck(Buffer.from(key)));
  assert.notEqual(check, masterKeyCheck(randomBytes(32)));
  for (const encoding of ["hex", "base64", "base64url"] as const)
    assert.ok(!check.includes(key.toString(encoding)));
});

test("a database from before the check: the key must open what is sealed", async () => {
  await withStore(async (fx) => {
    const [a, b] = [box(), box()];
    const { project } = await fx.project();
    await fx.endpoint(project.id, { secretEnc: a.seal("whsec_c2VjcmV0") });
    assert.equal(await checkMasterKey(fx.store, b, T0), "mismatch");
    assert.equal(await fx.store.getSetting(CHECK_SETTING), null, "nothing recorded");
    assert.equal(await checkMasterKey(fx.store, a, T0), "recorded");
    assert.equal(await checkMasterKey(fx.store, b, T0), "mismatch");
  });
});

test("the custodial seed is today's derivation, and a rotation keeps it", async () => {
  await withStore(async ({ store }) => {
    const [a, b] = [box(), box()];
    const derived = hkdfSync("sha256", a.masterKey, "herald", "custodial-wallets", 32);
    assert.deepEqual(await custodialSeed(store, a, T0), new Uint8Array(derived));
    await checkMasterKey(store, a, T0);
    await store.saveChainAccount(
      { chain: "local", address: "0x1", privateKeyEnc: a.seal("pk") },
      T0,
    );
    assert.equal(await rotateMasterKey(store, a, b, T0), 2); // the seed and the signer's key
    assert.deepEqual(await custodialSeed(store, b, T0), new Uint8Array(derived));
    assert.equal(b.open((await store.getChainAccount("local"))!.privateKeyEnc), "pk");
    assert.equal(await checkMasterKey(store, b, T0), "matches");
    assert.equal(await checkMasterKey(store, a, T0), "mismatch");
  });
});

test("a rotation writes the seed first when it was never written", async () => {
  await withStore(async ({ store }) => {
    const [a, b] = [box(), box()];
    await rotateMasterKey(store, a, b, T0);
    const derived = hkdfSync("sha256", a.masterKey, "herald", "custodial-wallets", 32);
    assert.deepEqual(await custodialSeed(store, b, T0), new Uint8Array(derived));
  });
});

test("a value the current key cannot open stops a rotation, naming it; nothing changes", async () => {
  await withStore(async (fx) => {
    const [a, b, other] = [box(), box(), box()];
    await checkMasterKey(fx.store, a, T0);
    // Written by a process that ran with another key (one from before the check, say).
    const { project } = await fx.project();
    const endpoint = await fx.endpoint(project.id, { secretEnc: other.seal("whsec_c2VjcmV0") });
    await assert.rejects(rotateMasterKey(fx.store, a, b, T0), {
      message: `endpoints.secret_enc of ${endpoint.id} cannot be opened with the current master key`,
    });
    assert.equal(await checkMasterKey(fx.store, a, T0), "matches");
    assert.equal(await checkMasterKey(fx.store, b, T0), "mismatch");
  });
});

test("every sealed column of the schema is a place a rotation re-seals", async () => {
  await withStore(async ({ store }) => {
    const db = (store as SqliteStore).db;
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all() as Array<{
      name: string;
    }>;
    const sealed = tables.flatMap(({ name }) =>
      (db.pragma(`table_info(${name})`) as Array<{ name: string }>)
        .filter((column) => /_enc$|^sealed_/.test(column.name))
        .map((column) => `${name}.${column.name}`),
    );
    const places = SEALED_PLACES.flatMap((p) => p.columns.map((c) => `${p.table}.${c}`));
    assert.ok(sealed.length >= 5);
    for (const column of sealed) assert.ok(places.includes(column), `${column} is re-sealed`);
  });
});

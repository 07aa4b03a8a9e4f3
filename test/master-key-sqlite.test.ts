// The master key on the embedded store, with real processes: a data dir started with another
// key (or none, so one is generated) refuses to start, as does a data dir from before the
// check whose secrets the key cannot open; `herald rotate-master-key` re-seals everything,
// after which the old key refuses and the new one signs with every endpoint's secret.
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  freePort,
  printingOutputOnFailure,
  runHerald,
  startChildHerald,
  type ChildHerald,
} from "./helpers/child-herald.js";
import { apiClient, eventually, type ApiClient } from "./helpers/herald.js";
import { assertRefusedKey, assertSignedWith, assertSignerOpens } from "./helpers/master-key.js";
import { createCollection, mintAll, waitSucceeded } from "./helpers/minting.js";
import { Receiver } from "./helpers/receiver.js";

const API_KEY = "hk_master_key_test_0123456789";
const ENV = { HERALD_API_KEY: API_KEY, HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8" };
const newKey = () => randomBytes(32).toString("base64");

const dataDirs: string[] = [];
const receivers: Receiver[] = [];
const children: ChildHerald[] = [];
after(async () => {
  for (const child of children) await child.kill("SIGKILL");
  for (const receiver of receivers) await receiver.close();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "herald-master-key-"));
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<ChildHerald> {
  const child = await startChildHerald({ dataDir, env: { ...ENV, ...env } });
  children.push(child);
  return child;
}

async function startRefused(dataDir: string, env: Record<string, string | undefined>) {
  const port = String(await freePort());
  return runHerald(["start"], { ...ENV, HERALD_DATA_DIR: dataDir, PORT: port, ...env });
}

/** Reads the data dir's database while Herald may run (WAL: readers never block it). */
function query<T>(dataDir: string, text: string): T[] {
  const db = new Database(join(dataDir, "herald.db"), { readonly: true });
  try {
    return db.prepare(text).all() as T[];
  } finally {
    db.close();
  }
}

async function createEndpoint(herald: ChildHerald, url: string): Promise<string> {
  const created = await apiClient(herald.url, API_KEY)("POST", "/webhooks/endpoints", { url });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.secret as string;
}

describe("the master key on SQLite", { timeout: 600_000 }, () => {
  test("a data dir started with another key, or none, refuses to start", async () => {
    const dataDir = freshDataDir();
    const key = newKey();
    const first = await start(dataDir, { HERALD_MASTER_KEY: key });
    await createEndpoint(first, "http://127.0.0.1:9/hooks");
    await first.kill();

    const other = await startRefused(dataDir, { HERALD_MASTER_KEY: newKey() });
    assert.match(assertRefusedKey(other, "another key"), /from HERALD_MASTER_KEY/);
    const none = await startRefused(dataDir, { HERALD_MASTER_KEY: undefined });
    const line = assertRefusedKey(none, "a generated key");
    assert.ok(line.includes(`${join(dataDir, "master.key")} (generated just now)`), line);

    // A data dir from before the check: the secrets it holds decide.
    const db = new Database(join(dataDir, "herald.db"));
    db.prepare("DELETE FROM settings").run();
    db.close();
    assertRefusedKey(await startRefused(dataDir, { HERALD_MASTER_KEY: newKey() }), "no check");
    const again = await start(dataDir, { HERALD_MASTER_KEY: key });
    await again.kill();
    const [check] = query<{ value: string }>(
      dataDir,
      "SELECT value FROM settings WHERE name = 'master_key_check'",
    );
    assert.ok(check, "the right key recorded its check value");
  });

  test("rotate-master-key: the old key refuses; the new one signs, mints and keeps addresses", async () => {
    const dataDir = freshDataDir();
    const receiver = await Receiver.start();
    receivers.push(receiver);
    const herald = await start(dataDir); // the key is generated into master.key
    const oldKey = readFileSync(join(dataDir, "master.key"), "utf8").trim();
    const secret = await createEndpoint(herald, `${receiver.url}/hooks`);
    const before = await mintToAda(apiClient(herald.url, API_KEY), null);
    type Account = { address: string; private_key_enc: string };
    const [signer] = query<Account>(dataDir, "SELECT address, private_key_enc FROM chain_accounts");
    assert.ok(signer, "the local chain's signer");

    const busy = await runHerald(["rotate-master-key"], { HERALD_DATA_DIR: dataDir });
    assert.notEqual(busy.code, 0, "refused while Herald runs");
    assert.match(busy.stderr, /in use by another Herald process/);
    await herald.kill();

    const rotated = await runHerald(["rotate-master-key"], { HERALD_DATA_DIR: dataDir });
    assert.equal(rotated.code, 0, rotated.stderr);
    const printed = /new master key \(shown only this once\): (\S+)/.exec(rotated.stdout)?.[1];
    assert.ok(printed, rotated.stdout);
    assert.equal(readFileSync(join(dataDir, "master.key"), "utf8").trim(), printed);
    assert.match(rotated.stdout, /re-sealed \d+ sealed values/);

    assertRefusedKey(await startRefused(dataDir, { HERALD_MASTER_KEY: oldKey }), "the old key");
    const [resealed] = query<Account>(
      dataDir,
      "SELECT address, private_key_enc FROM chain_accounts",
    );
    assertSignerOpens(printed, resealed!);
    const restarted = await start(dataDir);
    await printingOutputOnFailure(
      () => [restarted],
      async () => {
        const api = apiClient(restarted.url, API_KEY);
        const event = await api("POST", "/events", { type: "wallet.created", data: { n: 1 } });
        assert.equal(event.status, 201, JSON.stringify(event.body));
        const delivered = await eventually(
          () => receiver.requests.find((r) => r.headers["webhook-id"] === event.body.id),
          { timeoutMs: 60_000, message: "the event delivered" },
        );
        assertSignedWith(secret, delivered!);
        // The signer's key opens (the mint is signed) and the custodial address is the same.
        await mintToAda(api, before);
      },
    );
    await restarted.kill();
  });
});

/** Mints to Ada's custodial wallet (deploying the collection the first time); her address. */
async function mintToAda(
  api: ApiClient,
  previous: { collectionId: string; owner: string } | null,
): Promise<{ collectionId: string; owner: string }> {
  const collection = previous ? null : await createCollection(api, "local", "Keys");
  const collectionId = previous?.collectionId ?? collection!.id;
  const [nft] = await mintAll(api, collectionId, "email:ada@example.com:local", ["token"]);
  const actions = [...(collection ? [collection.actionId] : []), nft!.actionId];
  await waitSucceeded(api, actions, 180_000);
  const read = await api("GET", `/collections/${collectionId}/nfts/${nft!.id}`);
  const owner = read.body.onChain.owner as string;
  assert.match(owner, /^0x[0-9a-fA-F]{40}$/, JSON.stringify(read.body));
  if (previous) assert.equal(owner, previous.owner, "Ada's custodial address is the same");
  return { collectionId, owner };
}

import { Presets, SingleBar } from "cli-progress";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { loadMasterKey, openStore, requireMasterKey, type MasterKey } from "../app.js";
import { ConfigError, type Config } from "../config.js";
import type { Store } from "../core/ports/store.js";
import { rotateMasterKey } from "../core/runtime/master-key.js";
import { generateMasterKey, parseMasterKey, SecretBox } from "../core/runtime/secret-box.js";
import { PostgresStore } from "../store/postgres/postgres-store.js";
import { countRunningProcesses } from "../store/postgres/signal-bus.js";
import { DataDirLock } from "../store/sqlite/data-dir-lock.js";
import { configOrExit, fail } from "./context.js";

// `herald rotate-master-key`: every sealed value re-sealed under a new key in one transaction,
// with no Herald running on the store. Afterwards only the new key starts Herald.

type Flags = Record<string, string | undefined> & { newKey?: string };

const print = (line: string) => process.stdout.write(line + "\n");

function keys(config: Config, newKey: string | undefined) {
  const current = loadMasterKey(config, { generate: false });
  let next: Buffer;
  try {
    next = parseMasterKey(newKey ?? generateMasterKey());
  } catch (error) {
    throw new ConfigError(`--new-key: ${(error as Error).message}`);
  }
  if (next.equals(current.key)) throw new ConfigError("--new-key is the current master key");
  return { current, next, generated: newKey === undefined };
}

/** Refuses while a Herald process runs on the store: it would keep sealing with the old key. */
async function requireNothingRunning(config: Config, store: Store): Promise<void> {
  if (!(store instanceof PostgresStore)) return; // the data dir's lock is held meanwhile
  const running = await countRunningProcesses(store.pool, store.schema);
  if (running > 0) {
    throw new ConfigError(
      `${running} Herald process(es) run on this database (schema ${config.databaseSchema}): ` +
        "stop every one, rotate, then start them all with the new key",
    );
  }
}

async function rotate(store: Store, current: MasterKey, next: Buffer): Promise<number> {
  const from = await requireMasterKey(store, current);
  const bar = new SingleBar(
    { format: "re-sealing {bar} {value}/{total}", stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  try {
    return await rotateMasterKey(store, from, new SecretBox(next), Date.now(), (done, total) => {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    });
  } finally {
    if (started) bar.stop();
  }
}

/** Moves the new key file into place once the database uses the new key. */
function installKeyFile(pending: string, path: string): void {
  try {
    renameSync(pending, path);
  } catch (error) {
    throw new Error(
      `the database's secrets are sealed with the new key, which is in ${pending}; ` +
        `move it to ${path} (${(error as Error).message})`,
    );
  }
}

export async function runRotateMasterKey(flags: Flags): Promise<void> {
  const config = configOrExit(flags);
  let lock: DataDirLock | null = null;
  let store: Store | null = null;
  let pending: string | null = null;
  let committed = false;
  let failure: string | null = null;
  try {
    const { current, next, generated } = keys(config, flags.newKey);
    lock = config.databaseUrl ? null : DataDirLock.acquire(resolve(config.dataDir));
    store = openStore(config);
    await store.migrate();
    await requireNothingRunning(config, store);
    if (current.path) {
      // On disk before the commit: the new key is never only in this process's memory.
      pending = `${current.path}.new`;
      writeFileSync(pending, next.toString("base64") + "\n", { mode: 0o600 });
    }
    const count = await rotate(store, current, next);
    committed = true;
    if (current.path && pending) {
      const written = pending;
      pending = null;
      installKeyFile(written, current.path);
    }
    print(`re-sealed ${count} sealed values under the new master key`);
    if (generated) print(`new master key (shown only this once): ${next.toString("base64")}`);
    print(
      current.path
        ? `${current.path} holds the new key; other processes on this database need it as HERALD_MASTER_KEY`
        : "start every Herald process on this database with HERALD_MASTER_KEY set to the new key",
    );
  } catch (error) {
    if (pending) rmSync(pending, { force: true });
    const message = (error as Error).message;
    failure = error instanceof ConfigError || committed ? message : `nothing changed: ${message}`;
  } finally {
    await store?.close();
    lock?.release();
  }
  if (failure) fail(failure);
}

import Database from "better-sqlite3";
import { Presets, SingleBar } from "cli-progress";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { ConfigError, type Config } from "../config.js";
import { configOrExit, fail } from "./context.js";

// `herald backup <file>`: a consistent copy of the embedded SQLite store, taken with SQLite's
// online backup API while Herald runs. It never takes the data dir's lock (the running Herald
// holds it): it reads the store file through a read-only connection of its own, inside one read
// transaction, so the copy is the store as of one commit (WAL mode: Herald keeps writing
// meanwhile, and the copy never restarts). The copy is written to a hidden file beside the
// target, checked, synced, then renamed into place: a file at the target is always complete.

interface Flags {
  force?: boolean;
  [setting: string]: string | boolean | undefined;
}

interface Copied {
  pages: number;
  bytes: number;
  ms: number;
  integrity: string;
  schemaVersion: number;
}

const print = (line: string) => process.stdout.write(line + "\n");

/** The files SQLite keeps beside a database: a stale one would be read along with a new copy. */
const companions = (path: string) => [`${path}-wal`, `${path}-shm`, `${path}-journal`];

function postgresRefusal(config: Config): string {
  return (
    "herald backup copies the embedded SQLite store; this configuration uses PostgreSQL " +
    "(HERALD_DATABASE_URL is set): back it up with PostgreSQL's tools, e.g. " +
    `pg_dump --format=custom --schema=${config.databaseSchema} --file=herald.dump "$HERALD_DATABASE_URL" ` +
    "(or pg_basebackup with WAL archiving); keep the master key (HERALD_MASTER_KEY) too, apart " +
    "from the dump (see docs/operations.md, Backups)"
  );
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

/** Where the copy goes: refused when something is there already, unless --force. */
function checkTarget(target: string, source: string, force: boolean): void {
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError(`${dir} does not exist or is not a directory`);
  }
  if ([source, ...companions(source)].some((file) => sameFile(target, file))) {
    throw new ConfigError(`${target} is the store itself: give another file`);
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new ConfigError(`${target} is a directory: give a file name`);
  }
  const present = [target, ...companions(target)].filter((file) => existsSync(file));
  if (present.length > 0 && !force) {
    throw new ConfigError(`${present[0]} exists; give another file, or --force to replace it`);
  }
}

function progressBar(): {
  update: (done: number, total: number) => void;
  stop: () => void;
} {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar(
    {
      format: "backing up {bar} {percentage}% {value}/{total} pages",
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, done);
      else {
        bar.setTotal(total);
        bar.update(done);
      }
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Copies `source` into the new file `destination`, as of one read transaction. */
async function copy(source: string, destination: string): Promise<number> {
  const db = new Database(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  const bar = progressBar();
  try {
    // One snapshot for every step: without it, each write Herald commits between two steps
    // would restart the copy (and a busy Herald would never let it finish).
    db.exec("BEGIN");
    db.prepare("SELECT COUNT(*) FROM sqlite_master").get();
    const result = await db.backup(destination, {
      progress({ totalPages, remainingPages }) {
        bar.update(totalPages - remainingPages, totalPages);
        // About 200 steps (at least 100 pages each); the progress bar moves between them.
        return Math.max(100, Math.ceil(totalPages / 200));
      },
    });
    bar.update(result.totalPages, result.totalPages);
    return result.totalPages;
  } finally {
    bar.stop();
    if (db.inTransaction) db.exec("COMMIT");
    db.close();
  }
}

/** Opens the copy as SQLite would at a restore: whole, and a Herald store (its schema's version). */
function check(path: string): { integrity: string; schemaVersion: number } {
  const db = new Database(path, { fileMustExist: true });
  try {
    // A file of its own (no -wal beside it to keep with it); Herald turns WAL on when it opens it.
    db.pragma("journal_mode = DELETE");
    const rows = db.pragma("integrity_check") as Array<{ integrity_check: string }>;
    const integrity = rows.map((r) => r.integrity_check).join("; ");
    if (integrity !== "ok")
      throw new Error(`the copy fails SQLite's integrity check: ${integrity}`);
    const hasMigrations = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    if (!hasMigrations)
      throw new Error("the copy is no Herald store (it has no schema_migrations)");
    const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as {
      v: number | null;
    };
    return { integrity, schemaVersion: row.v ?? 0 };
  } finally {
    db.close();
  }
}

function fsyncPath(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, "r");
    fsyncSync(fd);
  } catch {
    // Directories cannot be opened on every platform; the rename is still done.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

async function backup(source: string, target: string, force: boolean): Promise<Copied> {
  const started = Date.now();
  const partial = join(
    dirname(target),
    `.${basename(target)}.partial-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  const removePartial = () => {
    for (const file of [partial, ...companions(partial)]) rmSync(file, { force: true });
  };
  // Interrupted: no half-written copy left behind (not even under its hidden name).
  const onSignal = (signal: NodeJS.Signals) => {
    removePartial();
    process.stderr.write(`\nherald: backup interrupted (${signal}); nothing written\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let done = false;
  try {
    // Readable by its owner only, as SQLite keeps it (and its journal) from here on: the copy
    // holds every event's payload and the sealed secrets.
    writeFileSync(partial, "", { mode: 0o600, flag: "wx" });
    const pages = await copy(source, partial);
    const { integrity, schemaVersion } = check(partial);
    fsyncPath(partial);
    if (force) for (const file of companions(target)) rmSync(file, { force: true });
    renameSync(partial, target);
    fsyncPath(dirname(target));
    done = true;
    return {
      pages,
      bytes: statSync(target).size,
      ms: Date.now() - started,
      integrity,
      schemaVersion,
    };
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    if (!done) removePartial();
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

export async function runBackup(file: string, flags: Flags): Promise<void> {
  const { force = false, ...settings } = flags;
  const config = configOrExit(settings as Record<string, string | undefined>);
  if (config.databaseUrl) fail(postgresRefusal(config));
  const dataDir = resolve(config.dataDir);
  const source = join(dataDir, "herald.db");
  const target = resolve(file);
  let failure: string | null = null;
  try {
    if (!existsSync(source)) {
      throw new ConfigError(
        `no Herald store at ${source} (set --data-dir or HERALD_DATA_DIR to Herald's data dir)`,
      );
    }
    checkTarget(target, source, force === true);
    const copied = await backup(source, target, force === true);
    print(`backed up ${source} to ${target}`);
    print(
      `${copied.pages} pages, ${formatBytes(copied.bytes)} (${copied.bytes} bytes), ` +
        `in ${(copied.ms / 1000).toFixed(2)} s`,
    );
    print(`integrity check: ${copied.integrity}; schema version ${copied.schemaVersion}`);
    const key = config.masterKey ? "HERALD_MASTER_KEY" : join(dataDir, "master.key");
    print(
      `its sealed secrets open only with the master key (${key}): keep a copy of the key too, ` +
        "apart from the backup",
    );
  } catch (error) {
    const message = (error as Error).message;
    failure = error instanceof ConfigError ? message : `backup failed, nothing written: ${message}`;
  }
  if (failure) fail(failure);
}

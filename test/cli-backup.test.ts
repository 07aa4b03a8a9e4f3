import Database from "better-sqlite3";
import assert from "node:assert/strict";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { runHerald } from "./helpers/child-herald.js";
import { startTestHerald, type TestHerald } from "./helpers/herald.js";

// `herald backup <file>` as an operator runs it: a separate process, while Herald runs and
// takes events; the copy holds every event acknowledged before it started and opens as a store.

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "herald-backup-"));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");

/** Publishes events with `workers` requests in flight until stopped; records the acknowledged ids. */
function publishing(h: TestHerald, workers = 4) {
  const acknowledged: string[] = [];
  const failures: string[] = [];
  let stopped = false;
  let n = 0;
  // Padded so the store spans many backup steps (at least 100 pages, 400 KB, each).
  const pad = "x".repeat(8000);
  const loops = Array.from({ length: workers }, async () => {
    while (!stopped) {
      const res = await h.api("POST", "/events", { type: "test.backup", data: { n: n++, pad } });
      if ((res.status === 201 || res.status === 202) && typeof res.body?.id === "string") {
        acknowledged.push(res.body.id as string);
      } else {
        failures.push(`${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  });
  return {
    acknowledged,
    failures,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The copy at `path`: whole, and holding every one of `ids` (events); their project. */
function checkCopy(path: string, ids: string[]): string {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    assert.deepEqual(copy.pragma("integrity_check"), [{ integrity_check: "ok" }]);
    const has = copy.prepare("SELECT project_id FROM events WHERE id = ?");
    const missing = ids.filter((id) => has.get(id) === undefined);
    assert.deepEqual(missing, [], `${path}: ${missing.length} of ${ids.length} events missing`);
    const pages = copy.pragma("page_count", { simple: true }) as number;
    assert.ok(pages > 200, `the store spans several backup steps (${pages} pages)`);
    return (has.get(ids[0]) as { project_id: string }).project_id;
  } finally {
    copy.close();
  }
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Each CLI run costs a second or more of CPU: the three runs against the running Herald go at once.
describe("herald backup", { concurrency: 2, timeout: 180_000 }, () => {
  test("copies the store while Herald runs and takes events; the copy opens as a store", async () => {
    const h = await startTestHerald();
    const publisher = publishing(h);
    const out = freshDir();
    const target = join(out, "herald-backup.db");
    const existing = join(out, "existing.db");
    const replaced = join(out, "replaced.db");
    writeFileSync(existing, "not a backup\n");
    writeFileSync(replaced, "not a backup\n");
    try {
      await until(() => publisher.acknowledged.length >= 150, "150 events published");
      const before = [...publisher.acknowledged];
      const env = { HERALD_DATA_DIR: h.dataDir };
      const [result, refused, forced] = await Promise.all([
        runHerald(["backup", target], env),
        runHerald(["backup", existing], env),
        runHerald(["backup", replaced, "--force"], env),
      ]);
      const during = publisher.acknowledged.length - before.length;
      await publisher.stop();
      assert.deepEqual(publisher.failures, []);
      assert.equal(result.code, 0, `exit code; stderr:\n${result.stderr}`);
      assert.ok(during > 0, "Herald kept acknowledging events during the backup");

      // What it prints: the copy's pages, size, path, time, and its check.
      assert.match(result.stdout, new RegExp(`to ${escaped(target)}\n`));
      assert.match(result.stdout, /\d+ pages, [\d.]+ \w+ \(\d+ bytes\), in [\d.]+ s/);
      assert.match(result.stdout, /integrity check: ok; schema version \d+/);
      assert.match(result.stdout, /master key/);

      // An existing target: refused in one line, untouched; replaced with --force.
      assert.equal(refused.code, 1);
      assert.equal(lines(refused.stderr).length, 1, refused.stderr);
      assert.match(refused.stderr, /existing\.db exists; give another file, or --force/);
      assert.doesNotMatch(refused.stderr, /\n\s+at /, "no stack trace");
      assert.equal(readFileSync(existing, "utf8"), "not a backup\n");
      assert.equal(forced.code, 0, `--force: exit code; stderr:\n${forced.stderr}`);
      checkCopy(replaced, before);

      // No half-written copy left beside the targets.
      assert.deepEqual(readdirSync(out).sort(), ["existing.db", "herald-backup.db", "replaced.db"]);
      const projectId = checkCopy(target, before);

      // Restored: the copy as herald.db in a data dir, with the master key the secrets need.
      const restored = freshDir();
      copyFileSync(target, join(restored, "herald.db"));
      copyFileSync(join(h.dataDir, "master.key"), join(restored, "master.key"));
      const store = new SqliteStore(join(restored, "herald.db"));
      try {
        const { current, latest } = await store.schemaVersion();
        assert.equal(current, latest);
        assert.equal(result.stdout.match(/schema version (\d+)/)?.[1], String(current));
        for (const id of [before[0]!, before[before.length - 1]!]) {
          const event = await store.getEvent(projectId, id);
          assert.equal(event?.type, "test.backup", id);
        }
      } finally {
        await store.close();
      }
      const second = await startTestHerald({ HERALD_DATA_DIR: restored });
      try {
        const res = await second.api("GET", `/events/${before[before.length - 1]}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
      } finally {
        await second.stop();
      }
    } finally {
      await publisher.stop();
      await h.stop();
    }
  });

  test("refuses on PostgreSQL, pointing to pg_dump, without a stack trace", async () => {
    const out = freshDir();
    const target = join(out, "pg.db");
    const refused = await runHerald(["backup", target], {
      HERALD_DATA_DIR: freshDir(),
      HERALD_DATABASE_URL: "postgres://herald:secret@127.0.0.1:1/herald",
    });
    assert.equal(refused.code, 1);
    assert.equal(lines(refused.stderr).length, 1, refused.stderr);
    assert.match(refused.stderr, /PostgreSQL/);
    assert.match(refused.stderr, /pg_dump/);
    assert.doesNotMatch(refused.stderr, /secret/, "the URL's password is not printed");
    assert.doesNotMatch(refused.stderr, /\n\s+at /, "no stack trace");
    assert.equal(existsSync(target), false);
  });
});

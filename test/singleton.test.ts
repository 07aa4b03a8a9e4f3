// Singleton: a job runs in one process at a time, and moves when its holder loses the lock.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Singleton, type ExclusiveLocks } from "../src/core/runtime/singleton.js";
import { eventually } from "./helpers/herald.js";

/** Locks shared by several "processes": each lock is held by one of them at a time. */
class SharedLocks {
  readonly holders = new Map<string, string>();
  private readonly listeners = new Map<string, Array<(names: string[]) => void>>();

  forProcess(processName: string): ExclusiveLocks {
    return {
      tryAcquire: async (name) => {
        const holder = this.holders.get(name);
        if (holder && holder !== processName) return false;
        this.holders.set(name, processName);
        return true;
      },
      release: async (name) => {
        if (this.holders.get(name) === processName) this.holders.delete(name);
      },
      onLost: (listener) => {
        this.listeners.set(processName, [...(this.listeners.get(processName) ?? []), listener]);
        return () => undefined;
      },
    };
  }

  /** The process's session ends: its locks are gone, and it is told. */
  dropSession(processName: string): void {
    const names = [...this.holders].filter(([, p]) => p === processName).map(([n]) => n);
    for (const name of names) this.holders.delete(name);
    for (const listener of this.listeners.get(processName) ?? []) listener(names);
  }
}

const log = { info: () => undefined, warn: () => undefined };

function job(name: string, running: Set<string>) {
  return () => ({
    start: async () => void running.add(name),
    stop: async () => void running.delete(name),
  });
}

test("one holder at a time; when it loses its lock the job moves to another process", async () => {
  const locks = new SharedLocks();
  const running = new Set<string>();
  const a = new Singleton(locks.forProcess("a"), "chain:local", job("a", running), log, 20);
  const b = new Singleton(locks.forProcess("b"), "chain:local", job("b", running), log, 20);
  await a.start();
  await b.start();
  assert.deepEqual([...running], ["a"]);
  assert.equal(a.holding, true);
  assert.equal(b.holding, false);

  locks.dropSession("a"); // a's database session died
  await eventually(() => running.has("b"), { message: "b takes over" });
  assert.deepEqual([...running], ["b"], "a stopped before b started");
  assert.equal(locks.holders.get("chain:local"), "b");

  await b.stop();
  assert.equal(locks.holders.has("chain:local"), false, "stop releases the lock");
  await eventually(() => running.has("a"), { message: "a takes it back" });
  await a.stop();
  assert.deepEqual([...running], []);
});

test("a job that fails to start releases the lock and is tried again", async () => {
  const locks = new SharedLocks();
  let starts = 0;
  const singleton = new Singleton(
    locks.forProcess("a"),
    "retention",
    () => ({
      start: async () => {
        starts += 1;
        if (starts === 1) throw new Error("not yet");
      },
      stop: async () => undefined,
    }),
    log,
    20,
  );
  await assert.rejects(singleton.start(), /not yet/);
  assert.equal(locks.holders.has("retention"), false);
  await eventually(() => singleton.holding, { message: "the second start" });
  assert.equal(starts, 2);
  await singleton.stop();
});

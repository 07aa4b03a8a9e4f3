import { nextTurn } from "../../core/policy/publish-fairness.js";
import type { Db } from "./database.js";

/** Events written in one transaction at most (a single publish always fits). */
const TURN_BUDGET = 500;

interface Waiting {
  projectId: string;
  weight: number;
  work: (db: Db) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for publishes: calls that arrive together share one transaction (one WAL
 * commit) instead of paying for a commit each, every call in its own savepoint so one failing
 * call rolls back alone; each caller hears back after the commit. Calls are taken in fair
 * turns (policy/publish-fairness.ts), a turn per transaction, and the event loop is free
 * between turns: a flood of big batches never holds up a single event for long.
 */
export function fairGroupCommit(db: Db) {
  let queue: Waiting[] = [];
  let scheduled = false;
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  const flush = () => {
    scheduled = false;
    const turn = nextTurn(queue, TURN_BUDGET);
    const taken = new Set(turn);
    queue = queue.filter((item) => !taken.has(item));
    if (queue.length > 0) schedule();
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      db.transaction(() => {
        for (const item of turn) {
          try {
            // A nested better-sqlite3 transaction is a savepoint.
            results.push({ ok: true, value: db.transaction(() => item.work(db))() });
          } catch (error) {
            results.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const item of turn) item.reject(error);
      return;
    }
    turn.forEach((item, i) => {
      const result = results[i]!;
      if (result.ok) item.resolve(result.value);
      else item.reject(result.error);
    });
  };
  /** Writes `work` in the project's turn; `weight`: how many events it writes. */
  return <R>(projectId: string, weight: number, work: (db: Db) => R): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      queue.push({ projectId, weight, work, resolve: resolve as (v: unknown) => void, reject });
      schedule();
    });
}

import type { Db } from "./database.js";

/**
 * Group commit: calls that arrive in the same tick share one transaction (one WAL commit)
 * instead of paying for a commit each. Every call still runs in its own savepoint, so one
 * failing call rolls back alone, and each caller hears back only after the commit.
 */
export function groupCommit<A extends unknown[], R>(db: Db, fn: (db: Db, ...args: A) => R) {
  let queue: Array<{ args: A; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  const flush = () => {
    const batch = queue;
    queue = [];
    const results: Array<{ ok: true; value: R } | { ok: false; error: unknown }> = [];
    try {
      db.transaction(() => {
        for (const item of batch) {
          try {
            // A nested better-sqlite3 transaction is a savepoint.
            results.push({ ok: true, value: db.transaction(() => fn(db, ...item.args))() });
          } catch (error) {
            results.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const result = results[i]!;
      if (result.ok) item.resolve(result.value);
      else item.reject(result.error);
    });
  };
  return (...args: A): Promise<R> =>
    new Promise<R>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ args, resolve, reject });
    });
}

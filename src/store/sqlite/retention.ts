import type { PruneCounts, PruneCutoffs } from "../../core/runtime/retention.js";
import { sql, type Db } from "./database.js";

/** One batch of each: old events whose deliveries are all finished (their deliveries and
 * attempts go with them, ON DELETE CASCADE), old idempotency keys, old observed-log records. */
export function pruneExpired(db: Db, cutoffs: PruneCutoffs, limit: number): PruneCounts {
  return db.transaction(() => {
    const events = sql(
      db,
      `DELETE FROM events WHERE id IN (
         SELECT e.id FROM events e
         WHERE e.id < ? AND NOT EXISTS (
           SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN ('pending', 'paused'))
         ORDER BY e.id LIMIT ?)`,
    ).run(cutoffs.eventIdBefore, limit).changes;
    const idempotencyKeys = sql(
      db,
      `DELETE FROM idempotency_keys WHERE rowid IN (
         SELECT rowid FROM idempotency_keys WHERE created_at < ? LIMIT ?)`,
    ).run(cutoffs.idempotencyBefore, limit).changes;
    const observedLogs = sql(
      db,
      `DELETE FROM chain_observed_logs WHERE rowid IN (
         SELECT rowid FROM chain_observed_logs WHERE created_at < ? LIMIT ?)`,
    ).run(cutoffs.observedBefore, limit).changes;
    return { events, idempotencyKeys, observedLogs };
  })();
}

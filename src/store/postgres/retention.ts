import type { PruneCounts, PruneCutoffs } from "../../core/runtime/retention.js";
import { rows, run, withTransaction, type Pool } from "./database.js";

/**
 * One batch of each: old events whose deliveries are all finished (their deliveries and
 * attempts go with them, ON DELETE CASCADE), old idempotency keys, old observed-log records.
 *
 * Other processes keep working meanwhile. The old events are locked first (skipping any
 * another transaction holds: a resend locks its event), and only then is "no delivery
 * pending" checked, by a statement that sees every commit up to then: an event being resent
 * is never deleted under the resend.
 */
export function pruneExpired(
  pool: Pool,
  cutoffs: PruneCutoffs,
  limit: number,
): Promise<PruneCounts> {
  return withTransaction(pool, async (client) => {
    const candidates = await rows(
      client,
      `SELECT e.id FROM events e
       WHERE e.id < $1 AND NOT EXISTS (
         SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN ('pending', 'paused'))
       ORDER BY e.id LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [cutoffs.eventIdBefore, limit],
    );
    const events = await run(
      client,
      `DELETE FROM events e WHERE e.id = ANY ($1::text[]) AND NOT EXISTS (
         SELECT 1 FROM deliveries d WHERE d.event_id = e.id AND d.status IN ('pending', 'paused'))`,
      [candidates.map((c) => c.id)],
    );
    const idempotencyKeys = await run(
      client,
      // By ctid, oldest first: the subquery walks the created_at index and stops at the limit.
      `DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM idempotency_keys WHERE created_at < $1 ORDER BY created_at LIMIT $2))`,
      [cutoffs.idempotencyBefore, limit],
    );
    const observedLogs = await run(
      client,
      `DELETE FROM chain_observed_logs WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM chain_observed_logs WHERE created_at < $1 ORDER BY created_at LIMIT $2))`,
      [cutoffs.observedBefore, limit],
    );
    return { events, idempotencyKeys, observedLogs };
  });
}

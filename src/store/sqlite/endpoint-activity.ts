import type { AttemptBucket } from "../../core/interfaces.js";
import { sql, type Db } from "./database.js";
import { toAttemptBucket } from "../rows.js";

// What the console's endpoint page and overview need beyond plain listings.

export function resendFailedDeliveries(
  db: Db,
  projectId: string,
  endpointId: string,
  since: number,
  at: number,
): number | null {
  return db.transaction(() => {
    const endpoint = sql(db, "SELECT enabled FROM endpoints WHERE id = ? AND project_id = ?").get(
      endpointId,
      projectId,
    ) as { enabled: number } | undefined;
    if (!endpoint) return null;
    const result = sql(
      db,
      `UPDATE deliveries SET status = ?, schedule_index = 0, next_attempt_at = ?,
         lease_owner = NULL, completed_at = NULL, updated_at = ?
       WHERE endpoint_id = ? AND status = 'failed' AND created_at >= ?`,
    ).run(endpoint.enabled ? "pending" : "paused", at, at, endpointId, since);
    return result.changes;
  })();
}

export function endpointAttemptStats(
  db: Db,
  endpointId: string,
  from: number,
  bucketMs: number,
): AttemptBucket[] {
  const rows = sql(
    db,
    `SELECT CAST((started_at - ?) / ? AS INTEGER) AS bucket,
            SUM(CASE WHEN outcome = 'succeeded' THEN 1 ELSE 0 END) AS succeeded,
            SUM(CASE WHEN outcome = 'succeeded' THEN 0 ELSE 1 END) AS failed,
            SUM(duration_ms) AS total_ms, MAX(duration_ms) AS max_ms
     FROM attempts WHERE endpoint_id = ? AND started_at >= ?
     GROUP BY 1 ORDER BY 1`,
  ).all(from, bucketMs, endpointId, from) as Record<string, unknown>[];
  return rows.map(toAttemptBucket);
}

import type { AttemptBucket } from "../../core/interfaces.js";
import { atomically, row, rows, run, type Db } from "./database.js";
import { toAttemptBucket } from "../rows.js";

// What the console's endpoint page and overview need beyond plain listings.

export function resendFailedDeliveries(
  db: Db,
  projectId: string,
  endpointId: string,
  since: number,
  at: number,
): Promise<number | null> {
  return atomically(db, async (client) => {
    const endpoint = await row(
      client,
      "SELECT enabled FROM endpoints WHERE id = $1 AND project_id = $2",
      [endpointId, projectId],
    );
    if (!endpoint) return null;
    // Rows locked in id order first, the order outcome batches take them in (no deadlock).
    await client.query(
      `SELECT 1 FROM deliveries WHERE endpoint_id = $1 AND status = 'failed' AND created_at >= $2
       ORDER BY id FOR NO KEY UPDATE`,
      [endpointId, since],
    );
    return run(
      client,
      `UPDATE deliveries SET status = $1, schedule_index = 0, next_attempt_at = $2,
         lease_owner = NULL, completed_at = NULL, updated_at = $2
       WHERE endpoint_id = $3 AND status = 'failed' AND created_at >= $4`,
      [endpoint.enabled ? "pending" : "paused", at, endpointId, since],
    );
  });
}

export async function endpointAttemptStats(
  db: Db,
  endpointId: string,
  from: number,
  bucketMs: number,
): Promise<AttemptBucket[]> {
  const found = await rows(
    db,
    `SELECT (started_at - $1) / $2 AS bucket,
            SUM(CASE WHEN outcome = 'succeeded' THEN 1 ELSE 0 END) AS succeeded,
            SUM(CASE WHEN outcome = 'succeeded' THEN 0 ELSE 1 END) AS failed,
            SUM(duration_ms) AS total_ms, MAX(duration_ms) AS max_ms
     FROM attempts WHERE endpoint_id = $3 AND started_at >= $1
     GROUP BY 1 ORDER BY 1`,
    [from, bucketMs, endpointId],
  );
  return found.map(toAttemptBucket);
}

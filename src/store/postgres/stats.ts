// What an operator's metrics read from the store at each scrape (see src/observability/).
import type { OperationalStats } from "../../core/ports/store.js";
import { row, rows, type Db } from "./database.js";

export async function operationalStats(db: Db, now: number): Promise<OperationalStats> {
  // Due: pending, its time come (a leased delivery's time is its lease's end), not parked.
  const [queue, endpoints, jobs] = await Promise.all([
    row(
      db,
      `SELECT COUNT(*) AS pending,
              COUNT(*) FILTER (WHERE next_attempt_at <= $1 AND NOT parked) AS due,
              MIN(next_attempt_at) FILTER (WHERE next_attempt_at <= $1 AND NOT parked) AS oldest
       FROM deliveries WHERE status = 'pending'`,
      [now],
    ),
    rows(
      db,
      `SELECT CASE WHEN NOT enabled THEN 'disabled'
                   WHEN failing_since IS NOT NULL THEN 'failing' ELSE 'healthy' END AS state,
              COUNT(*) AS n
       FROM endpoints GROUP BY 1`,
    ),
    rows(
      db,
      `SELECT chain, status, COUNT(*) AS n FROM chain_jobs
       WHERE status IN ('queued', 'sent', 'confirmed') GROUP BY chain, status`,
    ),
  ]);
  return {
    pendingDeliveries: Number(queue?.pending ?? 0),
    dueDeliveries: Number(queue?.due ?? 0),
    oldestDueAt:
      queue?.oldest === null || queue?.oldest === undefined ? null : Number(queue.oldest),
    endpoints: Object.fromEntries(endpoints.map((r) => [r.state as string, Number(r.n)])),
    openChainJobs: jobs.map((r) => ({
      chain: r.chain as string,
      status: r.status as string,
      count: Number(r.n),
    })),
  };
}

// What an operator's metrics read from the store at each scrape (see src/observability/).
import type { OperationalStats } from "../../core/ports/store.js";
import { sql, type Db } from "./database.js";

type Row = Record<string, unknown>;

export function operationalStats(db: Db, now: number): OperationalStats {
  // Due: pending, its time come (a leased delivery's time is its lease's end), not parked.
  const queue = sql(
    db,
    `SELECT COUNT(*) AS pending,
            SUM(CASE WHEN next_attempt_at <= ? AND parked = 0 THEN 1 ELSE 0 END) AS due,
            MIN(CASE WHEN next_attempt_at <= ? AND parked = 0 THEN next_attempt_at END) AS oldest
     FROM deliveries WHERE status = 'pending'`,
  ).get(now, now) as Row;
  const endpoints = sql(
    db,
    `SELECT CASE WHEN enabled = 0 THEN 'disabled'
                 WHEN failing_since IS NOT NULL THEN 'failing' ELSE 'healthy' END AS state,
            COUNT(*) AS n
     FROM endpoints GROUP BY state`,
  ).all() as Row[];
  const jobs = sql(
    db,
    `SELECT chain, status, COUNT(*) AS n FROM chain_jobs
     WHERE status IN ('queued', 'sent', 'confirmed') GROUP BY chain, status`,
  ).all() as Row[];
  return {
    pendingDeliveries: Number(queue.pending ?? 0),
    dueDeliveries: Number(queue.due ?? 0),
    oldestDueAt: queue.oldest === null || queue.oldest === undefined ? null : Number(queue.oldest),
    endpoints: Object.fromEntries(endpoints.map((r) => [r.state as string, Number(r.n)])),
    openChainJobs: jobs.map((r) => ({
      chain: r.chain as string,
      status: r.status as string,
      count: Number(r.n),
    })),
  };
}

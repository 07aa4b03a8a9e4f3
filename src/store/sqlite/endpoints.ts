import type {
  EndpointPatch,
  Idempotency,
  IdempotentResult,
  Page,
  SecretRotation,
  StoredEndpoint,
} from "../../core/interfaces.js";
import type { PageRequest } from "../../core/ports/store.js";
import { sql, type Db } from "./database.js";
import { withIdempotency } from "./idempotency.js";
import { pageOf, toEndpoint } from "../rows.js";

type Row = Record<string, unknown>;

export function getEndpoint(db: Db, projectId: string, id: string): StoredEndpoint | null {
  const row = sql(db, "SELECT * FROM endpoints WHERE id = ? AND project_id = ?").get(
    id,
    projectId,
  ) as Row | undefined;
  return row ? toEndpoint(row) : null;
}

export function createEndpoint(
  db: Db,
  e: StoredEndpoint,
  idempotency?: Idempotency,
): IdempotentResult<StoredEndpoint> {
  return db.transaction(() =>
    withIdempotency(
      db,
      e.projectId,
      "endpoints",
      idempotency,
      e.createdAt,
      () => {
        sql(
          db,
          `INSERT INTO endpoints (id, project_id, url, destination_type, destination_enc,
             description, event_types, enabled, disabled_reason, rate_limit, format, signing,
             public_key, secret_enc, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          e.id,
          e.projectId,
          e.url,
          e.destinationType,
          e.destinationEnc,
          e.description,
          e.eventTypes === null ? null : JSON.stringify(e.eventTypes),
          e.enabled ? 1 : 0,
          e.disabledReason,
          e.rateLimit,
          e.format,
          e.signing,
          e.publicKey,
          e.secretEnc,
          e.createdAt,
          e.updatedAt,
        );
        return e.id;
      },
      (id) => getEndpoint(db, e.projectId, id),
    ),
  )();
}

export function listEndpoints(db: Db, projectId: string, page: PageRequest): Page<StoredEndpoint> {
  const rows = sql(
    db,
    `SELECT * FROM endpoints WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?`,
  ).all(projectId, page.cursor ?? "", page.limit + 1) as Row[];
  return pageOf(rows.map(toEndpoint), page.limit);
}

/**
 * Pausing keeps a disabled endpoint's pending deliveries out of the queue until it is enabled.
 * Leases are kept, so an attempt in flight still records its outcome.
 */
export function setDeliveriesPaused(db: Db, endpointId: string, paused: boolean, at: number): void {
  if (paused) {
    sql(
      db,
      `UPDATE deliveries SET status = 'paused', updated_at = ?
       WHERE endpoint_id = ? AND status = 'pending'`,
    ).run(at, endpointId);
  } else {
    sql(
      db,
      `UPDATE deliveries SET status = 'pending', next_attempt_at = MAX(COALESCE(next_attempt_at, 0), ?),
         updated_at = ? WHERE endpoint_id = ? AND status = 'paused'`,
    ).run(at, at, endpointId);
  }
}

export function updateEndpoint(
  db: Db,
  projectId: string,
  id: string,
  patch: EndpointPatch,
  at: number,
): StoredEndpoint | null {
  return db.transaction(() => {
    const before = getEndpoint(db, projectId, id);
    if (!before) return null;
    const enabled = patch.enabled ?? before.enabled;
    const disabledReason = enabled
      ? null
      : patch.disabledReason !== undefined
        ? patch.disabledReason
        : before.enabled
          ? "disabled by the user"
          : before.disabledReason;
    const eventTypes = patch.eventTypes !== undefined ? patch.eventTypes : before.eventTypes;
    sql(
      db,
      `UPDATE endpoints SET url = ?, destination_type = ?, destination_enc = ?, description = ?,
         event_types = ?, enabled = ?, disabled_reason = ?, rate_limit = ?, format = ?,
         failing_since = ?, updated_at = ?
       WHERE id = ?`,
    ).run(
      patch.url ?? before.url,
      patch.destinationType ?? before.destinationType,
      patch.destinationEnc !== undefined ? patch.destinationEnc : before.destinationEnc,
      patch.description ?? before.description,
      eventTypes === null ? null : JSON.stringify(eventTypes),
      enabled ? 1 : 0,
      disabledReason,
      patch.rateLimit !== undefined ? patch.rateLimit : before.rateLimit,
      patch.format ?? before.format,
      // Re-enabling starts the failure clock afresh.
      enabled && !before.enabled ? null : before.failingSince,
      at,
      id,
    );
    if (enabled !== before.enabled) setDeliveriesPaused(db, id, !enabled, at);
    return getEndpoint(db, projectId, id);
  })();
}

export function rotateEndpointSecret(
  db: Db,
  projectId: string,
  id: string,
  next: SecretRotation,
  previousExpiresAt: number,
  at: number,
): StoredEndpoint | null {
  const result = sql(
    db,
    `UPDATE endpoints SET previous_secret_enc = secret_enc, previous_secret_expires_at = ?,
       secret_enc = ?, signing = ?, public_key = ?, updated_at = ?
     WHERE id = ? AND project_id = ?`,
  ).run(previousExpiresAt, next.secretEnc, next.signing, next.publicKey, at, id, projectId);
  return result.changes > 0 ? getEndpoint(db, projectId, id) : null;
}

export function deleteEndpoint(db: Db, projectId: string, id: string): boolean {
  return (
    sql(db, "DELETE FROM endpoints WHERE id = ? AND project_id = ?").run(id, projectId).changes > 0
  );
}

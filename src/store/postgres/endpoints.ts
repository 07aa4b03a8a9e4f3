import type {
  EndpointPatch,
  Idempotency,
  IdempotentResult,
  Page,
  SecretRotation,
  StoredEndpoint,
} from "../../core/interfaces.js";
import type { PageRequest } from "../../core/ports/store.js";
import { atomically, row, rows, run, type Db } from "./database.js";
import { withIdempotency } from "./idempotency.js";
import { pageOf, toEndpoint } from "../rows.js";

export async function getEndpoint(
  db: Db,
  projectId: string,
  id: string,
): Promise<StoredEndpoint | null> {
  const found = await row(db, "SELECT * FROM endpoints WHERE id = $1 AND project_id = $2", [
    id,
    projectId,
  ]);
  return found ? toEndpoint(found) : null;
}

export function createEndpoint(
  db: Db,
  e: StoredEndpoint,
  idempotency?: Idempotency,
): Promise<IdempotentResult<StoredEndpoint>> {
  return atomically(db, (client) =>
    withIdempotency(
      client,
      e.projectId,
      "endpoints",
      idempotency,
      e.createdAt,
      async () => {
        await run(
          client,
          `INSERT INTO endpoints (id, project_id, url, destination_type, destination_enc,
             description, event_types, enabled, disabled_reason, rate_limit, format, signing,
             public_key, secret_enc, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          [
            e.id,
            e.projectId,
            e.url,
            e.destinationType,
            e.destinationEnc,
            e.description,
            e.eventTypes === null ? null : JSON.stringify(e.eventTypes),
            e.enabled,
            e.disabledReason,
            e.rateLimit,
            e.format,
            e.signing,
            e.publicKey,
            e.secretEnc,
            e.createdAt,
            e.updatedAt,
          ],
        );
        return e.id;
      },
      (id) => getEndpoint(client, e.projectId, id),
    ),
  );
}

export async function listEndpoints(
  db: Db,
  projectId: string,
  page: PageRequest,
): Promise<Page<StoredEndpoint>> {
  const found = await rows(
    db,
    "SELECT * FROM endpoints WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    [projectId, page.cursor ?? "", page.limit + 1],
  );
  return pageOf(found.map(toEndpoint), page.limit);
}

/**
 * Pausing keeps a disabled endpoint's pending deliveries out of the queue until it is enabled.
 * Leases are kept, so an attempt in flight still records its outcome.
 */
export async function setDeliveriesPaused(
  db: Db,
  endpointId: string,
  paused: boolean,
  at: number,
): Promise<void> {
  if (paused) {
    await run(
      db,
      `UPDATE deliveries SET status = 'paused', updated_at = $1
       WHERE endpoint_id = $2 AND status = 'pending'`,
      [at, endpointId],
    );
  } else {
    await run(
      db,
      `UPDATE deliveries SET status = 'pending',
         next_attempt_at = GREATEST(COALESCE(next_attempt_at, 0), $1), updated_at = $1
       WHERE endpoint_id = $2 AND status = 'paused'`,
      [at, endpointId],
    );
  }
}

export function updateEndpoint(
  db: Db,
  projectId: string,
  id: string,
  patch: EndpointPatch,
  at: number,
): Promise<StoredEndpoint | null> {
  return atomically(db, async (client) => {
    // The row lock makes concurrent patches apply one after the other (no lost update); it
    // is taken before the endpoint's deliveries are touched, the order outcomes use too.
    const current = await row(
      client,
      "SELECT * FROM endpoints WHERE id = $1 AND project_id = $2 FOR NO KEY UPDATE",
      [id, projectId],
    );
    if (!current) return null;
    const before = toEndpoint(current);
    const enabled = patch.enabled ?? before.enabled;
    const disabledReason = enabled
      ? null
      : patch.disabledReason !== undefined
        ? patch.disabledReason
        : before.enabled
          ? "disabled by the user"
          : before.disabledReason;
    const eventTypes = patch.eventTypes !== undefined ? patch.eventTypes : before.eventTypes;
    const updated = await row(
      client,
      `UPDATE endpoints SET url = $1, destination_type = $2, destination_enc = $3,
         description = $4, event_types = $5, enabled = $6, disabled_reason = $7,
         rate_limit = $8, format = $9, failing_since = $10, updated_at = $11
       WHERE id = $12
       RETURNING *`,
      [
        patch.url ?? before.url,
        patch.destinationType ?? before.destinationType,
        patch.destinationEnc !== undefined ? patch.destinationEnc : before.destinationEnc,
        patch.description ?? before.description,
        eventTypes === null ? null : JSON.stringify(eventTypes),
        enabled,
        disabledReason,
        patch.rateLimit !== undefined ? patch.rateLimit : before.rateLimit,
        patch.format ?? before.format,
        // Re-enabling starts the failure clock afresh.
        enabled && !before.enabled ? null : before.failingSince,
        at,
        id,
      ],
    );
    if (enabled !== before.enabled) await setDeliveriesPaused(client, id, !enabled, at);
    return toEndpoint(updated!);
  });
}

export async function rotateEndpointSecret(
  db: Db,
  projectId: string,
  id: string,
  next: SecretRotation,
  previousExpiresAt: number,
  at: number,
): Promise<StoredEndpoint | null> {
  const rotated = await row(
    db,
    `UPDATE endpoints SET previous_secret_enc = secret_enc, previous_secret_expires_at = $1,
       secret_enc = $2, signing = $3, public_key = $4, updated_at = $5
     WHERE id = $6 AND project_id = $7
     RETURNING *`,
    [previousExpiresAt, next.secretEnc, next.signing, next.publicKey, at, id, projectId],
  );
  return rotated ? toEndpoint(rotated) : null;
}

export async function deleteEndpoint(db: Db, projectId: string, id: string): Promise<boolean> {
  return (
    (await run(db, "DELETE FROM endpoints WHERE id = $1 AND project_id = $2", [id, projectId])) > 0
  );
}

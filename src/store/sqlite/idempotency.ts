import type { Idempotency, IdempotentResult } from "../../core/interfaces.js";
import { sql, type Db } from "./database.js";

/**
 * Runs `create` unless `idempotency.key` was used before in this scope: then the first
 * resource is returned again (or a conflict if the request differs). A key whose resource has
 * since been deleted counts as unused. Call inside a transaction.
 */
export function withIdempotency<T>(
  db: Db,
  projectId: string,
  scope: string,
  idempotency: Idempotency | undefined,
  now: number,
  create: () => string,
  load: (id: string, sealedResponse: string | null) => T | null,
): IdempotentResult<T> {
  if (idempotency) {
    const seen = sql(
      db,
      `SELECT request_hash, resource_id, sealed_response FROM idempotency_keys
       WHERE project_id = ? AND scope = ? AND key = ?`,
    ).get(projectId, scope, idempotency.key) as
      { request_hash: string; resource_id: string; sealed_response: string | null } | undefined;
    if (seen) {
      if (seen.request_hash !== idempotency.requestHash) return { kind: "conflict" };
      const existing = load(seen.resource_id, seen.sealed_response);
      if (existing !== null) return { kind: "replayed", value: existing };
      sql(db, "DELETE FROM idempotency_keys WHERE project_id = ? AND scope = ? AND key = ?").run(
        projectId,
        scope,
        idempotency.key,
      );
    }
  }
  const id = create();
  if (idempotency) {
    sql(
      db,
      `INSERT INTO idempotency_keys (project_id, scope, key, request_hash, resource_id, created_at,
         sealed_response)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      projectId,
      scope,
      idempotency.key,
      idempotency.requestHash,
      id,
      now,
      idempotency.sealedResponse ?? null,
    );
  }
  return { kind: "created", value: load(id, idempotency?.sealedResponse ?? null)! };
}

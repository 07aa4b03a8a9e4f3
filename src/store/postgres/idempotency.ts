import type { Idempotency, IdempotentResult } from "../../core/interfaces.js";
import { LOCKS, row, rows, run, type Client } from "./database.js";

/** The advisory lock of one idempotency key (two requests with it wait for each other). */
function lockKey(projectId: string, scope: string, key: string): string {
  return JSON.stringify([projectId, scope, key]);
}

/**
 * Takes the locks of several idempotency keys in one order, so two batches that share keys
 * wait for each other instead of deadlocking. Call inside a transaction.
 */
export async function lockIdempotencyKeys(
  client: Client,
  keys: Array<{ projectId: string; scope: string; key: string }>,
): Promise<void> {
  if (keys.length === 0) return;
  const sorted = [...new Set(keys.map((k) => lockKey(k.projectId, k.scope, k.key)))].sort();
  await client.query(
    `SELECT pg_advisory_xact_lock($1, hashtext(k))
     FROM (SELECT unnest($2::text[]) AS k ORDER BY 1) AS keys`,
    [LOCKS.idempotency, sorted],
  );
}

/**
 * Runs `create` unless `idempotency.key` was used before in this scope: then the first
 * resource is returned again (or a conflict if the request differs). A key whose resource has
 * since been deleted counts as unused. Call inside a transaction: concurrent requests with
 * the same key are serialized by a transaction-scoped advisory lock, so the second sees the
 * first's row (and replays it) instead of failing on the primary key.
 */
export async function withIdempotency<T>(
  client: Client,
  projectId: string,
  scope: string,
  idempotency: Idempotency | undefined,
  now: number,
  create: () => Promise<string>,
  load: (id: string, sealedResponse: string | null) => Promise<T | null>,
): Promise<IdempotentResult<T>> {
  if (idempotency) {
    await lockIdempotencyKeys(client, [{ projectId, scope, key: idempotency.key }]);
    const seen = await row(
      client,
      `SELECT request_hash, resource_id, sealed_response FROM idempotency_keys
       WHERE project_id = $1 AND scope = $2 AND key = $3`,
      [projectId, scope, idempotency.key],
    );
    if (seen) {
      if (seen.request_hash !== idempotency.requestHash) return { kind: "conflict" };
      const existing = await load(
        seen.resource_id as string,
        seen.sealed_response as string | null,
      );
      if (existing !== null) return { kind: "replayed", value: existing };
      await run(
        client,
        "DELETE FROM idempotency_keys WHERE project_id = $1 AND scope = $2 AND key = $3",
        [projectId, scope, idempotency.key],
      );
    }
  }
  const id = await create();
  if (idempotency) {
    await run(
      client,
      `INSERT INTO idempotency_keys (project_id, scope, key, request_hash, resource_id, created_at,
         sealed_response)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        projectId,
        scope,
        idempotency.key,
        idempotency.requestHash,
        id,
        now,
        idempotency.sealedResponse ?? null,
      ],
    );
  }
  return { kind: "created", value: (await load(id, idempotency?.sealedResponse ?? null))! };
}

// Several keys of one scope at once, for batches: `keyOf` names a key in the maps below.

export interface KeyRef {
  projectId: string;
  key: string;
}

export const keyOf = (ref: KeyRef): string => JSON.stringify([ref.projectId, ref.key]);

/** The recorded uses of the keys: request hash and resource, by `keyOf`. */
export async function findIdempotencyKeys(
  client: Client,
  scope: string,
  refs: KeyRef[],
): Promise<Map<string, { requestHash: string; resourceId: string }>> {
  if (refs.length === 0) return new Map();
  const found = await rows(
    client,
    `SELECT k.project_id, k.key, k.request_hash, k.resource_id FROM idempotency_keys k
     JOIN unnest($2::text[], $3::text[]) AS r (project_id, key)
       ON k.project_id = r.project_id AND k.key = r.key
     WHERE k.scope = $1`,
    [scope, refs.map((r) => r.projectId), refs.map((r) => r.key)],
  );
  return new Map(
    found.map((r) => [
      keyOf({ projectId: r.project_id as string, key: r.key as string }),
      { requestHash: r.request_hash as string, resourceId: r.resource_id as string },
    ]),
  );
}

export async function forgetIdempotencyKeys(
  client: Client,
  scope: string,
  refs: KeyRef[],
): Promise<void> {
  if (refs.length === 0) return;
  await run(
    client,
    `DELETE FROM idempotency_keys k USING unnest($2::text[], $3::text[]) AS r (project_id, key)
     WHERE k.scope = $1 AND k.project_id = r.project_id AND k.key = r.key`,
    [scope, refs.map((r) => r.projectId), refs.map((r) => r.key)],
  );
}

export async function recordIdempotencyKeys(
  client: Client,
  scope: string,
  uses: Array<
    KeyRef & {
      requestHash: string;
      resourceId: string;
      createdAt: number;
      sealedResponse: string | null;
    }
  >,
): Promise<void> {
  if (uses.length === 0) return;
  await run(
    client,
    `INSERT INTO idempotency_keys (project_id, scope, key, request_hash, resource_id, created_at,
       sealed_response)
     SELECT u.project_id, $1, u.key, u.request_hash, u.resource_id, u.created_at, u.sealed_response
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
       AS u (project_id, key, request_hash, resource_id, created_at, sealed_response)`,
    [
      scope,
      uses.map((u) => u.projectId),
      uses.map((u) => u.key),
      uses.map((u) => u.requestHash),
      uses.map((u) => u.resourceId),
      uses.map((u) => u.createdAt),
      uses.map((u) => u.sealedResponse),
    ],
  );
}

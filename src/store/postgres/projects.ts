import { conflict } from "../../core/errors.js";
import type {
  ApiKey,
  AppSettings,
  Idempotency,
  IdempotentResult,
  NewApiKey,
  NewOriginalKey,
  Page,
  Project,
} from "../../core/interfaces.js";
import type { PageRequest } from "../../core/ports/store.js";
import { atomically, row, rows, run, type Db } from "./database.js";
import { withIdempotency } from "./idempotency.js";
import { insertOriginalKey } from "./original.js";
import { pageOf, toApiKey, toProject } from "../rows.js";

export async function insertApiKey(db: Db, key: NewApiKey): Promise<void> {
  await run(
    db,
    `INSERT INTO api_keys (id, project_id, key_hash, prefix, name, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [key.id, key.projectId, key.hash, key.prefix, key.name, key.createdAt],
  );
}

/** Projects are global: their idempotency keys live outside any project. */
const ADMIN_SCOPE = "";

export function createProject(
  db: Db,
  project: Project,
  firstKey: NewApiKey,
  idempotency?: Idempotency,
  originalKey?: NewOriginalKey,
): Promise<IdempotentResult<{ project: Project; sealedKey: string | null }>> {
  return atomically(db, (client) =>
    withIdempotency(
      client,
      ADMIN_SCOPE,
      "projects",
      idempotency,
      project.createdAt,
      async () => {
        // ON CONFLICT: two processes creating the same name at once get one project and
        // one conflict, not a unique-violation error.
        const inserted = await run(
          client,
          `INSERT INTO projects (id, name, created_at, region, environment)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (name) DO NOTHING`,
          [project.id, project.name, project.createdAt, project.region, project.environment],
        );
        if (inserted === 0) throw conflict(`a project named "${project.name}" already exists`);
        await insertApiKey(client, firstKey);
        if (originalKey) await insertOriginalKey(client, originalKey);
        return project.id;
      },
      async (id, sealedKey) => {
        const stored = await getProject(client, id);
        return stored ? { project: stored, sealedKey } : null;
      },
    ),
  );
}

export function createApiKey(
  db: Db,
  key: NewApiKey,
  idempotency?: Idempotency,
): Promise<IdempotentResult<{ key: ApiKey; sealedKey: string | null }>> {
  return atomically(db, (client) =>
    withIdempotency(
      client,
      key.projectId,
      "api-keys",
      idempotency,
      key.createdAt,
      async () => {
        await insertApiKey(client, key);
        return key.id;
      },
      async (id, sealedKey) => {
        const stored = await row(client, "SELECT * FROM api_keys WHERE id = $1", [id]);
        return stored ? { key: toApiKey(stored), sealedKey } : null;
      },
    ),
  );
}

export async function getProject(db: Db, id: string): Promise<Project | null> {
  const found = await row(db, "SELECT * FROM projects WHERE id = $1", [id]);
  return found ? toProject(found) : null;
}

export async function getProjectByName(db: Db, name: string): Promise<Project | null> {
  const found = await row(db, "SELECT * FROM projects WHERE name = $1", [name]);
  return found ? toProject(found) : null;
}

export async function listProjects(db: Db, page: PageRequest): Promise<Page<Project>> {
  const found = await rows(db, "SELECT * FROM projects WHERE id > $1 ORDER BY id LIMIT $2", [
    page.cursor ?? "",
    page.limit + 1,
  ]);
  return pageOf(found.map(toProject), page.limit);
}

export async function findApiKeyByHash(db: Db, hash: string): Promise<ApiKey | null> {
  const found = await row(db, "SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL", [
    hash,
  ]);
  return found ? toApiKey(found) : null;
}

export async function listApiKeys(
  db: Db,
  projectId: string,
  page: PageRequest,
): Promise<Page<ApiKey>> {
  const found = await rows(
    db,
    "SELECT * FROM api_keys WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    [projectId, page.cursor ?? "", page.limit + 1],
  );
  return pageOf(found.map(toApiKey), page.limit);
}

export async function revokeApiKey(
  db: Db,
  projectId: string,
  keyId: string,
  at: number,
): Promise<boolean> {
  const changed = await run(
    db,
    `UPDATE api_keys SET revoked_at = $1
     WHERE id = $2 AND project_id = $3 AND revoked_at IS NULL`,
    [at, keyId, projectId],
  );
  return changed > 0;
}

export async function updateProjectSettings(
  db: Db,
  id: string,
  settings: Partial<AppSettings>,
): Promise<Project | null> {
  const updated = await row(
    db,
    `UPDATE projects SET region = COALESCE($2, region), environment = COALESCE($3, environment)
     WHERE id = $1 RETURNING *`,
    [id, settings.region ?? null, settings.environment ?? null],
  );
  return updated ? toProject(updated) : null;
}

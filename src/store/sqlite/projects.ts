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
import { sql, type Db } from "./database.js";
import { insertOriginalKey } from "./original.js";
import { withIdempotency } from "./idempotency.js";
import type { PageRequest } from "../../core/ports/store.js";
import { pageOf, toApiKey, toProject } from "../rows.js";

export function insertApiKey(db: Db, key: NewApiKey): void {
  sql(
    db,
    `INSERT INTO api_keys (id, project_id, key_hash, prefix, name, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(key.id, key.projectId, key.hash, key.prefix, key.name, key.createdAt);
}

/** Projects are global: their idempotency keys live outside any project. */
const ADMIN_SCOPE = "";

export function createProject(
  db: Db,
  project: Project,
  firstKey: NewApiKey,
  idempotency?: Idempotency,
  originalKey?: NewOriginalKey,
): IdempotentResult<{ project: Project; sealedKey: string | null }> {
  return db.transaction(() =>
    withIdempotency(
      db,
      ADMIN_SCOPE,
      "projects",
      idempotency,
      project.createdAt,
      () => {
        if (getProjectByName(db, project.name)) {
          throw conflict(`a project named "${project.name}" already exists`);
        }
        sql(
          db,
          `INSERT INTO projects (id, name, created_at, region, environment)
           VALUES (?, ?, ?, ?, ?)`,
        ).run(project.id, project.name, project.createdAt, project.region, project.environment);
        insertApiKey(db, firstKey);
        if (originalKey) insertOriginalKey(db, originalKey);
        return project.id;
      },
      (id, sealedKey) => {
        const stored = getProject(db, id);
        return stored ? { project: stored, sealedKey } : null;
      },
    ),
  )();
}

export function createApiKey(
  db: Db,
  key: NewApiKey,
  idempotency?: Idempotency,
): IdempotentResult<{ key: ApiKey; sealedKey: string | null }> {
  return db.transaction(() =>
    withIdempotency(
      db,
      key.projectId,
      "api-keys",
      idempotency,
      key.createdAt,
      () => {
        insertApiKey(db, key);
        return key.id;
      },
      (id, sealedKey) => {
        const row = sql(db, "SELECT * FROM api_keys WHERE id = ?").get(id) as
          Record<string, unknown> | undefined;
        return row ? { key: toApiKey(row), sealedKey } : null;
      },
    ),
  )();
}

export function getProject(db: Db, id: string): Project | null {
  const row = sql(db, "SELECT * FROM projects WHERE id = ?").get(id) as Record<string, unknown>;
  return row ? toProject(row) : null;
}

export function getProjectByName(db: Db, name: string): Project | null {
  const row = sql(db, "SELECT * FROM projects WHERE name = ?").get(name) as Record<string, unknown>;
  return row ? toProject(row) : null;
}

export function listProjects(db: Db, page: PageRequest): Page<Project> {
  const rows = sql(db, "SELECT * FROM projects WHERE id > ? ORDER BY id LIMIT ?").all(
    page.cursor ?? "",
    page.limit + 1,
  ) as Record<string, unknown>[];
  return pageOf(rows.map(toProject), page.limit);
}

export function findApiKeyByHash(db: Db, hash: string): ApiKey | null {
  const row = sql(db, "SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL").get(
    hash,
  ) as Record<string, unknown>;
  return row ? toApiKey(row) : null;
}

export function listApiKeys(db: Db, projectId: string, page: PageRequest): Page<ApiKey> {
  const rows = sql(
    db,
    "SELECT * FROM api_keys WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?",
  ).all(projectId, page.cursor ?? "", page.limit + 1) as Record<string, unknown>[];
  return pageOf(rows.map(toApiKey), page.limit);
}

export function revokeApiKey(db: Db, projectId: string, keyId: string, at: number): boolean {
  const result = sql(
    db,
    "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND project_id = ? AND revoked_at IS NULL",
  ).run(at, keyId, projectId);
  return result.changes > 0;
}

export function updateProjectSettings(
  db: Db,
  id: string,
  settings: Partial<AppSettings>,
): Project | null {
  const before = getProject(db, id);
  if (!before) return null;
  sql(db, "UPDATE projects SET region = ?, environment = ? WHERE id = ?").run(
    settings.region ?? before.region,
    settings.environment ?? before.environment,
    id,
  );
  return getProject(db, id);
}

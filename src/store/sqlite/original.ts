// Original's API: a project's key pairs and its app users.
import type {
  NewOriginalKey,
  OriginalAsset,
  OriginalOperation,
  OriginalKey,
  OriginalUser,
  OriginalUserField,
} from "../../core/interfaces.js";
import type { PageRequest } from "../../core/ports/store.js";
import type { Page } from "../../core/interfaces.js";
import {
  ORIGINAL_USER_COLUMNS,
  pageOf,
  toOriginalAsset,
  toOriginalKey,
  toOriginalOperation,
  toOriginalUser,
} from "../rows.js";
import { sql, type Db } from "./database.js";

type Row = Record<string, unknown>;

export function insertOriginalKey(db: Db, key: NewOriginalKey): void {
  sql(
    db,
    `INSERT INTO original_keys (id, project_id, key_hash, prefix, secret_enc, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(key.id, key.projectId, key.hash, key.prefix, key.secretEnc, key.createdAt);
}

export function createOriginalKey(db: Db, key: NewOriginalKey): void {
  insertOriginalKey(db, key);
}

export function findOriginalKeyByHash(db: Db, hash: string): OriginalKey | null {
  const row = sql(db, "SELECT * FROM original_keys WHERE key_hash = ? AND revoked_at IS NULL").get(
    hash,
  ) as Row | undefined;
  return row ? toOriginalKey(row) : null;
}

/** The user, or which of its identifiers another user of the project already has. */
export function createOriginalUser(
  db: Db,
  user: OriginalUser,
): { kind: "created"; user: OriginalUser } | { kind: "taken"; field: OriginalUserField } {
  return db.transaction(() => {
    for (const field of Object.keys(ORIGINAL_USER_COLUMNS) as OriginalUserField[]) {
      const value = user[field];
      if (value !== null && findOriginalUser(db, user.projectId, field, value)) {
        return { kind: "taken" as const, field };
      }
    }
    sql(
      db,
      `INSERT INTO original_users (id, project_id, email, user_external_id, created_at)
       VALUES (?, ?, ?, ?, ?)`,
    ).run(user.id, user.projectId, user.email, user.userExternalId, user.createdAt);
    return { kind: "created" as const, user };
  })();
}

export function getOriginalUser(db: Db, projectId: string, id: string): OriginalUser | null {
  const row = sql(db, "SELECT * FROM original_users WHERE project_id = ? AND id = ?").get(
    projectId,
    id,
  ) as Row | undefined;
  return row ? toOriginalUser(row) : null;
}

export function findOriginalUser(
  db: Db,
  projectId: string,
  field: OriginalUserField,
  value: string,
): OriginalUser | null {
  const column = ORIGINAL_USER_COLUMNS[field];
  const row = sql(db, `SELECT * FROM original_users WHERE project_id = ? AND ${column} = ?`).get(
    projectId,
    value,
  ) as Row | undefined;
  return row ? toOriginalUser(row) : null;
}

export function createOriginalAsset(db: Db, asset: OriginalAsset): void {
  sql(
    db,
    `INSERT INTO original_assets (id, project_id, collection_id, user_uid, asset_external_id,
       name, unique_name, sale_price_in_usd, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    asset.id,
    asset.projectId,
    asset.collectionId,
    asset.userUid,
    asset.assetExternalId,
    asset.name,
    asset.uniqueName ? 1 : 0,
    asset.salePriceInUsd,
    asset.createdAt,
  );
}

export function getOriginalAsset(db: Db, projectId: string, id: string): OriginalAsset | null {
  const row = sql(db, "SELECT * FROM original_assets WHERE project_id = ? AND id = ?").get(
    projectId,
    id,
  ) as Row | undefined;
  return row ? toOriginalAsset(row) : null;
}

export function originalAssetNamed(
  db: Db,
  projectId: string,
  collectionId: string,
  name: string,
): boolean {
  return (
    sql(
      db,
      "SELECT 1 FROM original_assets WHERE project_id = ? AND collection_id = ? AND name = ? LIMIT 1",
    ).get(projectId, collectionId, name) !== undefined
  );
}

export function createOriginalOperation(db: Db, operation: OriginalOperation): void {
  sql(
    db,
    `INSERT INTO original_operations (id, project_id, kind, asset_uid, from_user_uid, to_address,
       action_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    operation.id,
    operation.projectId,
    operation.kind,
    operation.assetUid,
    operation.fromUserUid,
    operation.toAddress,
    operation.actionId,
    operation.createdAt,
  );
}

export function getOriginalOperation(
  db: Db,
  projectId: string,
  kind: OriginalOperation["kind"],
  id: string,
): OriginalOperation | null {
  const row = sql(
    db,
    "SELECT * FROM original_operations WHERE project_id = ? AND kind = ? AND id = ?",
  ).get(projectId, kind, id) as Row | undefined;
  return row ? toOriginalOperation(row) : null;
}

/** An asset's operations, or a user's of one kind, newest first (at most `limit`). */
export function listOriginalOperations(
  db: Db,
  projectId: string,
  by:
    | { assetUid: string; kind: OriginalOperation["kind"] }
    | { kind: OriginalOperation["kind"]; fromUserUid: string },
  limit: number,
): OriginalOperation[] {
  const rows = (
    "assetUid" in by
      ? sql(
          db,
          `SELECT * FROM original_operations WHERE project_id = ? AND asset_uid = ? AND kind = ?
           ORDER BY id DESC LIMIT ?`,
        ).all(projectId, by.assetUid, by.kind, limit)
      : sql(
          db,
          `SELECT * FROM original_operations WHERE project_id = ? AND kind = ? AND from_user_uid = ?
           ORDER BY id DESC LIMIT ?`,
        ).all(projectId, by.kind, by.fromUserUid, limit)
  ) as Row[];
  return rows.map(toOriginalOperation);
}

/** A project's users, then its assets, in id order (cursor pages), for Herald's console. */
export function listOriginalUsers(
  db: Db,
  projectId: string,
  page: PageRequest,
): Page<OriginalUser> {
  const rows = sql(
    db,
    "SELECT * FROM original_users WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?",
  ).all(projectId, page.cursor ?? "", page.limit + 1) as Row[];
  return pageOf(rows.map(toOriginalUser), page.limit);
}

export function listOriginalAssets(
  db: Db,
  projectId: string,
  page: PageRequest,
): Page<OriginalAsset> {
  const rows = sql(
    db,
    "SELECT * FROM original_assets WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?",
  ).all(projectId, page.cursor ?? "", page.limit + 1) as Row[];
  return pageOf(rows.map(toOriginalAsset), page.limit);
}

export function renameOriginalAsset(
  db: Db,
  projectId: string,
  id: string,
  name: string,
  uniqueName: boolean,
): void {
  sql(
    db,
    "UPDATE original_assets SET name = ?, unique_name = ? WHERE project_id = ? AND id = ?",
  ).run(name, uniqueName ? 1 : 0, projectId, id);
}

export function listOriginalKeys(db: Db, projectId: string, page: PageRequest): Page<OriginalKey> {
  const rows = sql(
    db,
    "SELECT * FROM original_keys WHERE project_id = ? AND id > ? ORDER BY id LIMIT ?",
  ).all(projectId, page.cursor ?? "", page.limit + 1) as Row[];
  return pageOf(rows.map(toOriginalKey), page.limit);
}

export function revokeOriginalKey(db: Db, projectId: string, id: string, at: number): boolean {
  const result = sql(
    db,
    "UPDATE original_keys SET revoked_at = ? WHERE id = ? AND project_id = ? AND revoked_at IS NULL",
  ).run(at, id, projectId);
  return result.changes > 0;
}

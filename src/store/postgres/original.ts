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
import { atomically, row, rows, run, type Db } from "./database.js";

export async function insertOriginalKey(db: Db, key: NewOriginalKey): Promise<void> {
  await run(
    db,
    `INSERT INTO original_keys (id, project_id, key_hash, prefix, secret_enc, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [key.id, key.projectId, key.hash, key.prefix, key.secretEnc, key.createdAt],
  );
}

export function createOriginalKey(db: Db, key: NewOriginalKey): Promise<void> {
  return insertOriginalKey(db, key);
}

export async function findOriginalKeyByHash(db: Db, hash: string): Promise<OriginalKey | null> {
  const found = await row(
    db,
    "SELECT * FROM original_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    [hash],
  );
  return found ? toOriginalKey(found) : null;
}

/** The user, or which of its identifiers another user of the project already has. */
export function createOriginalUser(
  db: Db,
  user: OriginalUser,
): Promise<{ kind: "created"; user: OriginalUser } | { kind: "taken"; field: OriginalUserField }> {
  return atomically(db, async (client) => {
    // ON CONFLICT: of two concurrent creations with one identifier, one wins and the other
    // finds which identifier is taken.
    const inserted = await run(
      client,
      `INSERT INTO original_users (id, project_id, email, user_external_id, created_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [user.id, user.projectId, user.email, user.userExternalId, user.createdAt],
    );
    if (inserted > 0) return { kind: "created" as const, user };
    for (const field of Object.keys(ORIGINAL_USER_COLUMNS) as OriginalUserField[]) {
      const value = user[field];
      if (value !== null && (await findOriginalUser(client, user.projectId, field, value))) {
        return { kind: "taken" as const, field };
      }
    }
    throw new Error("an Original user could not be inserted, and no identifier is taken");
  });
}

export async function getOriginalUser(
  db: Db,
  projectId: string,
  id: string,
): Promise<OriginalUser | null> {
  const found = await row(db, "SELECT * FROM original_users WHERE project_id = $1 AND id = $2", [
    projectId,
    id,
  ]);
  return found ? toOriginalUser(found) : null;
}

export async function findOriginalUser(
  db: Db,
  projectId: string,
  field: OriginalUserField,
  value: string,
): Promise<OriginalUser | null> {
  const column = ORIGINAL_USER_COLUMNS[field];
  const found = await row(
    db,
    `SELECT * FROM original_users WHERE project_id = $1 AND ${column} = $2`,
    [projectId, value],
  );
  return found ? toOriginalUser(found) : null;
}

export async function createOriginalAsset(db: Db, asset: OriginalAsset): Promise<void> {
  await run(
    db,
    `INSERT INTO original_assets (id, project_id, collection_id, user_uid, asset_external_id,
       name, unique_name, sale_price_in_usd, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      asset.id,
      asset.projectId,
      asset.collectionId,
      asset.userUid,
      asset.assetExternalId,
      asset.name,
      asset.uniqueName,
      asset.salePriceInUsd,
      asset.createdAt,
    ],
  );
}

export async function getOriginalAsset(
  db: Db,
  projectId: string,
  id: string,
): Promise<OriginalAsset | null> {
  const found = await row(db, "SELECT * FROM original_assets WHERE project_id = $1 AND id = $2", [
    projectId,
    id,
  ]);
  return found ? toOriginalAsset(found) : null;
}

export async function originalAssetNamed(
  db: Db,
  projectId: string,
  collectionId: string,
  name: string,
): Promise<boolean> {
  const found = await row(
    db,
    `SELECT 1 FROM original_assets WHERE project_id = $1 AND collection_id = $2 AND name = $3
     LIMIT 1`,
    [projectId, collectionId, name],
  );
  return found !== null;
}

export async function createOriginalOperation(db: Db, operation: OriginalOperation): Promise<void> {
  await run(
    db,
    `INSERT INTO original_operations (id, project_id, kind, asset_uid, from_user_uid, to_address,
       action_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      operation.id,
      operation.projectId,
      operation.kind,
      operation.assetUid,
      operation.fromUserUid,
      operation.toAddress,
      operation.actionId,
      operation.createdAt,
    ],
  );
}

export async function getOriginalOperation(
  db: Db,
  projectId: string,
  kind: OriginalOperation["kind"],
  id: string,
): Promise<OriginalOperation | null> {
  const found = await row(
    db,
    "SELECT * FROM original_operations WHERE project_id = $1 AND kind = $2 AND id = $3",
    [projectId, kind, id],
  );
  return found ? toOriginalOperation(found) : null;
}

/** An asset's operations, or a user's of one kind, newest first (at most `limit`). */
export async function listOriginalOperations(
  db: Db,
  projectId: string,
  by:
    | { assetUid: string; kind: OriginalOperation["kind"] }
    | { kind: OriginalOperation["kind"]; fromUserUid: string },
  limit: number,
): Promise<OriginalOperation[]> {
  const found =
    "assetUid" in by
      ? await rows(
          db,
          `SELECT * FROM original_operations
           WHERE project_id = $1 AND asset_uid = $2 AND kind = $3
           ORDER BY id DESC LIMIT $4`,
          [projectId, by.assetUid, by.kind, limit],
        )
      : await rows(
          db,
          `SELECT * FROM original_operations
           WHERE project_id = $1 AND kind = $2 AND from_user_uid = $3
           ORDER BY id DESC LIMIT $4`,
          [projectId, by.kind, by.fromUserUid, limit],
        );
  return found.map(toOriginalOperation);
}

/** A project's users, then its assets, in id order (cursor pages), for Herald's console. */
export async function listOriginalUsers(
  db: Db,
  projectId: string,
  page: PageRequest,
): Promise<Page<OriginalUser>> {
  const found = await rows(
    db,
    "SELECT * FROM original_users WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    [projectId, page.cursor ?? "", page.limit + 1],
  );
  return pageOf(found.map(toOriginalUser), page.limit);
}

export async function listOriginalAssets(
  db: Db,
  projectId: string,
  page: PageRequest,
): Promise<Page<OriginalAsset>> {
  const found = await rows(
    db,
    "SELECT * FROM original_assets WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    [projectId, page.cursor ?? "", page.limit + 1],
  );
  return pageOf(found.map(toOriginalAsset), page.limit);
}

export async function renameOriginalAsset(
  db: Db,
  projectId: string,
  id: string,
  name: string,
  uniqueName: boolean,
): Promise<void> {
  await run(
    db,
    "UPDATE original_assets SET name = $3, unique_name = $4 WHERE project_id = $1 AND id = $2",
    [projectId, id, name, uniqueName],
  );
}

export async function listOriginalKeys(
  db: Db,
  projectId: string,
  page: PageRequest,
): Promise<Page<OriginalKey>> {
  const found = await rows(
    db,
    "SELECT * FROM original_keys WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    [projectId, page.cursor ?? "", page.limit + 1],
  );
  return pageOf(found.map(toOriginalKey), page.limit);
}

export async function revokeOriginalKey(
  db: Db,
  projectId: string,
  id: string,
  at: number,
): Promise<boolean> {
  const changed = await run(
    db,
    `UPDATE original_keys SET revoked_at = $1
     WHERE id = $2 AND project_id = $3 AND revoked_at IS NULL`,
    [at, id, projectId],
  );
  return changed > 0;
}

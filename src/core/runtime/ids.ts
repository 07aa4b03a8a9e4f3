import { createHash, randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";

/** Time-ordered ids: sorting by id sorts by creation, which is what cursors rely on. */
export function newId(): string {
  return uuidv7();
}

const API_KEY_PREFIX = "hk_";

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(24).toString("base64url");
}

/** API keys carry 192 random bits, so a plain SHA-256 is enough (no password stretching). */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function apiKeyPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}

export function hashRequest(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** The smallest time-ordered id of millisecond `ms`: every id made before it sorts below. */
export function idBefore(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0").slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

import type { Static } from "@sinclair/typebox";
import type {
  ApiKey as ApiKeyRecord,
  OriginalKey as OriginalKeyRecord,
  Project as ProjectRecord,
} from "../../../core/interfaces.js";
import { iso } from "../../../core/policy/envelope.js";
import { isoOrNull } from "../shared.js";
import type { ApiKey, OriginalKeyInfo, Project } from "./schemas.js";

export const projectView = (p: ProjectRecord): Static<typeof Project> => ({
  id: p.id,
  name: p.name,
  createdAt: iso(p.createdAt),
  region: p.region,
  environment: p.environment,
});

/** A key as listed: never the key itself (Herald keeps only its hash). */
export const apiKeyView = (k: ApiKeyRecord): Static<typeof ApiKey> => ({
  id: k.id,
  prefix: k.prefix,
  name: k.name,
  createdAt: iso(k.createdAt),
  revokedAt: isoOrNull(k.revokedAt),
});

/** A key pair as listed: its key's prefix, never the key or the secret. */
export const originalKeyView = (k: OriginalKeyRecord): Static<typeof OriginalKeyInfo> => ({
  id: k.id,
  prefix: k.prefix,
  createdAt: iso(k.createdAt),
  revokedAt: isoOrNull(k.revokedAt),
});

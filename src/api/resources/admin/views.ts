import type { Static } from "@sinclair/typebox";
import type { ApiKey as ApiKeyRecord, Project as ProjectRecord } from "../../../core/interfaces.js";
import { iso } from "../../../core/policy/envelope.js";
import { isoOrNull } from "../shared.js";
import type { ApiKey, Project } from "./schemas.js";

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

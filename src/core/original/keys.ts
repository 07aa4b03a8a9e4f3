// Original-style key pairs. A client sends the key as `X-Api-Key` and a JWT signed (HS256) with
// the secret as `Authorization: Bearer`; the key finds the pair, the secret checks the token.
// The key is kept as a hash like an API key; the secret is sealed with the master key, since
// Herald needs it to verify signatures.
import { randomBytes } from "node:crypto";
import type { NewOriginalKey, OriginalKey, Page } from "../interfaces.js";
import { notFound } from "../errors.js";
import type { PageRequest, Store } from "../ports/store.js";
import { hashApiKey, newId } from "../runtime/ids.js";
import type { SecretBox } from "../runtime/secret-box.js";

export interface OriginalKeyPair {
  apiKey: string;
  apiSecret: string;
}

const KEY_PREFIX = "ori_";
const SECRET_PREFIX = "oris_";
/** A secret shorter than this could be guessed from one signed token. */
export const MIN_SECRET_LENGTH = 16;

export function generateOriginalKeyPair(): OriginalKeyPair {
  return {
    apiKey: KEY_PREFIX + randomBytes(24).toString("base64url"),
    apiSecret: SECRET_PREFIX + randomBytes(32).toString("base64url"),
  };
}

/** Why an operator-given pair cannot be used, or null. */
export function keyPairProblem(pair: OriginalKeyPair): string | null {
  if (!/^[\x21-\x7e]{8,200}$/.test(pair.apiKey))
    return "the Original API key must be 8-200 printable characters without spaces";
  if (pair.apiSecret.length < MIN_SECRET_LENGTH || pair.apiSecret.length > 500)
    return `the Original API secret must be ${MIN_SECRET_LENGTH}-500 characters`;
  return null;
}

export function originalKeyRecord(
  box: SecretBox,
  projectId: string,
  pair: OriginalKeyPair,
  now: number,
): NewOriginalKey {
  return {
    id: newId(),
    projectId,
    hash: hashApiKey(pair.apiKey),
    prefix: pair.apiKey.slice(0, KEY_PREFIX.length + 6),
    secretEnc: box.seal(pair.apiSecret),
    createdAt: now,
  };
}

/** How long an opened secret is used without asking the store again: a pair revoked in
 * another process stops opening this one's requests within it. */
export const KEY_CACHE_MS = 30_000;

/** The project and signing secret an `X-Api-Key` names; opened secrets are cached by key hash. */
export class OriginalKeys {
  private readonly opened = new Map<
    string,
    { projectId: string; secret: Uint8Array; until: number }
  >();

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly now: () => number = Date.now,
  ) {}

  async find(apiKey: string): Promise<{ projectId: string; secret: Uint8Array } | null> {
    const hash = hashApiKey(apiKey);
    const cached = this.opened.get(hash);
    if (cached && cached.until > this.now()) return cached;
    const key = await this.store.findOriginalKeyByHash(hash);
    if (!key) {
      this.opened.delete(hash);
      return null;
    }
    const found = {
      projectId: key.projectId,
      secret: new TextEncoder().encode(this.box.open(key.secretEnc)),
      until: this.now() + KEY_CACHE_MS,
    };
    if (this.opened.size > 10_000) this.opened.clear();
    this.opened.set(hash, found);
    return found;
  }

  /** A new pair for the project (the secret is shown once: only its sealed copy is kept). */
  async create(projectId: string): Promise<{ key: OriginalKey; pair: OriginalKeyPair }> {
    const pair = generateOriginalKeyPair();
    const record = originalKeyRecord(this.box, projectId, pair, this.now());
    await this.store.createOriginalKey(record);
    const { hash: _hash, ...key } = record;
    return { key: { ...key, revokedAt: null }, pair };
  }

  list(projectId: string, page: PageRequest): Promise<Page<OriginalKey>> {
    return this.store.listOriginalKeys(projectId, page);
  }

  /** Revoked at once here; elsewhere within KEY_CACHE_MS. */
  async revoke(projectId: string, id: string): Promise<void> {
    if (!(await this.store.revokeOriginalKey(projectId, id, this.now())))
      throw notFound("Original key pair");
    this.opened.clear();
  }

  /** Makes sure the pair opens `projectId` (HERALD_ORIGINAL_API_KEY and _SECRET). */
  async ensure(projectId: string, pair: OriginalKeyPair, now: number): Promise<void> {
    const problem = keyPairProblem(pair);
    if (problem) throw new Error(`HERALD_ORIGINAL_API_KEY / _SECRET: ${problem}`);
    const existing = async () => this.store.findOriginalKeyByHash(hashApiKey(pair.apiKey));
    let found = await existing();
    if (!found) {
      try {
        await this.store.createOriginalKey(originalKeyRecord(this.box, projectId, pair, now));
        return;
      } catch (error) {
        // Another process starting at once created it first.
        found = await existing();
        if (!found)
          throw new Error(
            "HERALD_ORIGINAL_API_KEY cannot be used: it was revoked (give another key pair)",
            { cause: error },
          );
      }
    }
    if (found.projectId !== projectId)
      throw new Error("HERALD_ORIGINAL_API_KEY already belongs to another project");
    if (this.box.open(found.secretEnc) !== pair.apiSecret)
      throw new Error(
        "HERALD_ORIGINAL_API_KEY is already kept with another secret: give the secret it was " +
          "created with as HERALD_ORIGINAL_API_SECRET",
      );
  }
}

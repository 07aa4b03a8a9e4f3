import { createHmac, randomBytes, type KeyObject } from "node:crypto";
import {
  ed25519PublicKeyOf,
  ed25519SigningKey,
  generateEd25519KeyPair,
  isEd25519SecretKey,
  isValidEd25519SecretKey,
  signPayloadEd25519,
} from "./ed25519-signing.js";

// Standard Webhooks v1: HMAC-SHA256 over `${id}.${timestamp}.${body}` keyed with the
// base64-decoded secret; the header lists one `v1,<sig>` per active secret.
// An endpoint signs with `hmac` (v1, `whsec_` secrets) or `ed25519` (v1a, `whsk_` secret keys,
// see ed25519-signing.ts); a stored secret's prefix says which, so one header may mix both.

export const SIGNING_ALGORITHMS = ["hmac", "ed25519"] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export const DEFAULT_SIGNING: SigningAlgorithm = "hmac";

const SECRET_PREFIX = "whsec_";

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

export function isValidSecret(secret: string): boolean {
  if (!secret.startsWith(SECRET_PREFIX)) return false;
  const raw = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) return false;
  const bytes = Buffer.from(raw, "base64").length;
  return bytes >= 24 && bytes <= 64;
}

export function secretKeyBytes(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    "base64",
  );
}

export function signPayload(
  key: Buffer,
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const mac = createHmac("sha256", key).update(`${id}.${timestampSeconds}.`).update(body);
  return "v1," + mac.digest("base64");
}

/** The `webhook-signature` header value: one signature per key, newest first. */
export function signatureHeader(
  keys: Buffer[],
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  return keys.map((key) => signPayload(key, id, timestampSeconds, body)).join(" ");
}

/** An endpoint's signing material: the secret (sealed when stored) and, for ed25519, its public key. */
export interface SigningSecret {
  algorithm: SigningAlgorithm;
  secret: string;
  publicKey: string | null;
}

const SECRET_RULES: Record<SigningAlgorithm, string> = {
  hmac: "secret must be whsec_ followed by 24 to 64 base64-encoded bytes",
  ed25519:
    "secret must be whsk_ followed by the base64 of a 64-byte ed25519 secret key " +
    "(32-byte seed, then its 32-byte public key)",
};

/** A new secret for `algorithm`, or the one supplied if it is one; else why it is refused. */
export function signingSecretFor(
  algorithm: SigningAlgorithm,
  supplied?: string,
): { ok: true; value: SigningSecret } | { ok: false; reason: string } {
  if (algorithm === "ed25519") {
    if (supplied === undefined) {
      const pair = generateEd25519KeyPair();
      return { ok: true, value: { algorithm, secret: pair.secretKey, publicKey: pair.publicKey } };
    }
    if (!isValidEd25519SecretKey(supplied)) return { ok: false, reason: SECRET_RULES.ed25519 };
    return {
      ok: true,
      value: { algorithm, secret: supplied, publicKey: ed25519PublicKeyOf(supplied) },
    };
  }
  if (supplied !== undefined && !isValidSecret(supplied))
    return { ok: false, reason: SECRET_RULES.hmac };
  return { ok: true, value: { algorithm, secret: supplied ?? generateSecret(), publicKey: null } };
}

/** A secret ready to sign with: an HMAC key or an ed25519 private key. */
export type SigningKey =
  { algorithm: "hmac"; key: Buffer } | { algorithm: "ed25519"; key: KeyObject };

/** The key of a stored secret: `whsk_…` signs with ed25519, anything else is an HMAC secret. */
export function signingKeyOf(secret: string): SigningKey {
  return isEd25519SecretKey(secret)
    ? { algorithm: "ed25519", key: ed25519SigningKey(secret) }
    : { algorithm: "hmac", key: secretKeyBytes(secret) };
}

/** `v1,…` or `v1a,…`, as the key's algorithm signs. */
export function signWith(key: SigningKey, id: string, timestampSeconds: number, body: string) {
  return key.algorithm === "ed25519"
    ? signPayloadEd25519(key.key, id, timestampSeconds, body)
    : signPayload(key.key, id, timestampSeconds, body);
}

/** The `webhook-signature` header value for keys of either algorithm, in the order given. */
export function signaturesHeader(
  keys: SigningKey[],
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  return keys.map((key) => signWith(key, id, timestampSeconds, body)).join(" ");
}

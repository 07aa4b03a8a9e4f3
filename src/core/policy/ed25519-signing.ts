import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";

// Standard Webhooks v1a: ed25519 over `${id}.${timestamp}.${body}`, the same content as v1.
// The secret key is `whsk_` + base64 of 64 bytes (the 32-byte seed, then the 32-byte public
// key, as libsodium keeps it); the public key is `whpk_` + base64 of its 32 bytes.

const SECRET_KEY_PREFIX = "whsk_";
const PUBLIC_KEY_PREFIX = "whpk_";
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

// The DER of a PKCS#8 ed25519 private key and of an SPKI public key, less the 32 key bytes.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");
const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

export interface Ed25519KeyPair {
  /** `whsk_…`: signs; kept sealed like an HMAC secret. */
  secretKey: string;
  /** `whpk_…`: what receivers verify with; not secret. */
  publicKey: string;
}

export function isEd25519SecretKey(secret: string): boolean {
  return secret.startsWith(SECRET_KEY_PREFIX);
}

function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
}

function privateKeyFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
}

export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_PREFIX.length);
  const pub = rawPublicKey(publicKey);
  return {
    secretKey: SECRET_KEY_PREFIX + Buffer.concat([seed, pub]).toString("base64"),
    publicKey: PUBLIC_KEY_PREFIX + pub.toString("base64"),
  };
}

/** The 64 bytes of a well-formed `whsk_` key, or null. */
function secretKeyBytes(secret: string): Buffer | null {
  if (!isEd25519SecretKey(secret)) return null;
  const raw = secret.slice(SECRET_KEY_PREFIX.length);
  if (!BASE64.test(raw)) return null;
  const bytes = Buffer.from(raw, "base64");
  return bytes.length === 64 ? bytes : null;
}

/** `whsk_` + 64 base64 bytes whose second half is the public key of the first. */
export function isValidEd25519SecretKey(secret: string): boolean {
  const bytes = secretKeyBytes(secret);
  if (!bytes) return false;
  const derived = rawPublicKey(createPublicKey(privateKeyFromSeed(bytes.subarray(0, 32))));
  return derived.equals(bytes.subarray(32));
}

/** The `whpk_` public key of a valid `whsk_` secret key. */
export function ed25519PublicKeyOf(secret: string): string {
  const bytes = secretKeyBytes(secret);
  if (!bytes) throw new Error("not a whsk_ secret key");
  return PUBLIC_KEY_PREFIX + bytes.subarray(32).toString("base64");
}

/** The signing key of a `whsk_` secret key (its seed; the public half is not trusted). */
export function ed25519SigningKey(secret: string): KeyObject {
  const bytes = secretKeyBytes(secret);
  if (!bytes) throw new Error("not a whsk_ secret key");
  return privateKeyFromSeed(bytes.subarray(0, 32));
}

/** `v1a,<base64 ed25519 signature>` of `${id}.${timestamp}.${body}`. */
export function signPayloadEd25519(
  key: KeyObject,
  id: string,
  timestampSeconds: number,
  body: string,
): string {
  const content = Buffer.from(`${id}.${timestampSeconds}.${body}`);
  return "v1a," + sign(null, content, key).toString("base64");
}

// Standard Webhooks keys and signatures: `whsec_` (v1, HMAC-SHA256), `whsk_` / `whpk_` (v1a,
// ed25519). Only node:crypto.
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from "node:crypto";

export const SECRET_PREFIX = "whsec_";
export const SECRET_KEY_PREFIX = "whsk_";
export const PUBLIC_KEY_PREFIX = "whpk_";

/** A body as it came off the wire: sign and verify the bytes, never a re-serialized object. */
export type RawBody = string | Uint8Array;

/** A timestamp in Unix seconds, or a Date. */
export type Timestamp = number | Date;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(value: string, what: string): Buffer {
  if (!BASE64.test(value) || value.length === 0) throw new TypeError(`${what} is not base64`);
  return Buffer.from(value, "base64");
}

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as svix accepts). */
export function secretBytes(secret: string | Uint8Array): Buffer {
  if (typeof secret !== "string") return Buffer.from(secret);
  const raw = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (secret.startsWith(SECRET_KEY_PREFIX) || secret.startsWith(PUBLIC_KEY_PREFIX))
    throw new TypeError("a whsk_/whpk_ key is an ed25519 key (v1a), not a whsec_ secret (v1)");
  return decodeBase64(raw, "the webhook secret");
}

/** A random `whsec_` secret (32 bytes). */
export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

// PKCS#8 DER of an ed25519 private key is this prefix followed by the 32-byte seed.
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new TypeError("an ed25519 public key is 32 bytes");
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") },
    format: "jwk",
  });
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  return Buffer.from(jwk.x!, "base64url");
}

/** The node:crypto public key of a `whpk_<base64 of the 32 raw bytes>` key. */
export function parsePublicKey(publicKey: string): KeyObject {
  if (!publicKey.startsWith(PUBLIC_KEY_PREFIX))
    throw new TypeError(`an ed25519 public key starts with ${PUBLIC_KEY_PREFIX}`);
  return publicKeyFromRaw(decodeBase64(publicKey.slice(PUBLIC_KEY_PREFIX.length), "the key"));
}

/**
 * The node:crypto private key of a `whsk_<base64>` key: the 32-byte seed, or the 64-byte
 * libsodium form (seed followed by the public key, which must match the seed).
 */
export function parseSecretKey(secretKey: string): KeyObject {
  if (!secretKey.startsWith(SECRET_KEY_PREFIX))
    throw new TypeError(`an ed25519 secret key starts with ${SECRET_KEY_PREFIX}`);
  const raw = decodeBase64(secretKey.slice(SECRET_KEY_PREFIX.length), "the key");
  if (raw.length !== 32 && raw.length !== 64)
    throw new TypeError("an ed25519 secret key is 32 bytes (seed) or 64 bytes (seed + public key)");
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, raw.subarray(0, 32)]),
    format: "der",
    type: "pkcs8",
  });
  if (raw.length === 64 && !rawPublicKey(createPublicKey(key)).equals(raw.subarray(32)))
    throw new TypeError("the secret key's public half does not match its seed");
  return key;
}

/** The `whpk_` public key of a `whsk_` secret key. */
export function publicKeyOf(secretKey: string): string {
  return (
    PUBLIC_KEY_PREFIX + rawPublicKey(createPublicKey(parseSecretKey(secretKey))).toString("base64")
  );
}

/** A new ed25519 key pair: `whsk_` (64 bytes, seed + public key) and `whpk_` (32 bytes). */
export function generateKeyPair(): { secretKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d!, "base64url");
  const pub = rawPublicKey(publicKey);
  return {
    secretKey: SECRET_KEY_PREFIX + Buffer.concat([seed, pub]).toString("base64"),
    publicKey: PUBLIC_KEY_PREFIX + pub.toString("base64"),
  };
}

export function toSeconds(timestamp: Timestamp): number {
  return typeof timestamp === "number" ? timestamp : Math.floor(timestamp.getTime() / 1000);
}

/** `${id}.${timestamp}.${body}` as bytes. */
export function signedContent(id: string, timestamp: Timestamp, body: RawBody): Buffer {
  const head = Buffer.from(`${id}.${toSeconds(timestamp)}.`);
  return Buffer.concat([head, typeof body === "string" ? Buffer.from(body) : body]);
}

/** A `v1,<base64>` signature (HMAC-SHA256 keyed with the decoded `whsec_` secret). */
export function signV1(
  secret: string | Uint8Array,
  id: string,
  timestamp: Timestamp,
  body: RawBody,
): string {
  const mac = createHmac("sha256", secretBytes(secret)).update(signedContent(id, timestamp, body));
  return "v1," + mac.digest("base64");
}

/** A `v1a,<base64>` signature (ed25519 with a `whsk_` key of 32 or 64 bytes). */
export function signV1a(
  secretKey: string | KeyObject,
  id: string,
  timestamp: Timestamp,
  body: RawBody,
): string {
  const key = typeof secretKey === "string" ? parseSecretKey(secretKey) : secretKey;
  return "v1a," + sign(null, signedContent(id, timestamp, body), key).toString("base64");
}

/**
 * The three Standard Webhooks headers for a body, signed with every key given (`whsec_` → v1,
 * `whsk_` → v1a); for tests and tools.
 */
export function signHeaders(
  keys: string | string[],
  id: string,
  timestamp: Timestamp,
  body: RawBody,
): { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string } {
  const signatures = (Array.isArray(keys) ? keys : [keys]).map((key) =>
    key.startsWith(SECRET_KEY_PREFIX)
      ? signV1a(key, id, timestamp, body)
      : signV1(key, id, timestamp, body),
  );
  return {
    "webhook-id": id,
    "webhook-timestamp": String(toSeconds(timestamp)),
    "webhook-signature": signatures.join(" "),
  };
}

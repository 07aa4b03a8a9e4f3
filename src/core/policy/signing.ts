import { createHmac, randomBytes } from "node:crypto";

// Standard Webhooks v1: HMAC-SHA256 over `${id}.${timestamp}.${body}` keyed with the
// base64-decoded secret; the header lists one `v1,<sig>` per active secret.

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

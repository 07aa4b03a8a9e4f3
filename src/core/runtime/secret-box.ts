import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Secrets at rest: AES-256-GCM under the master key, stored as `v1.<iv>.<tag>.<ciphertext>`
// (base64url), so a later key scheme can be told apart by its version.

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("master key must be 32 bytes");
  }

  /** For deriving other keys from (HKDF); never stored or sent anywhere. */
  get masterKey(): Buffer {
    return this.key;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ["v1", iv, tag, data]
      .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
      .join(".");
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== "v1" || !iv || !tag || data === undefined)
      throw new Error("unknown sealed secret format");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([
      decipher.update(Buffer.from(data, "base64url")),
      decipher.final(),
    ]).toString("utf8");
  }
}

export function parseMasterKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  const bytes = Buffer.from(trimmed, "base64");
  if (bytes.length === 32 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return bytes;
  throw new Error("must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)");
}

export function generateMasterKey(): string {
  return randomBytes(32).toString("base64");
}

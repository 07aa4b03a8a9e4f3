// Verifying a Standard Webhooks request: the three headers (or svix's names for them), the
// timestamp within a tolerance both ways, then one `v1` (HMAC) or `v1a` (ed25519) signature that
// matches one of the configured keys, compared in constant time.
import { createHmac, timingSafeEqual, verify, type KeyObject } from "node:crypto";
import {
  parsePublicKey,
  PUBLIC_KEY_PREFIX,
  secretBytes,
  signedContent,
  type RawBody,
} from "./keys.js";

export type VerificationReason =
  | "missing_headers"
  | "bad_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "bad_signature_header"
  | "no_matching_signature";

/** Why a request is not a genuine, fresh webhook; the receiver answers it with 400. */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
  constructor(
    readonly reason: VerificationReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Request headers as Node (`IncomingHttpHeaders`, lower-case keys), fetch (`Headers`) or a plain
 * object give them.
 */
export type HeaderSource =
  { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === "function") return headers.get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[name];
  if (value === undefined) {
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  return Array.isArray(value) ? value.join(", ") : value;
}

/** `webhook-<name>`, else `svix-<name>`. */
function standardHeader(headers: HeaderSource, name: string): string | undefined {
  return header(headers, `webhook-${name}`) ?? header(headers, `svix-${name}`);
}

export interface VerifierOptions {
  /** `whsec_` secret(s) for `v1` signatures; several during a rotation. */
  secret?: string | Uint8Array | Array<string | Uint8Array>;
  /** `whpk_` public key(s) for `v1a` (ed25519) signatures. */
  publicKey?: string | string[];
  /** How far the timestamp may be from now, either way, in seconds; default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

/** A request whose signature and timestamp checked out. */
export interface VerifiedRequest {
  id: string;
  /** Unix seconds. */
  timestamp: number;
  /** Which kind of signature matched. */
  scheme: "v1" | "v1a";
}

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export class WebhookVerifier {
  private readonly hmacKeys: Buffer[];
  private readonly publicKeys: KeyObject[];
  private readonly toleranceSeconds: number;
  private readonly now: () => number;

  constructor(options: VerifierOptions) {
    this.hmacKeys = list(options.secret).map((s) => secretBytes(s));
    this.publicKeys = list(options.publicKey).map((k) => {
      if (!k.startsWith(PUBLIC_KEY_PREFIX))
        throw new TypeError(
          `publicKey takes ${PUBLIC_KEY_PREFIX} keys (never the whsk_ secret key)`,
        );
      return parsePublicKey(k);
    });
    if (this.hmacKeys.length + this.publicKeys.length === 0)
      throw new TypeError("give a secret (whsec_) or a publicKey (whpk_) to verify with");
    if (this.hmacKeys.some((k) => k.length === 0)) throw new TypeError("an empty secret");
    this.toleranceSeconds = options.toleranceSeconds ?? 300;
    if (!(this.toleranceSeconds >= 0)) throw new TypeError("toleranceSeconds must be 0 or more");
    this.now = options.now ?? Date.now;
  }

  /**
   * Checks the request; throws `WebhookVerificationError` unless it carries a valid signature
   * made within the tolerance. `body` must be the raw body, byte for byte.
   */
  verify(headers: HeaderSource, body: RawBody): VerifiedRequest {
    const id = standardHeader(headers, "id");
    const stamp = standardHeader(headers, "timestamp");
    const signatures = standardHeader(headers, "signature");
    if (!id || !stamp || !signatures) {
      const missing = [!id && "id", !stamp && "timestamp", !signatures && "signature"]
        .filter(Boolean)
        .map((n) => `webhook-${n}`);
      throw new WebhookVerificationError(
        "missing_headers",
        `missing header(s): ${missing.join(", ")}`,
      );
    }
    const timestamp = /^\d{1,15}$/.test(stamp.trim()) ? Number(stamp.trim()) : NaN;
    if (!Number.isSafeInteger(timestamp))
      throw new WebhookVerificationError("bad_timestamp", "webhook-timestamp is not Unix seconds");
    const now = Math.floor(this.now() / 1000);
    if (now - timestamp > this.toleranceSeconds)
      throw new WebhookVerificationError(
        "timestamp_too_old",
        `the timestamp is ${now - timestamp} s old (tolerance ${this.toleranceSeconds} s)`,
      );
    if (timestamp - now > this.toleranceSeconds)
      throw new WebhookVerificationError(
        "timestamp_too_new",
        `the timestamp is ${timestamp - now} s in the future (tolerance ${this.toleranceSeconds} s)`,
      );

    const entries = signatures
      .split(" ")
      .filter((s) => s.length > 0)
      .map((s) => {
        const comma = s.indexOf(",");
        return comma < 0 ? null : { version: s.slice(0, comma), signature: s.slice(comma + 1) };
      });
    if (entries.length === 0 || entries.some((e) => e === null))
      throw new WebhookVerificationError(
        "bad_signature_header",
        "webhook-signature is not a space-separated list of <version>,<base64>",
      );

    let content: Buffer | null = null;
    let expected: Buffer[] | null = null;
    let versions = 0;
    for (const entry of entries) {
      const { version, signature } = entry!;
      if (version === "v1" && this.hmacKeys.length > 0) {
        versions++;
        content ??= signedContent(id, timestamp, body);
        expected ??= this.hmacKeys.map((k) => createHmac("sha256", k).update(content!).digest());
        const given = Buffer.from(signature, "base64");
        // Every key is compared (no early exit on the first key) in constant time.
        let match = false;
        for (const mac of expected)
          match = (given.length === mac.length && timingSafeEqual(given, mac)) || match;
        if (match) return { id, timestamp, scheme: "v1" };
      } else if (version === "v1a" && this.publicKeys.length > 0) {
        versions++;
        content ??= signedContent(id, timestamp, body);
        const given = Buffer.from(signature, "base64");
        if (given.length !== 64) continue;
        for (const key of this.publicKeys)
          if (verify(null, content, key, given)) return { id, timestamp, scheme: "v1a" };
      }
    }
    throw new WebhookVerificationError(
      "no_matching_signature",
      versions === 0
        ? `no signature of a kind this receiver has a key for (${this.kinds()})`
        : "no signature matches the configured key(s)",
    );
  }

  private kinds(): string {
    return [this.hmacKeys.length > 0 && "v1 (whsec_)", this.publicKeys.length > 0 && "v1a (whpk_)"]
      .filter(Boolean)
      .join(", ");
  }
}

/** One-off verification; build a `WebhookVerifier` once to verify many requests. */
export function verifyWebhook(
  options: VerifierOptions,
  headers: HeaderSource,
  body: RawBody,
): VerifiedRequest {
  return new WebhookVerifier(options).verify(headers, body);
}

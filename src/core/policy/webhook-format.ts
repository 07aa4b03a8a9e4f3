// Which body a delivered message has. Crossmint's family (and everything else) goes in the
// envelope Herald stores with the event ({id, type, …, data, timestamp}); Original's family
// (`asset.*`, `reward.*`, `wallet.created`) goes in Original's documented body, built per attempt
// because it carries the attempt number and the time it was sent:
// {data, event, sent_at, x-app-uid, x-webhook-attempt, x-webhook-correlation-id}.

export const WEBHOOK_FORMATS = ["auto", "crossmint", "original"] as const;
/** An endpoint's choice: `auto` (each family in its own platform's body), or one body for all. */
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export type BodyFormat = Exclude<WebhookFormat, "auto">;

export const DEFAULT_WEBHOOK_FORMAT: WebhookFormat = "auto";

/** The event types of Original's catalog, and the patterns that receive only that family. */
export const ORIGINAL_FAMILY_PATTERNS = ["asset.*", "reward.*", "wallet.created"] as const;
/** Crossmint's catalog, as patterns. */
export const CROSSMINT_FAMILY_PATTERNS = ["collections.*", "nfts.*", "wallets.*"] as const;

export function isOriginalFamily(type: string): boolean {
  return type === "wallet.created" || type.startsWith("asset.") || type.startsWith("reward.");
}

export function isWebhookFormat(value: unknown): value is WebhookFormat {
  return typeof value === "string" && (WEBHOOK_FORMATS as readonly string[]).includes(value);
}

/** The body an endpoint with `format` receives for an event of `type`. */
export function bodyFormatOf(format: WebhookFormat, type: string): BodyFormat {
  if (format !== "auto") return format;
  return isOriginalFamily(type) ? "original" : "crossmint";
}

export interface OriginalMessage {
  event: string;
  /** Original's app uid: the Herald project's id. */
  appUid: string;
  attempt: number;
  /** The event id: the same on every destination and every attempt. */
  correlationId: string;
  /** Milliseconds since the epoch. */
  sentAt: number;
}

/** Original's timestamps: ISO 8601 with microseconds, as Python writes them; webhooks' `sent_at`
 * with an explicit offset (`2023-08-01T11:24:36.531141+00:00`), API answers with `Z`. */
export function originalTime(ms: number, utc: "+00:00" | "Z" = "+00:00"): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, `.$1000${utc}`);
}

/** The `data` of a stored envelope (JSON text); null when it cannot be read. */
function envelopeData(envelope: string): unknown {
  try {
    const parsed = JSON.parse(envelope) as { data?: unknown };
    return parsed?.data ?? null;
  } catch {
    return null;
  }
}

/** Original's body for a stored envelope: its `data`, and the delivery's own fields. */
export function originalBody(envelope: string, m: OriginalMessage): string {
  return JSON.stringify({
    data: envelopeData(envelope),
    event: m.event,
    sent_at: originalTime(m.sentAt),
    "x-app-uid": m.appUid,
    "x-webhook-attempt": String(m.attempt),
    "x-webhook-correlation-id": m.correlationId,
  });
}

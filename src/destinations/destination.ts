// A destination carries one signed message to one place: an HTTPS URL, an SQS queue, an AMQP
// exchange. It reports what happened; the retry policy in core decides what that means.
//
// Each type is one file exporting a `DestinationType` (its API schema, its up-front checks,
// how its credentials are masked, the sender itself); registry.ts lists them. Nothing else in
// Herald names a type.
import type { TSchema } from "@sinclair/typebox";
import type { AllowList } from "../core/policy/ssrf-policy.js";
import type { ResolveHost } from "./guarded-lookup.js";

export interface OutboundMessage {
  eventId: string;
  eventType: string;
  attempt: number;
  /** The endpoint the delivery belongs to (SQS FIFO groups by it by default). */
  endpointId: string;
  body: string;
  /** webhook-id, webhook-timestamp, webhook-signature, x-webhook-attempt, ... */
  headers: Record<string, string>;
}

/**
 * The headers a consumer needs to verify and de-duplicate a message, carried by queue
 * destinations as message metadata (SQS message attributes, AMQP headers) beside the event type.
 */
export const VERIFY_HEADERS = [
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "x-webhook-attempt",
  "x-webhook-correlation-id",
  // Original's body names its app; only messages in that body carry it.
  "x-app-uid",
] as const;

export interface DestinationResult {
  /**
   * HTTP status, or the closest equivalent (200 when SQS accepted the message or the broker
   * confirmed it; the status of SQS's error answer); null when nothing answered. Only an HTTPS
   * receiver's own 410 means "gone": other types never report 410.
   */
  statusCode: number | null;
  error: string | null;
  retryAfter: string | null;
  /** The start of the response body (or the queue's message id), for the attempt log. */
  responseBody: string | null;
}

/** A destination's settings as the API receives them; `type` names the DestinationType. */
export interface DestinationConfig {
  type: string;
}

export interface Destination<C extends DestinationConfig = DestinationConfig> {
  deliver(config: C, message: OutboundMessage, timeoutMs: number): Promise<DestinationResult>;
  /** Closes pooled connections; in-flight deliveries may fail. */
  close(): Promise<void>;
}

export interface DestinationType<C extends DestinationConfig = DestinationConfig> {
  readonly type: string;
  /** The TypeBox schema of the `destination` object in API bodies, `type` literal included. */
  readonly schema: TSchema;
  /**
   * Checks beyond the schema (URL formats, region, names): null, or a message that starts
   * with the field, e.g. `destination.region must be an AWS region such as us-east-1`.
   */
  validate(config: C): string | null;
  /**
   * The hosts the config names for Herald to connect to, for the SSRF check when the endpoint
   * is saved (a host a client library picks itself, such as AWS's SQS endpoint, is not one).
   */
  hosts(config: C): string[];
  /**
   * Replaces the generic SSRF check (every host of `hosts` resolved and judged) when the type
   * has rules of its own; null, or a reason starting with `destination.` as in `validate`.
   * `resolve` is how names are resolved (the registry's, a stub in tests).
   */
  checkTarget?(config: C, allow: AllowList, resolve: ResolveHost): Promise<string | null>;
  /** The config as the API shows it: credentials masked, never returned in full. */
  mask(config: C): Record<string, unknown>;
  /** One line naming where messages go (shown as the endpoint's `url`), without credentials. */
  address(config: C): string;
  /**
   * The sender. Every socket it opens passes the SSRF guard on the address it actually
   * connects to (guarded-sockets.ts), whatever host its client library picked.
   */
  open(allow: AllowList): Destination<C>;
}

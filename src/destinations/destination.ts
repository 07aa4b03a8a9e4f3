// A destination carries one signed message to one place (an HTTPS URL today; SQS and AMQP
// next). It reports what happened; the retry policy in core decides what that means.

export interface OutboundMessage {
  eventId: string;
  eventType: string;
  attempt: number;
  body: string;
  /** webhook-id, webhook-timestamp, webhook-signature, x-webhook-attempt, ... */
  headers: Record<string, string>;
}

export interface DestinationResult {
  /** HTTP status, or the closest equivalent; null when nothing answered. */
  statusCode: number | null;
  error: string | null;
  retryAfter: string | null;
  /** The start of the response body, for the attempt log. */
  responseBody: string | null;
}

export interface Destination {
  readonly type: string;
  deliver(target: string, message: OutboundMessage, timeoutMs: number): Promise<DestinationResult>;
  close(): Promise<void>;
}

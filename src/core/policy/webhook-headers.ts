// The headers every delivered message carries, whatever the destination (HTTPS headers, SQS
// message attributes, AMQP headers): Standard Webhooks' three, their Svix twins (Crossmint signs
// through Svix, so receivers written for it read those), and Herald's own.

export interface SignedParts {
  eventId: string;
  eventType: string;
  attempt: number;
  /** Unix seconds, as signed. */
  timestamp: number;
  /** `v1,<base64>` (several, space-separated, during a rotation). */
  signature: string;
  /** Original's body names the app it is for; such a message carries it as a header too. */
  appUid?: string;
}

export function webhookHeaders(m: SignedParts): Record<string, string> {
  const timestamp = String(m.timestamp);
  return {
    "webhook-id": m.eventId,
    "webhook-timestamp": timestamp,
    "webhook-signature": m.signature,
    "svix-id": m.eventId,
    "svix-timestamp": timestamp,
    "svix-signature": m.signature,
    "x-webhook-attempt": String(m.attempt),
    "x-webhook-correlation-id": m.eventId,
    "x-webhook-event-type": m.eventType,
    ...(m.appUid !== undefined ? { "x-app-uid": m.appUid } : {}),
  };
}

// Turning the endpoint form's fields into the API's body, and the API's error messages back
// into the field they are about.
import type { CreateEndpointInput, DestinationType, SqsMessageGroup } from "../types";

export type FieldValues = Record<string, string>;
export type FieldErrors = Record<string, string>;

const REQUIRED: Record<DestinationType, Record<string, string>> = {
  https: { url: "Enter the URL that receives the webhooks." },
  sqs: {
    queueUrl: "Enter the queue's URL.",
    region: "Enter the queue's AWS region.",
    accessKeyId: "Enter the access key ID.",
    secretAccessKey: "Enter the secret access key.",
  },
  amqp: { url: "Enter the broker's amqp:// or amqps:// URL." },
};

/** Problems the browser can spot before asking Herald (which checks everything again). */
export function checkDestination(type: DestinationType, values: FieldValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, message] of Object.entries(REQUIRED[type])) {
    if (!values[field]?.trim()) errors[field] = message;
  }
  return errors;
}

/** The broker URL with the password set in (encoded); the URL as typed if it does not parse. */
export function withPassword(url: string, password: string): string {
  if (password === "") return url;
  try {
    const parsed = new URL(url);
    parsed.password = password;
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The destination part of a create or update body. */
export function destinationBody(
  type: DestinationType,
  values: FieldValues,
): Pick<CreateEndpointInput, "url" | "destination"> {
  const v = (field: string) => values[field]?.trim() ?? "";
  if (type === "https") return { url: v("url") };
  if (type === "sqs") {
    return {
      destination: {
        type: "sqs",
        queueUrl: v("queueUrl"),
        region: v("region"),
        accessKeyId: v("accessKeyId"),
        secretAccessKey: v("secretAccessKey"),
        ...(v("endpoint") ? { endpoint: v("endpoint") } : {}),
        ...(v("messageGroup") ? { messageGroup: v("messageGroup") as SqsMessageGroup } : {}),
      },
    };
  }
  return {
    destination: {
      type: "amqp",
      url: withPassword(v("url"), values.password ?? ""),
      exchange: v("exchange"),
      ...(v("routingKey") ? { routingKey: v("routingKey") } : {}),
    },
  };
}

const FORM_FIELDS = new Set(["eventTypes", "description", "rateLimit"]);

/**
 * The form field an API message is about, from its leading path: "body.destination.queueUrl
 * must match…", "destination.url: …", "url must use https://…", "eventTypes: …".
 */
export function fieldOfMessage(
  message: string,
  destinationFields: readonly string[],
): string | null {
  const match = /^(?:body[./])?(?:destination[./])?([A-Za-z]+)\b/.exec(message);
  const field = match?.[1];
  if (!field) return null;
  if (destinationFields.includes(field) || FORM_FIELDS.has(field)) return field;
  return null;
}

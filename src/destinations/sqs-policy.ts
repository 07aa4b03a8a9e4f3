// The pure half of the SQS destination: what a valid config looks like, which hosts it makes
// Herald connect to, what a SendMessage (or SendMessageBatch entry) carries, what fits in one
// batch, and what an SDK error or a batch entry's failure means.
import { createHash } from "node:crypto";
import { collectionOf } from "../core/collection-of.js";
import { isIP } from "node:net";
import { VERIFY_HEADERS, type OutboundMessage } from "./destination.js";
import { SSRF_BLOCKED } from "./guarded-lookup.js";

export type MessageGroup = "endpoint" | "collection" | "eventType";

export const MESSAGE_GROUPS: readonly MessageGroup[] = ["endpoint", "collection", "eventType"];
export const DEFAULT_MESSAGE_GROUP: MessageGroup = "endpoint";

/** The fields the policy reads; `SqsConfig` in sqs.ts is this plus `type`. */
export interface SqsSettings {
  queueUrl: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  endpoint?: string;
  messageGroup?: MessageGroup;
}

/** us-east-1, eu-west-3, us-gov-west-1, cn-north-1, ap-southeast-5, us-iso-east-1 ... */
export const REGION_PATTERN = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;

/** Standard queues: 1-80 of [A-Za-z0-9_-]; FIFO queues: the same, `.fifo` included in the 80. */
const STANDARD_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

const QUEUE_URL_EXAMPLE = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";

// AWS's own SQS service hosts. Only these are exempt from the SSRF guard: a looser rule such as
// "anything under amazonaws.com" would exempt names that resolve into private networks
// (EC2 public DNS names resolve to private addresses inside a VPC; VPC endpoint names always do).
const AWS_SQS_HOSTS: readonly RegExp[] = [
  /^sqs(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/,
  /^([a-z0-9-]+)\.queue\.amazonaws\.com(?:\.cn)?$/,
];
/** The legacy global host, which serves us-east-1. */
const LEGACY_GLOBAL_HOST = "queue.amazonaws.com";

const hostnameOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();

/** The region an AWS SQS host serves, or null when the host is not one of AWS's SQS hosts. */
export function awsSqsHostRegion(host: string): string | null {
  const name = host.toLowerCase();
  if (name === LEGACY_GLOBAL_HOST) return "us-east-1";
  for (const pattern of AWS_SQS_HOSTS) {
    const match = pattern.exec(name);
    if (match && REGION_PATTERN.test(match[1]!)) {
      // The .cn domain serves only the China regions, and they are served only there.
      const china = name.endsWith(".cn");
      return china === match[1]!.startsWith("cn-") ? match[1]! : null;
    }
  }
  return null;
}

export function isAwsSqsHost(host: string): boolean {
  return awsSqsHostRegion(host) !== null;
}

export function isFifoQueueName(name: string): boolean {
  return name.endsWith(".fifo");
}

/** The queue name: the last path segment of the queue URL. */
export function queueNameOf(queueUrl: string): string {
  try {
    const segments = new URL(queueUrl).pathname.split("/").filter(Boolean);
    return segments.at(-1) ?? "";
  } catch {
    return "";
  }
}

export function isFifoQueueUrl(queueUrl: string): boolean {
  return isFifoQueueName(queueNameOf(queueUrl));
}

type Check = string | null;

function parseHttpUrl(text: string, field: string, example: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${field} must be an absolute URL such as ${example}`;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return `${field} must use https:// (or http://), not ${url.protocol}//`;
  }
  if (url.username !== "" || url.password !== "") {
    return `${field} must not contain a username or password (credentials go in destination.accessKeyId and destination.secretAccessKey)`;
  }
  if (url.search !== "" || url.hash !== "") {
    return `${field} must not have a query string or fragment`;
  }
  return url;
}

export function checkRegion(region: string): Check {
  return REGION_PATTERN.test(region)
    ? null
    : `destination.region must be an AWS region such as us-east-1, eu-west-3 or us-gov-west-1, not "${region}"`;
}

export function checkQueueName(name: string): Check {
  if (isFifoQueueName(name)) {
    return FIFO_QUEUE_NAME.test(name)
      ? null
      : `destination.queueUrl names the FIFO queue "${name}": a queue name is 1 to 80 characters (".fifo" included) of letters, digits, "-" and "_"`;
  }
  return STANDARD_QUEUE_NAME.test(name)
    ? null
    : `destination.queueUrl names the queue "${name}": a queue name is 1 to 80 characters of letters, digits, "-" and "_" (FIFO queues end in ".fifo")`;
}

export function checkEndpoint(endpoint: string): Check {
  const url = parseHttpUrl(endpoint, "destination.endpoint", "http://localhost:4566");
  if (typeof url === "string") return url;
  // AWS's own hosts skip the SSRF guard, so only their real form is accepted.
  if (isAwsSqsHost(hostnameOf(url)) && (url.protocol !== "https:" || url.port !== "")) {
    return "destination.endpoint on an AWS SQS host must be https:// without a port";
  }
  return null;
}

/**
 * The queue URL: `https://sqs.<region>.amazonaws.com/<account>/<queue>` (or a legacy AWS host)
 * when no custom endpoint is set; with one, any http(s) URL whose last path segment is the queue.
 */
export function checkQueueUrl(queueUrl: string, region: string, hasEndpoint: boolean): Check {
  const shape = `destination.queueUrl must be an SQS queue URL such as ${QUEUE_URL_EXAMPLE}`;
  const url = parseHttpUrl(queueUrl, "destination.queueUrl", QUEUE_URL_EXAMPLE);
  if (typeof url === "string") return url;
  const segments = url.pathname.split("/").filter(Boolean);
  if (segments.length === 0) return shape;
  if (!hasEndpoint) {
    const host = hostnameOf(url);
    const hostRegion = awsSqsHostRegion(host);
    if (hostRegion === null) {
      return `${shape}; ${host} is not an AWS SQS host (set destination.endpoint to use an SQS-compatible service elsewhere)`;
    }
    if (url.protocol !== "https:") return `${shape} (https://, not http://)`;
    if (url.port !== "") return `${shape} (without a port)`;
    if (segments.length !== 2 || !/^\d{12}$/.test(segments[0]!)) {
      return `${shape}: the path is /<12-digit account id>/<queue name>`;
    }
    if (REGION_PATTERN.test(region) && hostRegion !== region) {
      return `destination.queueUrl is a queue in ${hostRegion} but destination.region is ${region}`;
    }
  }
  return checkQueueName(segments.at(-1)!);
}

export function checkMessageGroup(queueUrl: string, messageGroup: string | undefined): Check {
  if (messageGroup === undefined) return null;
  if (!(MESSAGE_GROUPS as readonly string[]).includes(messageGroup)) {
    return `destination.messageGroup must be one of ${MESSAGE_GROUPS.join(", ")}`;
  }
  if (!isFifoQueueUrl(queueUrl)) {
    return `destination.messageGroup applies only to FIFO queues (names ending in ".fifo"); remove it for ${queueNameOf(queueUrl) || "this queue"}`;
  }
  return null;
}

export function checkCredentials(accessKeyId: string, secretAccessKey: string): Check {
  if (!/^\w+$/.test(accessKeyId)) {
    return "destination.accessKeyId must be an AWS access key id (letters and digits, such as AKIAIOSFODNN7EXAMPLE)";
  }
  if (secretAccessKey === "" || /\s/.test(secretAccessKey)) {
    return "destination.secretAccessKey must be an AWS secret access key, without spaces or line breaks";
  }
  return null;
}

/** Every check beyond the schema, first failure first; null when the config is usable. */
export function checkSqsSettings(config: SqsSettings): Check {
  const hasEndpoint = config.endpoint !== undefined;
  return (
    checkRegion(config.region) ??
    (hasEndpoint ? checkEndpoint(config.endpoint!) : null) ??
    checkQueueUrl(config.queueUrl, config.region, hasEndpoint) ??
    checkMessageGroup(config.queueUrl, config.messageGroup) ??
    checkCredentials(config.accessKeyId, config.secretAccessKey)
  );
}

/**
 * The host the SDK connects to: the custom endpoint's, else the queue URL's (which validation
 * requires to be an AWS SQS host), or null when the URL cannot be parsed.
 */
export function connectHost(config: SqsSettings): string | null {
  try {
    return hostnameOf(new URL(config.endpoint ?? config.queueUrl));
  } catch {
    return null;
  }
}

/** The hosts the SSRF guard must approve when the endpoint is saved; AWS's SQS hosts are exempt. */
export function sqsHosts(config: SqsSettings): string[] {
  const host = connectHost(config);
  return host === null || isAwsSqsHost(host) ? [] : [host];
}

export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0;
}

// ---------------------------------------------------------------------------------------------
// The message

export interface StringAttribute {
  DataType: "String";
  StringValue: string;
}

export interface SendMessageInput {
  QueueUrl: string;
  MessageBody: string;
  MessageAttributes: Record<string, StringAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/** SQS allows 10 message attributes; these 6 are what a receiver needs to verify and route. */
export const ATTRIBUTE_HEADERS = VERIFY_HEADERS;
export const EVENT_TYPE_ATTRIBUTE = "x-webhook-event-type";

/** SQS takes 1-128 printable ASCII characters; anything else would fail every attempt. */
const VALID_GROUP_ID = /^[\x21-\x7e]{1,128}$/;

function groupKey(group: MessageGroup, message: OutboundMessage): string {
  switch (group) {
    case "collection":
      // Read from the body only here: no other destination needs the payload parsed.
      return collectionOf(message.body) ?? message.endpointId;
    case "eventType":
      return message.eventType;
    case "endpoint":
      return message.endpointId;
  }
}

/** The group's key as SQS accepts it: as is when valid, else its SHA-256 (same key, same group). */
export function messageGroupId(group: MessageGroup, message: OutboundMessage): string {
  const key = groupKey(group, message);
  return VALID_GROUP_ID.test(key) ? key : createHash("sha256").update(key).digest("hex");
}

/** The SendMessage input: the body exactly as HTTPS sends it, the signature in attributes. */
export function sendMessageInput(config: SqsSettings, message: OutboundMessage): SendMessageInput {
  const attributes: Record<string, StringAttribute> = {};
  const set = (name: string, value: string | undefined) => {
    // SQS rejects empty attribute values.
    if (value !== undefined && value !== "") {
      attributes[name] = { DataType: "String", StringValue: value };
    }
  };
  for (const name of ATTRIBUTE_HEADERS) set(name, message.headers[name]);
  set(EVENT_TYPE_ATTRIBUTE, message.eventType);
  const input: SendMessageInput = {
    QueueUrl: config.queueUrl,
    MessageBody: message.body,
    MessageAttributes: attributes,
  };
  if (isFifoQueueUrl(config.queueUrl)) {
    input.MessageDeduplicationId = message.eventId;
    input.MessageGroupId = messageGroupId(config.messageGroup ?? DEFAULT_MESSAGE_GROUP, message);
  }
  return input;
}

// ---------------------------------------------------------------------------------------------
// Batches

/** SendMessageBatch takes at most 10 entries ... */
export const BATCH_MAX_ENTRIES = 10;
/** ... whose payloads together are at most 256 KiB; a larger message goes alone (SendMessage). */
export const BATCH_MAX_BYTES = 262_144;
/** What SQS accepts as a batch entry's Id. */
export const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The bytes a message counts toward SQS's size limits: the body and each attribute's name,
 * type and value, in UTF-8. (The type is counted too: SQS does, and it only errs on the safe side.)
 */
export function payloadBytes(
  input: Pick<SendMessageInput, "MessageBody" | "MessageAttributes">,
): number {
  let bytes = Buffer.byteLength(input.MessageBody, "utf8");
  for (const name in input.MessageAttributes) {
    const attribute = input.MessageAttributes[name]!;
    bytes +=
      Buffer.byteLength(name, "utf8") +
      Buffer.byteLength(attribute.DataType, "utf8") +
      Buffer.byteLength(attribute.StringValue, "utf8");
  }
  return bytes;
}

export interface BatchEntry {
  Id: string;
  MessageBody: string;
  MessageAttributes: Record<string, StringAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/**
 * The SendMessageBatch entry for a SendMessage input: the same body, attributes, group and
 * deduplication ids, and as Id the entry's index in the batch (unique, and what SQS accepts).
 */
export function batchEntry(input: SendMessageInput, index: number): BatchEntry {
  const entry: BatchEntry = {
    Id: String(index),
    MessageBody: input.MessageBody,
    MessageAttributes: input.MessageAttributes,
  };
  if (input.MessageDeduplicationId !== undefined) {
    entry.MessageDeduplicationId = input.MessageDeduplicationId;
  }
  if (input.MessageGroupId !== undefined) entry.MessageGroupId = input.MessageGroupId;
  return entry;
}

/** A `Failed[]` entry of SQS's answer to SendMessageBatch. */
export interface BatchEntryFailure {
  Id?: string | undefined;
  SenderFault?: boolean | undefined;
  Code?: string | undefined;
  Message?: string | undefined;
}

/** SQS's answer to SendMessageBatch, as far as the result of each entry goes. */
export interface BatchAnswer {
  Successful?: readonly { Id?: string | undefined; MessageId?: string | undefined }[] | undefined;
  Failed?: readonly BatchEntryFailure[] | undefined;
}

/** One entry's outcome: SQS's message id, or the failure. */
export type BatchEntryOutcome = { messageId: string } | SqsFailure;

/**
 * The outcome of each of the `count` entries (Ids "0" to count - 1) from SQS's answer. An entry
 * the answer does not mention failed: whatever answered did not answer as SQS does.
 */
export function batchOutcomes(
  answer: BatchAnswer,
  count: number,
  context: { queueUrl: string },
): BatchEntryOutcome[] {
  const outcomes: (BatchEntryOutcome | undefined)[] = new Array(count).fill(undefined);
  const indexOf = (id: string | undefined): number | null => {
    const index = Number(id);
    return Number.isInteger(index) && index >= 0 && index < count && String(index) === id
      ? index
      : null;
  };
  for (const entry of answer.Failed ?? []) {
    const index = indexOf(entry.Id);
    if (index !== null && outcomes[index] === undefined) {
      outcomes[index] = classifySqsEntryError(entry, context);
    }
  }
  for (const entry of answer.Successful ?? []) {
    const index = indexOf(entry.Id);
    if (index !== null && outcomes[index] === undefined) {
      outcomes[index] = { messageId: entry.MessageId ?? "(none)" };
    }
  }
  return outcomes.map(
    (outcome) =>
      outcome ?? {
        statusCode: null,
        error:
          "the endpoint answered SendMessageBatch without a result for this message, not as SQS does",
      },
  );
}

// ---------------------------------------------------------------------------------------------
// Errors

export interface SqsFailure {
  statusCode: number | null;
  error: string;
}

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "KmsThrottled",
  "KMS.ThrottlingException",
  "TooManyRequestsException",
  "SlowDown",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "ProvisionedThroughputExceededException",
  "LimitExceededException",
]);

const ACCESS_DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "UnrecognizedClientException",
  "InvalidSecurity",
  "IncompleteSignature",
  "MissingAuthenticationToken",
  "InvalidAccessKeyId",
  "ExpiredToken",
  "ExpiredTokenException",
  "KmsAccessDenied",
  "KMS.AccessDeniedException",
]);

const MISSING_QUEUE = new Set([
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "NonExistentQueue",
  "QueueDeletedRecently",
  "AWS.SimpleQueueService.QueueDeletedRecently",
]);

const KMS = /^Kms|^KMS\./;

const CONNECTION_RESET = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);
const UNREACHABLE = new Set(["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN"]);
const UNRESOLVED = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_FAIL"]);
const TLS = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

interface ErrorFields {
  name: string;
  code: string | undefined;
  message: string;
  status: number | undefined;
  fault: string | undefined;
  attempts: number | undefined;
  address: string | undefined;
}

function fieldsOf(error: unknown): ErrorFields {
  const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  const meta = (e.$metadata ?? {}) as Record<string, unknown>;
  // Node reports a failed multi-address connect as an AggregateError of the per-address errors.
  const inner = Array.isArray(e.errors) ? (e.errors[0] as Record<string, unknown>) : undefined;
  const cause = (e.cause ?? inner ?? {}) as Record<string, unknown>;
  const address = str(e.address) ?? str(cause.address);
  const port = e.port ?? cause.port;
  return {
    name: str(e.name) ?? "Error",
    // The SQS JSON protocol keeps the query-protocol code (AWS.SimpleQueueService...) in `Code`.
    code: str(e.Code) ?? str(e.code) ?? str(cause.code),
    // The SDK appends a second line about `$response` to deserialization errors.
    message: (str(e.message) ?? str(cause.message) ?? String(error)).split("\n")[0]!.trim(),
    status: typeof meta.httpStatusCode === "number" ? meta.httpStatusCode : undefined,
    fault: str(e.$fault),
    attempts: typeof meta.attempts === "number" ? meta.attempts : undefined,
    address: address && (typeof port === "number" ? `${address}:${port}` : address),
  };
}

function networkFailure(f: ErrorFields, timeoutMs: number): string | null {
  const ids = [f.code, f.name];
  const has = (set: Set<string>) => ids.some((id) => id !== undefined && set.has(id));
  if (f.code === SSRF_BLOCKED) return `blocked: ${f.message}`;
  if (f.name === "AbortError") return `timed out after ${timeoutMs} ms`;
  if (f.code === "ECONNREFUSED") {
    return f.address ? `connection refused by ${f.address}` : "connection refused";
  }
  // The SDK renames ECONNRESET/EPIPE errors "TimeoutError", so the code is checked first.
  if (has(CONNECTION_RESET)) return `connection reset (${f.message})`;
  if (f.code === "ETIMEDOUT" || f.name === "TimeoutError") return `timed out (${f.message})`;
  if (has(UNREACHABLE)) return `network unreachable (${f.code}: ${f.message})`;
  if (has(UNRESOLVED)) return `could not resolve the SQS host (${f.code}: ${f.message})`;
  if (f.code !== undefined && TLS.test(f.code)) return `TLS error (${f.code}: ${f.message})`;
  return null;
}

/**
 * What a failed SendMessage means, as a delivery attempt records it. `statusCode` is SQS's HTTP
 * status when it answered (never 2xx, never 410), null when nothing answered.
 */
export function classifySqsError(
  error: unknown,
  context: { queueUrl: string; timeoutMs: number },
): SqsFailure {
  const f = fieldsOf(error);
  if (f.status === undefined) {
    const network = networkFailure(f, context.timeoutMs);
    if (network !== null) return { statusCode: null, error: network };
    // The SDK's check of the MD5 SQS returns: the message may or may not have been stored.
    // (SendMessageBatch's check fails the whole call, naming the messages that differ.)
    if (f.message === "InvalidChecksumError" || f.message.startsWith("Invalid MD5 checksum")) {
      return {
        statusCode: null,
        error: "the MD5 of the message body SQS answered with does not match what was sent",
      };
    }
    return { statusCode: null, error: f.code ? `${f.code}: ${f.message}` : f.message };
  }

  const ids = [f.code, f.name].filter((id): id is string => id !== undefined);
  const label = f.code ?? f.name;
  const detail = label === f.message ? label : `${label}: ${f.message}`;
  const tries = f.attempts && f.attempts > 1 ? `: tried ${f.attempts} times` : "";

  const kind = serviceErrorKind(ids, f.status, f.status >= 500 || f.fault === "server");
  let text: string;
  if (
    (kind === "server" || kind === "rejected") &&
    (f.name === "SyntaxError" || (f.status >= 200 && f.status < 300))
  ) {
    // An answer that does not parse as SQS's: whatever answered is not SQS.
    text = `the endpoint answered ${f.status} but not as SQS does (${f.message})`;
  } else if (kind === "throttled") {
    text = `SQS throttled the request (${detail})${tries}`;
  } else if (kind === "server") {
    text = `SQS failed (${f.status} ${detail})${tries}`;
  } else if (kind === "rejected") {
    text = `SQS rejected the request (${f.status} ${detail})`;
  } else {
    text = commonServiceText(kind, detail, context.queueUrl);
  }
  // Only an HTTPS receiver's own 410 means "gone"; 2xx would count as delivered.
  const acknowledged = f.status >= 200 && f.status < 300;
  const statusCode = f.status === 410 || acknowledged ? null : f.status;
  return { statusCode, error: text };
}

type ServiceErrorKind =
  "throttled" | "credentials" | "missingQueue" | "kms" | "server" | "rejected";

/** What an error SQS answered with is about, from its code or name (and HTTP status if any). */
function serviceErrorKind(
  ids: readonly string[],
  status: number | undefined,
  server: boolean,
): ServiceErrorKind {
  const is = (set: Set<string>) => ids.some((id) => set.has(id));
  if (is(THROTTLING) || status === 429) return "throttled";
  if (is(ACCESS_DENIED) || status === 403 || status === 401) return "credentials";
  if (is(MISSING_QUEUE)) return "missingQueue";
  if (ids.some((id) => KMS.test(id))) return "kms";
  return server ? "server" : "rejected";
}

/** The text of the kinds that read the same for a whole request and for one batch entry. */
function commonServiceText(
  kind: "credentials" | "missingQueue" | "kms",
  detail: string,
  queueUrl: string,
): string {
  switch (kind) {
    case "credentials":
      return `SQS refused the credentials (${detail}): check accessKeyId, secretAccessKey and the queue policy`;
    case "missingQueue":
      return `the queue does not exist: ${queueUrl}`;
    case "kms":
      return `SQS could not use the queue's KMS key (${detail})`;
  }
}

/**
 * What a `Failed[]` entry of a SendMessageBatch answer means, classified as classifySqsError
 * classifies a whole call's error. The call itself answered 200, so `statusCode` is the status
 * SQS answers the same error to a SendMessage with: 400 when SQS blames the sender
 * (`SenderFault` true, or not said), 500 when it blames itself (`SenderFault` false).
 */
export function classifySqsEntryError(
  entry: BatchEntryFailure,
  context: { queueUrl: string },
): SqsFailure {
  const str = (value: unknown) =>
    typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  const code = str(entry.Code);
  const message = str(entry.Message)?.split("\n")[0]!.trim();
  const detail =
    code === undefined
      ? (message ?? "no error code")
      : message === undefined || message === code
        ? code
        : `${code}: ${message}`;
  const server = entry.SenderFault === false;
  const kind = serviceErrorKind(code === undefined ? [] : [code], undefined, server);
  let text: string;
  if (kind === "throttled") text = `SQS throttled the message (${detail})`;
  else if (kind === "server") text = `SQS failed to store the message (${detail})`;
  else if (kind === "rejected") text = `SQS rejected the message (${detail})`;
  else text = commonServiceText(kind, detail, context.queueUrl);
  return { statusCode: server ? 500 : 400, error: text };
}

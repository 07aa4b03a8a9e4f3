// What an SDK error, or a batch entry's failure, means for the attempt log. Pure.
import { SSRF_BLOCKED } from "../guarded-lookup.js";

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

/** A `Failed[]` entry of SQS's answer to SendMessageBatch. */
export interface BatchEntryFailure {
  Id?: string | undefined;
  SenderFault?: boolean | undefined;
  Code?: string | undefined;
  Message?: string | undefined;
}

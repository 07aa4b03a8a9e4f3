// The SQS destination's settings: what a valid config looks like and which hosts it makes
// Herald connect to. Pure.
import type { HostOwner } from "../../core/policy/ssrf-policy.js";

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

// AWS's own SQS service hosts, as queue URLs name them (and custom endpoints may). A custom
// endpoint on one of these gets AWS's stricter guard; nothing is exempt from the guard.
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
  // AWS serves SQS over https on the default port only.
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

/** The custom endpoint's host, or null when there is none (or it cannot be parsed). */
function endpointHost(config: SqsSettings): string | null {
  if (config.endpoint === undefined) return null;
  try {
    return hostnameOf(new URL(config.endpoint));
  } catch {
    return null;
  }
}

/**
 * The host the config itself names for Herald to connect to: its custom endpoint's. Without
 * one the SDK picks AWS's endpoint for the region (the queue URL's host is never dialed).
 */
export function sqsHosts(config: SqsSettings): string[] {
  const host = endpointHost(config);
  return host === null ? [] : [host];
}

/**
 * Whose name the client's host is: AWS's when the SDK picks it from the region, or when the
 * custom endpoint is one of AWS's SQS hosts (stricter: never loopback, link-local or
 * unspecified addresses, allow-listed or not); the tenant's for any other endpoint.
 */
export function endpointOwner(config: SqsSettings): HostOwner {
  if (config.endpoint === undefined) return "aws";
  const host = endpointHost(config);
  return host !== null && isAwsSqsHost(host) ? "aws" : "tenant";
}

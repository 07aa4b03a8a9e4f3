// The pure half of the AMQP 0-9-1 (RabbitMQ) destination: what a config may say, how it is
// shown, what a published message carries, and how the broker's refusals read in the attempt
// log. No sockets here; amqp.ts does the I/O.
import { VERIFY_HEADERS, type OutboundMessage } from "../destination.js";
import { maskUrlPassword } from "../masking.js";

export interface AmqpConfig {
  type: "amqp";
  /** amqp://user:password@host:port/vhost or amqps://…; vhost and credentials optional. */
  url: string;
  /** The exchange published to; "" is the default exchange, which routes by queue name. */
  exchange: string;
  /** Overrides the routing key; by default it is the event type. */
  routingKey?: string;
}

export const MAX_NAME_BYTES = 255;

/** Query parameters amqplib reads from the URL; anything else would be silently ignored. */
const URL_PARAMETERS: Record<string, "integer" | "text"> = {
  heartbeat: "integer",
  frameMax: "integer",
  channelMax: "integer",
  maxFrameSize: "integer",
  locale: "text",
};

const EXCHANGE_NAME = /^[A-Za-z0-9_.:-]*$/;
const URL_EXAMPLE = "amqps://user:password@broker.example.com:5671/vhost";

export interface ParsedAmqpUrl {
  url: URL;
  /** The host as the socket sees it: lower-cased, IPv6 without brackets. */
  host: string;
  port: number;
  tls: boolean;
  /** Decoded virtual host; "/" when the URL names none. */
  vhost: string;
}

/** Parses and checks a broker URL; the reason names no field, callers prefix it. */
export function parseAmqpUrl(
  text: string,
): { ok: true; value: ParsedAmqpUrl } | { ok: false; reason: string } {
  if (typeof text !== "string" || text.trim() === "") {
    return { ok: false, reason: `must be a broker URL such as ${URL_EXAMPLE}` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // WHATWG URL refuses ports above 65535 outright; say so instead of "not a URL".
    const port = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/i.exec(text)?.[1];
    if (port !== undefined && Number(port) > 65535) {
      return { ok: false, reason: `port ${port} is out of range (1-65535)` };
    }
    return { ok: false, reason: `must be a broker URL such as ${URL_EXAMPLE}` };
  }
  if (url.protocol !== "amqp:" && url.protocol !== "amqps:") {
    return { ok: false, reason: `must use amqp:// or amqps://, not ${url.protocol}//` };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  if (host === "") return { ok: false, reason: "must name the broker's host" };
  let port = url.protocol === "amqps:" ? 5671 : 5672;
  if (url.port !== "") {
    port = Number(url.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      return { ok: false, reason: `port ${url.port} is out of range (1-65535)` };
    }
  }
  if (url.hash !== "") return { ok: false, reason: "must not have a #fragment" };
  // Per the AMQP URI spec the vhost is one path segment; a "/" inside it is written %2F.
  const path = url.pathname.replace(/^\//, "");
  if (path.includes("/")) {
    return {
      ok: false,
      reason: `the vhost must be one path segment (write "/" inside a vhost name as %2F), not "${path}"`,
    };
  }
  let vhost: string;
  try {
    vhost = path === "" ? "/" : decodeURIComponent(path);
  } catch {
    return { ok: false, reason: `the vhost "${path}" is not valid percent-encoding` };
  }
  for (const [name, value] of url.searchParams) {
    const kind = URL_PARAMETERS[name];
    if (!kind) {
      const known = Object.keys(URL_PARAMETERS).join(", ");
      return { ok: false, reason: `unknown query parameter "${name}" (known: ${known})` };
    }
    if (kind === "integer" && !/^\d{1,10}$/.test(value)) {
      return { ok: false, reason: `query parameter ${name} must be a non-negative integer` };
    }
  }
  return { ok: true, value: { url, host, port, tls: url.protocol === "amqps:", vhost } };
}

const byteLength = (text: string) => Buffer.byteLength(text, "utf8");

/** Exchange names per AMQP 0-9-1 as RabbitMQ applies them; "amq.*" may be published to. */
export function checkExchangeName(name: unknown): string | null {
  if (typeof name !== "string") return 'must be a string ("" for the default exchange)';
  if (name.length > MAX_NAME_BYTES) return `must be at most ${MAX_NAME_BYTES} characters`;
  if (!EXCHANGE_NAME.test(name)) {
    return `"${name}" may contain only letters, digits, "-", "_", "." and ":"`;
  }
  return null;
}

export function checkRoutingKey(key: unknown): string | null {
  if (typeof key !== "string") return "must be a string";
  if (byteLength(key) > MAX_NAME_BYTES) return `must be at most ${MAX_NAME_BYTES} bytes (UTF-8)`;
  return null;
}

/** Checks beyond the schema; the message names the field, or null when the config is usable. */
export function validateAmqpConfig(config: AmqpConfig): string | null {
  const url = parseAmqpUrl(config.url);
  if (!url.ok) return `destination.url: ${url.reason}`;
  const exchange = checkExchangeName(config.exchange);
  if (exchange) return `destination.exchange: ${exchange}`;
  if (config.routingKey !== undefined) {
    const key = checkRoutingKey(config.routingKey);
    if (key) return `destination.routingKey: ${key}`;
  }
  if (config.exchange === "" && (config.routingKey === undefined || config.routingKey === "")) {
    return (
      'destination.exchange: the default exchange ("") routes by queue name, ' +
      "so it needs a destination.routingKey naming the queue"
    );
  }
  return null;
}

/** The broker's host, for the SSRF check when the endpoint is saved. */
export function amqpHosts(config: AmqpConfig): string[] {
  const url = parseAmqpUrl(config.url);
  return url.ok ? [url.value.host] : [];
}

export function maskAmqpConfig(config: AmqpConfig): Record<string, unknown> {
  return {
    type: config.type,
    url: maskUrlPassword(config.url),
    exchange: config.exchange,
    ...(config.routingKey !== undefined ? { routingKey: config.routingKey } : {}),
  };
}

/** e.g. `amqps://herald:****@mq.example.com/prod exchange webhooks routing key orders`. */
export function amqpAddress(config: AmqpConfig): string {
  const url = maskUrlPassword(config.url);
  if (config.exchange === "") return `${url} queue ${config.routingKey ?? ""}`;
  const key = config.routingKey === undefined ? "" : ` routing key ${config.routingKey}`;
  return `${url} exchange ${config.exchange}${key}`;
}

export function routingKeyFor(config: AmqpConfig, message: OutboundMessage): string {
  return config.routingKey ?? message.eventType;
}

export interface AmqpPublishOptions {
  persistent: true;
  mandatory: true;
  contentType: "application/json";
  messageId: string;
  correlationId: string;
  type: string;
  timestamp: number;
  appId: string;
  headers: Record<string, string>;
}

/** Properties of the published message; the content is exactly the HTTPS body. */
export function publishOptions(message: OutboundMessage): AmqpPublishOptions {
  const headers: Record<string, string> = {};
  for (const name of VERIFY_HEADERS) {
    const value = message.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  headers["x-webhook-attempt"] ??= String(message.attempt);
  headers["x-webhook-correlation-id"] ??= message.eventId;
  headers["x-webhook-event-type"] = message.eventType;
  const signed = Number(message.headers["webhook-timestamp"]);
  return {
    persistent: true,
    mandatory: true,
    contentType: "application/json",
    messageId: message.eventId,
    correlationId: message.eventId,
    type: message.eventType,
    timestamp: Number.isInteger(signed) && signed > 0 ? signed : Math.floor(Date.now() / 1000),
    appId: "herald",
    headers,
  };
}

/** The reply text of an amqplib close error: `... with message "NOT_FOUND - no exchange ..."`. */
export function replyText(message: string): string {
  return /with message "(.*)"$/s.exec(message)?.[1] ?? message;
}

/** Why the broker closed the channel a publish was on (a channel-level AMQP exception). */
export function describeChannelClose(
  error: { code?: unknown; message: string },
  exchange: string,
): string {
  const text = replyText(error.message);
  switch (error.code) {
    case 404:
      return /no exchange/i.test(text)
        ? `the exchange "${exchange}" does not exist on the broker`
        : `the broker could not find what the message names (${text})`;
    case 403:
      return `the broker refused access to exchange "${exchange}" (${text})`;
    case 406:
      return `the broker refused the message (${text})`;
    default:
      return `the broker closed the channel (${text})`;
  }
}

export function describeUnroutable(exchange: string, routingKey: string): string {
  return exchange === ""
    ? `no queue named "${routingKey}" exists (the default exchange routes by queue name)`
    : `no queue is bound to exchange "${exchange}" with routing key "${routingKey}"`;
}

/** Why a connection could not be opened (socket, TLS or handshake failure). */
export function describeConnectError(error: unknown, timeoutMs: number, vhost = "/"): string {
  const { code, message = String(error) } = (error ?? {}) as { code?: unknown; message?: string };
  if (code === "ERR_SSRF_BLOCKED") return `blocked: ${message}`;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET") return `connection reset (${message})`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `could not resolve host (${message})`;
  if (message === "connect ETIMEDOUT" || code === "ETIMEDOUT") {
    return `timed out after ${timeoutMs} ms`;
  }
  if (/^Handshake terminated by server|^Connection closed: /.test(message)) {
    return `the broker refused the connection (${replyText(message)})`;
  }
  // amqplib drops the reply text when the broker answers connection.open with a close.
  if (/^Expected ConnectionOpenOk; got <ConnectionClose/.test(message)) {
    return `the broker refused to open vhost "${vhost}" (it does not exist, or this user may not use it)`;
  }
  if (/Socket closed abruptly during opening handshake/.test(message)) {
    return "the broker closed the connection during the handshake (is this an AMQP 0-9-1 port, and amqps:// for TLS?)";
  }
  return typeof code === "string" ? `${code}: ${message}` : message;
}

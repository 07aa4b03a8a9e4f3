// The AMQP 0-9-1 (RabbitMQ) destination: publishes each webhook to an exchange, persistent and
// mandatory, and reports success only once the broker has confirmed it (publisher confirms).
//
// Pool: one connection per broker URL, opened lazily and shared by every delivery to that URL
// (concurrent first deliveries wait for the same connect), and on it one confirm channel per
// exchange. A channel-level error (a missing exchange is a 404 that closes the channel) then
// only fails deliveries to that exchange, never those of other endpoints on the same broker.
// Whatever closes, the next delivery opens it again.
import { Type } from "@sinclair/typebox";
import type { AllowList } from "../../core/policy/ssrf-policy.js";
import type {
  Destination,
  DestinationResult,
  DestinationType,
  OutboundMessage,
} from "../destination.js";
import {
  AMQP_CONNECTION_NAME,
  IDLE_CLOSE_MS,
  Link,
  NOT_SENT,
  Publisher,
  Session,
  describe,
  failure,
} from "./link.js";
import {
  amqpAddress,
  amqpHosts,
  checkRoutingKey,
  describeConnectError,
  maskAmqpConfig,
  routingKeyFor,
  validateAmqpConfig,
  type AmqpConfig,
} from "./policy.js";

export type { AmqpConfig } from "./policy.js";
export { AMQP_CONNECTION_NAME };

class AmqpDestination implements Destination<AmqpConfig> {
  private readonly links = new Map<string, Link>();
  private closed = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly allow: AllowList) {
    this.sweeper = setInterval(() => this.closeIdle(Date.now() - IDLE_CLOSE_MS), 60_000);
    this.sweeper.unref();
  }

  /** Disconnects brokers unused since `before`; a later delivery simply reconnects. */
  private closeIdle(before: number): void {
    for (const [url, link] of this.links) {
      if (link.inFlight > 0 || link.lastUsed > before) continue;
      this.links.delete(url);
      void link.close().catch(() => undefined);
    }
  }

  private link(url: string): Link {
    let link = this.links.get(url);
    if (!link) {
      link = new Link(url, this.allow);
      this.links.set(url, link);
    }
    return link;
  }

  async deliver(
    config: AmqpConfig,
    message: OutboundMessage,
    timeoutMs: number,
  ): Promise<DestinationResult> {
    try {
      if (this.closed) return failure("the AMQP destination has been closed");
      const invalid = validateAmqpConfig(config);
      if (invalid) return failure(invalid);
      const routingKey = routingKeyFor(config, message);
      const badKey = checkRoutingKey(routingKey);
      if (badKey) {
        const shown = routingKey.length > 64 ? `${routingKey.slice(0, 64)}…` : routingKey;
        return failure(`routing key "${shown}": ${badKey}`);
      }
      const link = this.link(config.url);
      link.inFlight++;
      link.lastUsed = Date.now();

      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<DestinationResult>((resolve) => {
        timer = setTimeout(() => {
          const blocked = link.blockedReason;
          const why = blocked ? ` (the broker is blocking publishers: ${blocked})` : "";
          resolve(failure(`timed out after ${timeoutMs} ms${why}`));
        }, timeoutMs);
      });
      try {
        const result = await Promise.race([
          this.attempt(link, config, routingKey, message, timeoutMs),
          timedOut,
        ]);
        return scrubPassword(result, config.url);
      } finally {
        clearTimeout(timer);
        link.inFlight--;
      }
    } catch (error) {
      return scrubPassword(failure(describe(error)), config.url);
    }
  }

  private async attempt(
    link: Link,
    config: AmqpConfig,
    routingKey: string,
    message: OutboundMessage,
    timeoutMs: number,
  ): Promise<DestinationResult> {
    // A channel or connection can close between being handed out and the publish; nothing was
    // sent then, so the publish goes to a freshly opened one (a bounded number of times).
    for (let tries = 0; tries < 3; tries++) {
      let session: Session;
      try {
        session = await link.session(timeoutMs);
      } catch (error) {
        return failure(describeConnectError(error, timeoutMs, link.vhost));
      }
      if (!session.usable) continue;
      let publisher: Publisher;
      try {
        publisher = await session.publisher(config.exchange);
      } catch (error) {
        if (!session.usable) continue;
        return failure(`could not open a channel: ${describe(error)}`);
      }
      const result = await publisher.publish(routingKey, message);
      if (result !== NOT_SENT) return result;
    }
    return failure("the connection to the broker was lost before the message could be published");
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const links = [...this.links.values()];
    this.links.clear();
    await Promise.all(links.map((link) => link.close()));
  }
}

/** Errors come from sockets and the broker, not from the URL, but never let a password out. */
function scrubPassword(result: DestinationResult, url: string): DestinationResult {
  if (result.error === null) return result;
  let password = "";
  try {
    password = new URL(url).password;
  } catch {
    return result;
  }
  if (password.length < 3) return result;
  let error = result.error;
  for (const form of new Set([password, safeDecode(password)])) {
    error = error.split(form).join("****");
  }
  return { ...result, error };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const schema = Type.Object(
  {
    type: Type.Literal("amqp", { description: "An AMQP 0-9-1 broker such as RabbitMQ" }),
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      description:
        "The broker: amqp:// or amqps:// (TLS), optional user:password, port and vhost, e.g. " +
        "amqps://herald:secret@mq.example.com:5671/production. The password is never shown again.",
      examples: ["amqps://herald:secret@mq.example.com:5671/production"],
    }),
    exchange: Type.String({
      maxLength: 255,
      pattern: "^[A-Za-z0-9_.:-]*$",
      description:
        "The exchange messages are published to (it must exist). Empty for the default " +
        "exchange, which delivers to the queue named by routingKey.",
      examples: ["herald.webhooks"],
    }),
    routingKey: Type.Optional(
      Type.String({
        maxLength: 255,
        description:
          "The routing key of every message (at most 255 bytes); by default the event type, " +
          "e.g. nfts.create.succeeded, so a topic exchange can route by it.",
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "Publishes each webhook as a persistent message (body = the HTTPS body, signature in " +
      "the headers) and counts it delivered once the broker confirms it",
  },
);

export const amqpDestination: DestinationType<AmqpConfig> = {
  type: "amqp",
  schema,
  validate: validateAmqpConfig,
  hosts: amqpHosts,
  mask: maskAmqpConfig,
  address: amqpAddress,
  open: (allow) => new AmqpDestination(allow),
};

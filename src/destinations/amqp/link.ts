// The AMQP destination's connections: per broker URL a Link (one connection, opened lazily
// and shared by every delivery to that URL, re-opened after a loss), on it a Session, and per
// exchange a Publisher (one confirm channel, so a channel error such as a missing exchange only
// fails deliveries to that exchange).
import { hostname } from "node:os";
import amqp from "amqplib";
import type { ChannelModel, ConfirmChannel, Message } from "amqplib";
import type { AllowList } from "../../core/policy/ssrf-policy.js";
import type { DestinationResult, OutboundMessage } from "../destination.js";
import { createGuardedLookup, refuseIpLiteral } from "../guarded-lookup.js";
import {
  describeChannelClose,
  describeUnroutable,
  parseAmqpUrl,
  publishOptions,
  replyText,
} from "./policy.js";

/** Shown by the broker (rabbitmqctl list_connections, management UI) for Herald's connections. */
export const AMQP_CONNECTION_NAME = `herald@${hostname()} pid ${process.pid}`;

export const CLOSE_TIMEOUT_MS = 5_000;
/** A broker no delivery has used for this long is disconnected (its endpoint may be gone). */
export const IDLE_CLOSE_MS = 5 * 60_000;
export const CONFIRMED = "confirmed by the broker";

export const failure = (error: string): DestinationResult => ({
  statusCode: null,
  error,
  retryAfter: null,
  responseBody: null,
});

export const describe = (error: unknown) =>
  error instanceof Error ? error.message : String(error ?? "closed");

export const NOT_SENT = Symbol("not sent");
type NotSent = typeof NOT_SENT;

interface PendingPublish {
  routingKey: string;
  returned: boolean;
}

/** One confirm channel publishing to one exchange. */
export class Publisher {
  closed = false;
  /** Why the broker closed the channel (channel-level exception), when it did. */
  private closeError: string | null = null;
  /** Unconfirmed publishes by message id, in publish order, to match `basic.return`s to. */
  private readonly pending = new Map<string, PendingPublish[]>();

  constructor(
    private readonly channel: ConfirmChannel,
    private readonly exchange: string,
    private readonly session: Session,
    onClose: () => void,
  ) {
    // The broker closes the channel with 'error' first, then 'close'.
    channel.on("error", (error: Error & { code?: unknown }) => {
      this.closeError = describeChannelClose(error, exchange);
    });
    channel.on("close", () => {
      this.closed = true;
      onClose();
    });
    // RabbitMQ sends basic.return for an unroutable mandatory message before its basic.ack.
    channel.on("return", (returned: Message) => this.markReturned(returned));
  }

  private markReturned(returned: Message): void {
    const id = returned.properties.messageId as string | undefined;
    const list = id === undefined ? undefined : this.pending.get(id);
    const entry = list?.find((p) => !p.returned && p.routingKey === returned.fields.routingKey);
    if (entry) entry.returned = true;
  }

  private forget(id: string, entry: PendingPublish): void {
    const list = this.pending.get(id);
    if (!list) return;
    const index = list.indexOf(entry);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) this.pending.delete(id);
  }

  /** Why a publish on this channel got no confirm; read once the close has fully happened. */
  private lostReason(): string {
    if (this.closeError) return this.closeError;
    const lost = this.session.lostReason;
    if (this.session.closedByHerald) {
      return "the destination was closed before the broker confirmed the message";
    }
    if (lost !== null) {
      return `the connection to the broker was lost before it confirmed the message (${lost})`;
    }
    return "the channel closed before the broker confirmed the message";
  }

  /** Publishes and waits for the confirm, or NOT_SENT if the channel had already closed. */
  publish(routingKey: string, message: OutboundMessage): Promise<DestinationResult | NotSent> {
    if (this.closed) return Promise.resolve(NOT_SENT);
    const options = publishOptions(message);
    const entry: PendingPublish = { routingKey, returned: false };
    const id = options.messageId;
    return new Promise((resolve) => {
      const list = this.pending.get(id) ?? [];
      list.push(entry);
      this.pending.set(id, list);
      try {
        this.channel.publish(
          this.exchange,
          routingKey,
          Buffer.from(message.body, "utf8"),
          options,
          (error: unknown) => {
            this.forget(id, entry);
            if (error === null || error === undefined) {
              resolve(
                entry.returned
                  ? failure(describeUnroutable(this.exchange, routingKey))
                  : { statusCode: 200, error: null, retryAfter: null, responseBody: CONFIRMED },
              );
            } else if (describe(error) === "message nacked") {
              resolve(failure("the broker refused the message (nack)"));
            } else {
              // amqplib fails unconfirmed publishes as the channel closes, before the
              // connection reports why; let it finish closing to name the cause.
              setImmediate(() => resolve(failure(this.lostReason())));
            }
          },
        );
      } catch (error) {
        // amqplib throws synchronously once the channel or connection is closing: not sent.
        this.forget(id, entry);
        if (this.session.closedByHerald) resolve(failure(this.lostReason()));
        else if (this.closed || this.session.lostReason !== null) resolve(NOT_SENT);
        else resolve(failure(`could not publish: ${describe(error)}`));
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.channel.close().catch(() => undefined);
  }
}

/** One open connection to a broker and its channels. */
export class Session {
  lostReason: string | null = null;
  closedByHerald = false;
  blockedReason: string | null = null;
  private readonly publishers = new Map<string, Promise<Publisher>>();

  constructor(
    private readonly model: ChannelModel,
    onLost: () => void,
  ) {
    model.on("error", (error: Error) => {
      this.lostReason ??= replyText(describe(error));
    });
    model.on("close", (error?: Error) => {
      this.lostReason = error ? replyText(describe(error)) : (this.lostReason ?? "closed");
      onLost();
    });
    model.on("blocked", (reason: string) => {
      this.blockedReason = reason || "blocked";
    });
    model.on("unblocked", () => {
      this.blockedReason = null;
    });
  }

  get usable(): boolean {
    return this.lostReason === null && !this.closedByHerald;
  }

  publisher(exchange: string): Promise<Publisher> {
    const existing = this.publishers.get(exchange);
    if (existing) return existing;
    const opening: Promise<Publisher> = this.model.createConfirmChannel().then(
      (channel) =>
        new Publisher(channel, exchange, this, () => {
          if (this.publishers.get(exchange) === opening) this.publishers.delete(exchange);
        }),
    );
    this.publishers.set(exchange, opening);
    opening.catch(() => {
      if (this.publishers.get(exchange) === opening) this.publishers.delete(exchange);
    });
    return opening;
  }

  /** Closes the channels, then the connection; a broker that never answers is cut off. */
  async close(): Promise<void> {
    this.closedByHerald = true;
    const publishers = [...this.publishers.values()];
    this.publishers.clear();
    const closing = (async () => {
      await Promise.all(
        publishers.map((opening) => opening.then((p) => p.close()).catch(() => undefined)),
      );
      if (this.lostReason === null) await this.model.close().catch(() => undefined);
      return true;
    })();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS);
      timer.unref();
    });
    if (!(await Promise.race([closing, gaveUp]))) {
      (this.model.connection as unknown as { stream?: { destroy(): void } }).stream?.destroy();
    }
    clearTimeout(timer);
  }
}

/** Everything Herald knows about one broker URL: its connection, opened on demand. */
export class Link {
  /** Deliveries under way, and when the last one started: idle links are closed. */
  inFlight = 0;
  lastUsed = Date.now();
  private current: Promise<Session> | null = null;
  private live: Session | null = null;
  private closing = false;
  readonly vhost: string = "/";
  /** The host amqplib dials: it reads the URL with the same WHATWG parser. */
  private readonly host: string = "";

  constructor(
    private readonly url: string,
    private readonly allow: AllowList,
  ) {
    const parsed = parseAmqpUrl(url);
    if (parsed.ok) {
      this.vhost = parsed.value.vhost;
      this.host = parsed.value.host;
    }
  }

  /** The open session, or the one being opened: concurrent callers share a single connect. */
  session(timeoutMs: number): Promise<Session> {
    if (this.current) return this.current;
    const opening: Promise<Session> = this.connect(timeoutMs, () => {
      if (this.current === opening) this.current = null;
    });
    this.current = opening;
    opening.catch(() => {
      if (this.current === opening) this.current = null;
    });
    return opening;
  }

  /** Why the broker is holding publishes back (a resource alarm), if it is. */
  get blockedReason(): string | null {
    return this.live?.blockedReason ?? null;
  }

  private async connect(timeoutMs: number, onLost: () => void): Promise<Session> {
    // net.connect skips `lookup` for an IP literal: the guard judges it here, before connecting.
    const refused = refuseIpLiteral(this.host, this.allow);
    if (refused) throw refused;
    const model = await amqp.connect(this.url, {
      // Reaches net.connect / tls.connect: every resolved address passes the SSRF policy.
      lookup: createGuardedLookup(this.allow),
      // amqplib arms this for the TCP connect and the AMQP handshake, then disarms it.
      timeout: timeoutMs,
      keepAlive: true,
      keepAliveDelay: 30_000,
      clientProperties: { connection_name: AMQP_CONNECTION_NAME },
    });
    const session = new Session(model, () => {
      if (this.live === session) this.live = null;
      onLost();
    });
    if (this.closing) {
      await session.close();
      throw new Error("the destination was closed");
    }
    this.live = session;
    return session;
  }

  async close(): Promise<void> {
    this.closing = true;
    const pending = this.current;
    this.current = null;
    const session = await pending?.catch(() => null);
    await session?.close();
  }
}

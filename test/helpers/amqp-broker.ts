// Test helpers for the local RabbitMQ broker: a consumer connection, a unique exchange + queue
// + binding per test (removed again afterwards), a TCP proxy that can freeze or cut the
// connection, and a broker-side close of Herald's connections through rabbitmqctl.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import net, { type AddressInfo } from "node:net";
import { promisify } from "node:util";
import amqp from "amqplib";
import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import type { OutboundMessage } from "../../src/destinations/destination.js";
import { newId } from "../../src/core/runtime/ids.js";
import { secretKeyBytes, signatureHeader } from "../../src/core/policy/signing.js";
import { webhookHeaders } from "../../src/core/policy/webhook-headers.js";

const run = promisify(execFile);

export const BROKER_URL = process.env.HERALD_TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";

export const uniqueName = (prefix = "herald-test") => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Whether a broker answers at `url` (tests skip themselves when none runs). */
export async function brokerAvailable(url = BROKER_URL): Promise<boolean> {
  try {
    const connection = await amqp.connect(url, { timeout: 2_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

export interface Collector {
  readonly exchange: string;
  readonly queue: string;
  readonly messages: ConsumeMessage[];
  /** Distinct `messageId`s received so far. */
  ids(): Set<string>;
  /** Resolves once `done(messages)` holds; rejects after `timeoutMs`. */
  waitFor(done: (messages: ConsumeMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves once every id is among the received messageIds. */
  waitForIds(ids: Iterable<string>, timeoutMs?: number): Promise<void>;
}

export interface BrokerConsumer {
  readonly connection: ChannelModel;
  readonly channel: Channel;
  /**
   * Declares a unique exchange (topic by default) and queue bound with `bindingKey` ("#"
   * unless given; null leaves the exchange without bindings) and consumes it.
   */
  collect(options?: {
    exchangeType?: "topic" | "direct" | "fanout";
    bindingKey?: string | null;
    /** A durable queue: persistent messages are confirmed only once written to disk. */
    durable?: boolean;
  }): Promise<Collector>;
  /** Declares a unique queue only (for the default exchange, which routes by queue name). */
  collectQueue(): Promise<Collector>;
  /** Deletes everything declared, then closes the connection. */
  close(): Promise<void>;
}

export async function connectConsumer(url = BROKER_URL): Promise<BrokerConsumer> {
  const connection = await amqp.connect(url, {
    clientProperties: { connection_name: `herald-test-consumer pid ${process.pid}` },
  });
  connection.on("error", () => undefined);
  const channel = await connection.createChannel();
  channel.on("error", () => undefined);
  const exchanges: string[] = [];
  const queues: string[] = [];

  async function consume(exchange: string, queue: string): Promise<Collector> {
    const messages: ConsumeMessage[] = [];
    const waiters = new Set<() => void>();
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        messages.push(message);
        for (const wake of waiters) wake();
      },
      { noAck: true },
    );
    const ids = () =>
      new Set(messages.map((m) => m.properties.messageId as string).filter((id) => !!id));
    const waitFor = (done: (messages: ConsumeMessage[]) => boolean, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (done(messages)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`timed out waiting for messages on ${queue} (${messages.length} so far)`),
          );
        }, timeoutMs);
        function check() {
          if (!done(messages)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
        waiters.add(check);
      });
    const waitForIds = (wanted: Iterable<string>, timeoutMs?: number) => {
      const list = [...wanted];
      return waitFor(() => {
        const got = ids();
        return list.every((id) => got.has(id));
      }, timeoutMs);
    };
    return { exchange, queue, messages, ids, waitFor, waitForIds };
  }

  async function declareQueue(durable = false): Promise<string> {
    const queue = uniqueName("herald-test-q");
    // x-expires removes the queue even if a crashed test never cleans up.
    await channel.assertQueue(queue, { durable, arguments: { "x-expires": 120_000 } });
    queues.push(queue);
    return queue;
  }

  return {
    connection,
    channel,
    async collect({ exchangeType = "topic", bindingKey = "#", durable = false } = {}) {
      const exchange = uniqueName("herald-test-x");
      // autoDelete: gone once its last binding is (e.g. when the queue expires).
      await channel.assertExchange(exchange, exchangeType, { durable: false, autoDelete: true });
      exchanges.push(exchange);
      const queue = await declareQueue(durable);
      if (bindingKey !== null) await channel.bindQueue(queue, exchange, bindingKey);
      return consume(exchange, queue);
    },
    async collectQueue() {
      const queue = await declareQueue();
      return consume("", queue);
    },
    async close() {
      for (const queue of queues) await channel.deleteQueue(queue).catch(() => undefined);
      for (const exchange of exchanges) {
        await channel.deleteExchange(exchange).catch(() => undefined);
      }
      await connection.close().catch(() => undefined);
    },
  };
}

/** An OutboundMessage signed the way the dispatcher signs one (see dispatcher/attempt.ts). */
export function signedMessage(
  secret: string,
  overrides: { eventId?: string; eventType?: string; attempt?: number; data?: unknown } = {},
): OutboundMessage {
  const eventId = overrides.eventId ?? newId();
  const eventType = overrides.eventType ?? "nfts.create.succeeded";
  const attempt = overrides.attempt ?? 1;
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    id: eventId,
    type: eventType,
    data: overrides.data ?? { note: "héllo ✓", n: 1 },
    timestamp: new Date(timestamp * 1000).toISOString(),
  });
  const signature = signatureHeader([secretKeyBytes(secret)], eventId, timestamp, body);
  return {
    eventId,
    eventType,
    attempt,
    endpointId: "ep_test",
    body,
    headers: webhookHeaders({ eventId, eventType, attempt, timestamp, signature }),
  };
}

export interface TcpProxy {
  readonly port: number;
  /** Client connections accepted so far. */
  readonly accepted: number;
  /** Connections currently open. */
  readonly open: number;
  /** The local ports of the proxy's connections to the broker (the broker's peer_port). */
  upstreamPorts(): number[];
  /**
   * Holds back what flows on the open connections until thaw() or drop(): by default what the
   * broker sends (its confirms included); with `toBroker`, what the client sends (its
   * publishes). `newConnections` also freezes connections accepted later (a hanging broker).
   */
  freeze(options?: { toBroker?: boolean; newConnections?: boolean }): void;
  thaw(): void;
  /** Cuts every connection: a TCP reset by default, or a clean FIN with { reset: false }. */
  drop(options?: { reset?: boolean }): void;
  close(): Promise<void>;
}

interface ProxiedPair {
  client: net.Socket;
  upstream: net.Socket;
  /** Chunks held back per direction while frozen; null when flowing. */
  toClient: Buffer[] | null;
  toBroker: Buffer[] | null;
}

/** A TCP proxy on 127.0.0.1 in front of the broker, to simulate network trouble. */
export async function startTcpProxy(
  target: { host: string; port: number } = { host: "127.0.0.1", port: 5672 },
): Promise<TcpProxy> {
  let accepted = 0;
  let freezeNew = false;
  const pairs = new Set<ProxiedPair>();
  const forward = (held: Buffer[] | null, to: net.Socket, chunk: Buffer) =>
    held ? held.push(chunk) : to.write(chunk);
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(target.port, target.host);
    const pair: ProxiedPair = { client, upstream, toClient: freezeNew ? [] : null, toBroker: null };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.on("data", (chunk: Buffer) => forward(pair.toBroker, upstream, chunk));
    upstream.on("data", (chunk: Buffer) => forward(pair.toClient, client, chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const proxy: TcpProxy = {
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    upstreamPorts() {
      return [...pairs].map((pair) => pair.upstream.localPort).filter((p) => p !== undefined);
    },
    freeze({ toBroker = false, newConnections = false } = {}) {
      if (newConnections) freezeNew = true;
      for (const pair of pairs) {
        if (toBroker) pair.toBroker ??= [];
        else pair.toClient ??= [];
      }
    },
    thaw() {
      freezeNew = false;
      for (const pair of pairs) {
        const { toClient, toBroker } = pair;
        pair.toClient = pair.toBroker = null;
        for (const chunk of toBroker ?? []) pair.upstream.write(chunk);
        for (const chunk of toClient ?? []) pair.client.write(chunk);
      }
    },
    drop({ reset = true } = {}) {
      for (const pair of [...pairs]) {
        pair.toClient = pair.toBroker = null;
        if (reset) pair.client.resetAndDestroy();
        else pair.client.end();
        pair.upstream.destroy();
      }
    },
    async close() {
      proxy.drop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}

/** Whether rabbitmqctl can talk to the local node (it needs the node's Erlang cookie). */
export async function rabbitmqctlAvailable(): Promise<boolean> {
  try {
    await run("rabbitmqctl", ["-q", "list_connections", "pid"], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * The broker's ids (Erlang pids) of connections: those whose client properties mention
 * `marker` (e.g. a connection_name), and/or whose client port is among `peerPorts` (e.g. a
 * TcpProxy's upstreamPorts()).
 */
export async function brokerConnectionPids(filter: {
  marker?: string;
  peerPorts?: number[];
}): Promise<string[]> {
  const { stdout } = await run(
    "rabbitmqctl",
    ["-q", "list_connections", "--no-table-headers", "pid", "peer_port", "client_properties"],
    { timeout: 10_000 },
  );
  return stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter(([pid, peerPort, properties]) => {
      if (!pid?.trim().startsWith("<")) return false;
      if (filter.marker !== undefined && !properties?.includes(filter.marker)) return false;
      return filter.peerPorts === undefined || filter.peerPorts.includes(Number(peerPort));
    })
    .map(([pid]) => pid!.trim());
}

/** Has the broker close these connections, as an operator or a node shutdown would. */
export async function closeBrokerConnectionPids(pids: string[], reason = "test"): Promise<void> {
  await Promise.all(
    pids.map((pid) =>
      run("rabbitmqctl", ["-q", "close_connection", pid, reason], { timeout: 10_000 }),
    ),
  );
}

/**
 * Has the broker close every connection whose client properties mention `marker` (e.g. a
 * connection_name with this process's pid). Returns how many were closed.
 */
export async function closeBrokerConnections(marker: string, reason = "test"): Promise<number> {
  const pids = await brokerConnectionPids({ marker });
  await closeBrokerConnectionPids(pids, reason);
  return pids.length;
}

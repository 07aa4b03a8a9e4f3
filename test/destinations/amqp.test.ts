// The AMQP destination against the local RabbitMQ (amqp://guest:guest@127.0.0.1:5672, or
// HERALD_TEST_AMQP_URL). Every test declares its own exchange and queue and removes them.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { parseAllowList } from "../../src/core/policy/ssrf-policy.js";
import { generateSecret } from "../../src/core/policy/signing.js";
import {
  AMQP_CONNECTION_NAME,
  amqpDestination,
  type AmqpConfig,
} from "../../src/destinations/amqp/amqp-destination.js";
import type { DestinationResult, OutboundMessage } from "../../src/destinations/destination.js";
import {
  BROKER_URL,
  brokerAvailable,
  brokerConnectionPids,
  closeBrokerConnectionPids,
  connectConsumer,
  rabbitmqctlAvailable,
  signedMessage,
  startTcpProxy,
  uniqueName,
  type BrokerConsumer,
  type TcpProxy,
} from "../helpers/amqp-broker.js";

const LOOPBACK = parseAllowList("127.0.0.0/8,::1/128");
const TIMEOUT_MS = 5_000;
const OK: DestinationResult = {
  statusCode: 200,
  error: null,
  retryAfter: null,
  responseBody: "confirmed by the broker",
};

const available = await brokerAvailable();
const skip = available ? false : `no RabbitMQ at ${BROKER_URL}`;
const canRabbitmqctl = available && (await rabbitmqctlAvailable());

const consumer: BrokerConsumer | null = available ? await connectConsumer() : null;
const destination = amqpDestination.open(LOOPBACK);
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  await destination.close();
  for (const cleanup of cleanups) await cleanup();
  await consumer?.close();
});

const secret = generateSecret();
/** The broker's URL (its credentials and vhost) with another host and port, e.g. a proxy's. */
const brokerUrl = (port: number, host = new URL(BROKER_URL).hostname) => {
  const url = new URL(BROKER_URL);
  url.hostname = host;
  url.port = String(port);
  return url.toString();
};
const cfg = (exchange: string, extra: Partial<AmqpConfig> = {}): AmqpConfig => ({
  type: "amqp",
  url: BROKER_URL,
  exchange,
  ...extra,
});

async function proxy(): Promise<TcpProxy> {
  const started = await startTcpProxy({
    host: new URL(BROKER_URL).hostname,
    port: Number(new URL(BROKER_URL).port || 5672),
  });
  cleanups.push(() => started.close());
  return started;
}

function openDestination(allow = LOOPBACK) {
  const opened = amqpDestination.open(allow);
  cleanups.unshift(() => opened.close());
  return opened;
}

/** Delivers again whatever failed until everything succeeded (a few rounds at most). */
async function redeliverFailures(
  send: (message: OutboundMessage) => Promise<DestinationResult>,
  outcomes: { message: OutboundMessage; result: DestinationResult }[],
): Promise<void> {
  let failed = outcomes.filter((o) => o.result.error !== null).map((o) => o.message);
  for (let round = 0; round < 3 && failed.length > 0; round++) {
    const again = await Promise.all(failed.map(async (m) => ({ m, r: await send(m) })));
    failed = again.filter(({ r }) => r.error !== null).map(({ m }) => m);
  }
  assert.equal(failed.length, 0, "every failed delivery succeeds when delivered again");
}

test(
  "a delivery arrives byte-identical, persistent, with verifiable signing headers",
  { skip },
  async () => {
    const inbox = await consumer!.collect();
    const message = signedMessage(secret, { eventType: "nfts.create.succeeded" });
    const result = await destination.deliver(cfg(inbox.exchange), message, TIMEOUT_MS);
    assert.deepEqual(result, OK);

    await inbox.waitFor((messages) => messages.length === 1);
    const [received] = inbox.messages;
    assert.ok(received.content.equals(Buffer.from(message.body, "utf8")), "body byte-identical");
    assert.equal(received.fields.exchange, inbox.exchange);
    assert.equal(received.fields.routingKey, "nfts.create.succeeded");
    const { properties } = received;
    assert.equal(properties.deliveryMode, 2, "persistent");
    assert.equal(properties.contentType, "application/json");
    assert.equal(properties.messageId, message.eventId);
    assert.equal(properties.correlationId, message.eventId);
    assert.equal(properties.type, "nfts.create.succeeded");
    assert.equal(properties.timestamp, Number(message.headers["webhook-timestamp"]));
    const headers = properties.headers as Record<string, unknown>;
    for (const name of [
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
      "x-webhook-attempt",
      "x-webhook-correlation-id",
      "x-webhook-event-type",
    ]) {
      assert.equal(String(headers[name]), message.headers[name], name);
    }

    // What a receiver does: verify with the Standard Webhooks library, de-duplicate on the id.
    const verified = new Webhook(secret).verify(received.content.toString("utf8"), {
      "webhook-id": String(headers["webhook-id"]),
      "webhook-timestamp": String(headers["webhook-timestamp"]),
      "webhook-signature": String(headers["webhook-signature"]),
    });
    assert.deepEqual(verified, JSON.parse(message.body));
    assert.throws(() =>
      new Webhook(generateSecret()).verify(received.content.toString("utf8"), {
        "webhook-id": String(headers["webhook-id"]),
        "webhook-timestamp": String(headers["webhook-timestamp"]),
        "webhook-signature": String(headers["webhook-signature"]),
      }),
    );
  },
);

test("routingKey replaces the event type as the routing key", { skip }, async () => {
  const inbox = await consumer!.collect({ exchangeType: "direct", bindingKey: "herald.all" });
  const message = signedMessage(secret, { eventType: "asset.minted" });
  const config = cfg(inbox.exchange, { routingKey: "herald.all" });
  assert.deepEqual(await destination.deliver(config, message, TIMEOUT_MS), OK);
  await inbox.waitFor((messages) => messages.length === 1);
  assert.equal(inbox.messages[0].fields.routingKey, "herald.all");
  assert.equal(inbox.messages[0].properties.type, "asset.minted");
});

test("the default exchange delivers to the queue routingKey names", { skip }, async () => {
  const inbox = await consumer!.collectQueue();
  const message = signedMessage(secret);
  assert.deepEqual(
    await destination.deliver(cfg("", { routingKey: inbox.queue }), message, TIMEOUT_MS),
    OK,
  );
  await inbox.waitForIds([message.eventId]);
});

test(
  "a missing exchange fails clearly; the channel is re-opened for the next delivery",
  { skip },
  async () => {
    const missing = uniqueName("herald-test-missing");
    const healthy = await consumer!.collect();
    const config = cfg(missing);
    const first = signedMessage(secret);
    // A delivery to another exchange on the same broker at the same time is unaffected.
    const [broken, fine] = await Promise.all([
      destination.deliver(config, first, TIMEOUT_MS),
      destination.deliver(cfg(healthy.exchange), signedMessage(secret), TIMEOUT_MS),
    ]);
    assert.deepEqual(broken, {
      statusCode: null,
      error: `the exchange "${missing}" does not exist on the broker`,
      retryAfter: null,
      responseBody: null,
    });
    assert.deepEqual(fine, OK);

    const again = await destination.deliver(config, signedMessage(secret), TIMEOUT_MS);
    assert.equal(again.error, `the exchange "${missing}" does not exist on the broker`);

    // Once the operator creates it, the same config works: a fresh channel, no restart.
    await consumer!.channel.assertExchange(missing, "topic", { durable: false, autoDelete: true });
    const queue = uniqueName("herald-test-q");
    await consumer!.channel.assertQueue(queue, {
      durable: false,
      arguments: { "x-expires": 60_000 },
    });
    await consumer!.channel.bindQueue(queue, missing, "#");
    cleanups.push(async () => {
      await consumer!.channel.deleteQueue(queue).catch(() => undefined);
      await consumer!.channel.deleteExchange(missing).catch(() => undefined);
    });
    assert.deepEqual(await destination.deliver(config, first, TIMEOUT_MS), OK);
  },
);

test(
  "an unroutable message fails, and returns are matched to their own deliveries",
  { skip },
  async () => {
    const nowhere = await consumer!.collect({ bindingKey: null });
    const unroutable = await destination.deliver(
      cfg(nowhere.exchange),
      signedMessage(secret),
      TIMEOUT_MS,
    );
    assert.deepEqual(unroutable, {
      statusCode: null,
      error: `no queue is bound to exchange "${nowhere.exchange}" with routing key "nfts.create.succeeded"`,
      retryAfter: null,
      responseBody: null,
    });

    // Interleaved routable and unroutable publishes on one channel, one event id even.
    const inbox = await consumer!.collect({ exchangeType: "direct", bindingKey: "bound" });
    const shared = signedMessage(secret);
    const attempts = Array.from({ length: 20 }, (_, i) => ({
      key: i % 2 === 0 ? "bound" : "unbound",
      message: i < 2 ? shared : signedMessage(secret),
    }));
    const results = await Promise.all(
      attempts.map(({ key, message }) =>
        destination.deliver(cfg(inbox.exchange, { routingKey: key }), message, TIMEOUT_MS),
      ),
    );
    attempts.forEach(({ key }, i) => {
      if (key === "bound") assert.deepEqual(results[i], OK, `attempt ${i}`);
      else assert.match(results[i].error ?? "", /^no queue is bound to exchange .* "unbound"$/);
    });
    await inbox.waitFor((messages) => messages.length === 10);
  },
);

test("a wrong port fails fast with connection refused", { skip }, async () => {
  const started = Date.now();
  const result = await destination.deliver(
    { ...cfg("herald"), url: brokerUrl(1) },
    signedMessage(secret),
    TIMEOUT_MS,
  );
  assert.deepEqual(result, {
    statusCode: null,
    error: "connection refused",
    retryAfter: null,
    responseBody: null,
  });
  assert.ok(Date.now() - started < 1_000, "refused without waiting for the timeout");
});

test("the broker's refusals of the login and the vhost are reported", { skip }, async () => {
  const wrongPassword = new URL(BROKER_URL);
  wrongPassword.username = "guest";
  wrongPassword.password = "not-the-password";
  const login = await destination.deliver(
    { ...cfg("herald"), url: wrongPassword.toString() },
    signedMessage(secret),
    TIMEOUT_MS,
  );
  assert.match(login.error ?? "", /^the broker refused the connection \(ACCESS_REFUSED/);
  assert.ok(!login.error!.includes("not-the-password"));

  const noVhost = new URL(BROKER_URL);
  noVhost.pathname = `/${uniqueName("no-such-vhost")}`;
  const vhost = await destination.deliver(
    { ...cfg("herald"), url: noVhost.toString() },
    signedMessage(secret),
    TIMEOUT_MS,
  );
  assert.match(
    vhost.error ?? "",
    /^the broker refused to open vhost "no-such-vhost-.*" \(it does not exist/,
  );
});

test(
  "the SSRF guard blocks loopback brokers unless allow-listed; nothing is sent",
  { skip },
  async () => {
    const tcp = await proxy();
    const guarded = openDestination(parseAllowList(""));
    const inbox = await consumer!.collect();
    const literal = await guarded.deliver(
      { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "127.0.0.1") },
      signedMessage(secret),
      TIMEOUT_MS,
    );
    assert.match(literal.error ?? "", /^blocked: 127\.0\.0\.1 is a loopback address; add it to/);
    assert.equal(literal.statusCode, null);
    // A name goes through the guarded lookup inside net.connect.
    const byName = await guarded.deliver(
      { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "localhost") },
      signedMessage(secret),
      TIMEOUT_MS,
    );
    assert.match(
      byName.error ?? "",
      /^blocked: localhost resolves to a blocked address \(a loopback address\)/,
    );
    // amqp:// URLs are not "special": 127.1 stays a name, and the lookup catches it.
    const shorthand = await guarded.deliver(
      { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "127.1") },
      signedMessage(secret),
      TIMEOUT_MS,
    );
    assert.match(
      shorthand.error ?? "",
      /^blocked: 127\.1 resolves to a blocked address \(a loopback address\)/,
    );
    assert.equal(tcp.accepted, 0, "no connection was made");

    const allowed = openDestination(LOOPBACK);
    const ok = await allowed.deliver(
      { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "localhost") },
      signedMessage(secret),
      TIMEOUT_MS,
    );
    assert.deepEqual(ok, OK);
    assert.equal(tcp.accepted, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(inbox.messages.length, 1, "only the allowed delivery arrived");
  },
);

test("100 concurrent deliveries share one connection", { skip }, async () => {
  const tcp = await proxy();
  const pooled = openDestination();
  const inbox = await consumer!.collect();
  const config = { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "127.0.0.1") };
  const messages = Array.from({ length: 100 }, () => signedMessage(secret));
  const results = await Promise.all(messages.map((m) => pooled.deliver(config, m, TIMEOUT_MS)));
  assert.ok(results.every((r) => r.statusCode === 200 && r.error === null));
  assert.equal(tcp.accepted, 1, "one connect, however many deliveries wait for it");
  await inbox.waitForIds(messages.map((m) => m.eventId));
});

test(
  "a broker that never confirms times the attempt out; the next one reconnects",
  { skip },
  async () => {
    const tcp = await proxy();
    const pooled = openDestination();
    const inbox = await consumer!.collect();
    const config = { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "127.0.0.1") };
    assert.deepEqual(await pooled.deliver(config, signedMessage(secret), TIMEOUT_MS), OK);

    tcp.freeze();
    const started = Date.now();
    const result = await pooled.deliver(config, signedMessage(secret), 300);
    assert.deepEqual(result, {
      statusCode: null,
      error: "timed out after 300 ms",
      retryAfter: null,
      responseBody: null,
    });
    assert.ok(Date.now() - started < 1_000);

    tcp.drop();
    tcp.thaw();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the reset reaches Herald
    assert.deepEqual(await pooled.deliver(config, signedMessage(secret), TIMEOUT_MS), OK);
    assert.equal(tcp.accepted, 2);
  },
);

test("a connect that hangs is bounded by the attempt's timeout", { skip }, async () => {
  const tcp = await proxy();
  tcp.freeze({ newConnections: true }); // the broker's connection.start never reaches Herald
  const pooled = openDestination();
  const started = Date.now();
  const result = await pooled.deliver(
    { ...cfg("herald"), url: brokerUrl(tcp.port, "127.0.0.1") },
    signedMessage(secret),
    400,
  );
  assert.equal(result.error, "timed out after 400 ms");
  assert.ok(Date.now() - started < 1_500);
});

test(
  "deliveries whose confirm is lost with the connection fail; delivered again they succeed",
  { skip },
  async () => {
    const tcp = await proxy();
    const pooled = openDestination();
    const inbox = await consumer!.collect();
    const config = { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "127.0.0.1") };
    assert.deepEqual(await pooled.deliver(config, signedMessage(secret), TIMEOUT_MS), OK);

    tcp.freeze(); // the broker gets the messages, its confirms are held back
    const messages = Array.from({ length: 20 }, () => signedMessage(secret));
    const pending = messages.map((m) => pooled.deliver(config, m, TIMEOUT_MS));
    await inbox.waitForIds(messages.map((m) => m.eventId));
    tcp.drop();
    const results = await Promise.all(pending);
    for (const result of results) {
      assert.equal(result.statusCode, null);
      assert.match(
        result.error ?? "",
        /^the connection to the broker was lost before it confirmed the message \(.+\)$/,
      );
    }
    tcp.thaw();
    const again = await Promise.all(messages.map((m) => pooled.deliver(config, m, TIMEOUT_MS)));
    assert.ok(again.every((r) => r.statusCode === 200));
    assert.equal(tcp.accepted, 2);
    // At least once: each event arrived twice, the receiver de-duplicates on the id.
    await inbox.waitFor((received) => received.length === 1 + 2 * messages.length);
  },
);

/**
 * Delivers `bursts` × 10 messages, a burst every `intervalMs`, and starts `kill` right after
 * burst `killAfter` has been sent; returns every delivery's outcome.
 */
async function streamWithKill(
  send: (message: OutboundMessage) => Promise<DestinationResult>,
  { bursts, intervalMs, killAfter }: { bursts: number; intervalMs: number; killAfter: number },
  kill: () => Promise<void>,
) {
  const outcomes: Promise<{ message: OutboundMessage; result: DestinationResult }>[] = [];
  let killed: Promise<void> = Promise.resolve();
  for (let burst = 1; burst <= bursts; burst++) {
    for (let i = 0; i < 10; i++) {
      const message = signedMessage(secret, { data: { burst, i } });
      outcomes.push(send(message).then((result) => ({ message, result })));
    }
    if (burst === killAfter) killed = new Promise((resolve) => setImmediate(resolve)).then(kill);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await killed;
  return Promise.all(outcomes);
}

/** Each outcome is a confirm or a lost connection; returns how many failed. */
function checkOutcomes(outcomes: { result: DestinationResult }[], lost: RegExp) {
  for (const { result } of outcomes) {
    if (result.error === null) assert.deepEqual(result, OK);
    else {
      assert.equal(result.statusCode, null);
      assert.match(result.error, lost);
    }
  }
  return outcomes.filter((o) => o.result.error !== null).length;
}

test("the network drops the connection mid-stream: nothing is lost", { skip }, async (t) => {
  const tcp = await proxy();
  const pooled = openDestination();
  const inbox = await consumer!.collect();
  const config = { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "127.0.0.1") };
  const send = (m: OutboundMessage) => pooled.deliver(config, m, TIMEOUT_MS);
  assert.deepEqual(await send(signedMessage(secret)), OK); // the pooled connection is open
  // Confirms stop coming back, then the connection is reset: whatever was published in
  // between reached the broker but was never confirmed.
  const stream = { bursts: 20, intervalMs: 10, killAfter: 5 };
  const outcomes = await streamWithKill(send, stream, async () => {
    tcp.freeze();
    await new Promise((resolve) => setTimeout(resolve, 30));
    tcp.drop();
  });
  const failed = checkOutcomes(
    outcomes,
    /^the connection to the broker was lost before it confirmed the message \(.+\)$/,
  );
  assert.ok(failed > 0, "some deliveries were in flight when the connection dropped");
  assert.ok(failed < outcomes.length, "deliveries after the drop succeeded");
  assert.ok(tcp.accepted >= 2, "the connection was re-opened after the drop");
  await redeliverFailures(send, outcomes);
  await inbox.waitForIds(outcomes.map((o) => o.message.eventId));
  assert.ok(
    inbox.messages.length > outcomes.length,
    "unconfirmed ones arrived twice (at least once)",
  );
  t.diagnostic(`${failed} of ${outcomes.length} failed at the drop and were delivered again`);
});

test(
  "the broker closes the connection mid-stream: nothing is lost",
  { skip: skip || (canRabbitmqctl ? false : "rabbitmqctl cannot reach the broker") },
  async (t) => {
    const tcp = await proxy();
    const pooled = openDestination();
    const inbox = await consumer!.collect();
    const config = { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "127.0.0.1") };
    const send = (m: OutboundMessage) => pooled.deliver(config, m, TIMEOUT_MS);
    assert.deepEqual(await send(signedMessage(secret)), OK); // the pooled connection is open
    // The broker lists it under Herald's connection name, from the proxy's port.
    const pids = await brokerConnectionPids({
      marker: AMQP_CONNECTION_NAME,
      peerPorts: tcp.upstreamPorts(),
    });
    assert.equal(pids.length, 1, "the broker lists the pooled connection");
    // Publishes stop reaching the broker, then it closes the connection (rabbitmqctl
    // close_connection, as an operator or a node shutdown would): those never arrived.
    // rabbitmqctl takes a few hundred ms: the stream goes on for longer than that.
    const stream = { bursts: 20, intervalMs: 40, killAfter: 3 };
    const outcomes = await streamWithKill(send, stream, async () => {
      tcp.freeze({ toBroker: true });
      await closeBrokerConnectionPids(pids, "herald amqp test");
    });
    const failed = checkOutcomes(
      outcomes,
      /^the connection to the broker was lost before it confirmed the message \(CONNECTION_FORCED - herald amqp test\)$/,
    );
    assert.ok(failed > 0, "some deliveries were in flight when the broker closed the connection");
    assert.ok(failed < outcomes.length, "deliveries after the close succeeded");
    await redeliverFailures(send, outcomes);
    await inbox.waitForIds(outcomes.map((o) => o.message.eventId));
    assert.ok(tcp.accepted >= 2, "the connection was re-opened");
    t.diagnostic(
      `${failed} of ${outcomes.length} failed at the broker-side close, delivered again`,
    );
  },
);

test(
  "close() closes every connection; later deliveries fail without reconnecting",
  { skip },
  async () => {
    const tcp = await proxy();
    const pooled = amqpDestination.open(LOOPBACK);
    const inbox = await consumer!.collect();
    const config = { ...cfg(inbox.exchange), url: brokerUrl(tcp.port, "127.0.0.1") };
    assert.deepEqual(await pooled.deliver(config, signedMessage(secret), TIMEOUT_MS), OK);
    assert.equal(tcp.open, 1);
    await pooled.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(tcp.open, 0);
    const after = await pooled.deliver(config, signedMessage(secret), TIMEOUT_MS);
    assert.equal(after.statusCode, null);
    assert.match(after.error ?? "", /closed/);
    assert.equal(tcp.accepted, 1);
  },
);

test("deliver never throws, even for a config the API would have refused", { skip }, async () => {
  const result = await destination.deliver(
    { type: "amqp", url: "http://nope", exchange: "x" },
    signedMessage(secret),
    TIMEOUT_MS,
  );
  assert.match(result.error ?? "", /^destination\.url: /);
  const longKey = await destination.deliver(
    cfg("herald"),
    signedMessage(secret, { eventType: "x".repeat(300) }),
    TIMEOUT_MS,
  );
  assert.match(longKey.error ?? "", /^routing key .*at most 255 bytes/);
});

// The SSRF guard on the AMQP and HTTPS destinations' real sockets (amqplib, undici), with DNS
// stubbed inside each test and every connection attempt recorded: a name resolving to a
// blocked address is refused at connect time, without telling what it resolved to.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseAllowList } from "../../src/core/policy/ssrf-policy.js";
import { amqpDestination, type AmqpConfig } from "../../src/destinations/amqp/amqp-destination.js";
import { httpsDestination } from "../../src/destinations/https/https-destination.js";
import {
  BROKER_URL,
  brokerAvailable,
  connectConsumer,
  signedMessage,
  startTcpProxy,
} from "../helpers/amqp-broker.js";
import { recordConnections, stubDns } from "../helpers/stub-network.js";

const NONE = parseAllowList("");
const LOOPBACK = parseAllowList("127.0.0.0/8,::1/128");
const ADD_RANGE = "add its range to HERALD_ALLOW_PRIVATE_NETWORKS to allow it";
const TIMEOUT_MS = 5_000;
const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const available = await brokerAvailable();
const skip = available ? false : `no RabbitMQ at ${BROKER_URL}`;
const proxy = available ? await startTcpProxy() : null;
const amqpSenders = [amqpDestination.open(NONE), amqpDestination.open(LOOPBACK)];
const [amqpGuarded, amqpLoopback] = amqpSenders;

const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.end("ok"));
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverPort = (receiver.address() as AddressInfo).port;
const httpsSenders = [httpsDestination.open(NONE), httpsDestination.open(LOOPBACK)];
const [httpsGuarded, httpsLoopback] = httpsSenders;

after(async () => {
  await Promise.all([...amqpSenders, ...httpsSenders].map((sender) => sender.close()));
  await proxy?.close();
  await new Promise((resolve) => receiver.close(resolve));
});

/** The broker through the proxy, named `host`. */
const broker = (host: string, exchange = "amq.topic"): AmqpConfig => {
  const url = new URL(BROKER_URL);
  url.hostname = host;
  url.port = String(proxy?.port ?? 1);
  return { type: "amqp", url: url.toString(), exchange };
};

// [answer, allow-list, the refusal after "blocked: broker.internal.example resolves to "]
const AMQP_REFUSALS: [string, "none" | "loopback", string][] = [
  ["10.1.2.3", "loopback", `a blocked address (a private address); ${ADD_RANGE}`],
  ["127.0.0.1", "none", `a blocked address (a loopback address); ${ADD_RANGE}`],
  ["169.254.169.254", "loopback", `a blocked address (a link-local address); ${ADD_RANGE}`],
];

for (const [address, allow, refusal] of AMQP_REFUSALS) {
  test(`AMQP: a broker name resolving to ${address} is refused at connect time`, async (t) => {
    const asked = stubDns(t, () => [address]);
    const attempts = recordConnections(t);
    const sender = allow === "none" ? amqpGuarded! : amqpLoopback!;
    const result = await sender.deliver(
      broker("broker.internal.example"),
      signedMessage(secret),
      TIMEOUT_MS,
    );
    assert.equal(result.error, `blocked: broker.internal.example resolves to ${refusal}`);
    assert.equal(result.statusCode, null);
    assert.ok(asked.includes("broker.internal.example"));
    assert.deepEqual(attempts, [], "no connection was attempted");
  });
}

test("AMQP: an IPv4-mapped loopback literal is refused before connecting", async (t) => {
  const attempts = recordConnections(t);
  const result = await amqpGuarded!.deliver(
    broker("[::ffff:127.0.0.1]"),
    signedMessage(secret),
    TIMEOUT_MS,
  );
  assert.match(result.error ?? "", /^blocked: ::ffff:7f00:1 is a loopback address \(IPv4-mapped/);
  assert.deepEqual(attempts, []);
});

test(
  "AMQP: the same name reaches the broker when its address is allow-listed",
  { skip },
  async (t) => {
    stubDns(t, () => ["127.0.0.1"]);
    const attempts = recordConnections(t);
    const consumer = await connectConsumer();
    t.after(() => consumer.close());
    const inbox = await consumer.collect();
    const config = broker("broker.internal.example", inbox.exchange);
    const result = await amqpLoopback!.deliver(config, signedMessage(secret), TIMEOUT_MS);
    assert.equal(result.error, null);
    assert.ok(attempts.includes(`127.0.0.1:${proxy!.port}`), attempts.join(", "));
    assert.equal(proxy!.accepted, 1);
    await inbox.waitFor((messages) => messages.length === 1);
  },
);

test("HTTPS: a name resolving to a private address is refused at connect time", async (t) => {
  stubDns(t, () => ["93.184.215.14", "10.0.0.7"]);
  const attempts = recordConnections(t);
  const result = await httpsGuarded!.deliver(
    { type: "https", url: "https://hooks.internal.example/webhook" },
    signedMessage(secret),
    TIMEOUT_MS,
  );
  assert.equal(
    result.error,
    `blocked: hooks.internal.example resolves to a blocked address (a private address); ${ADD_RANGE}`,
  );
  assert.deepEqual(attempts, []);
});

test("HTTPS: the same name reaches a local receiver when allow-listed", async (t) => {
  const asked = stubDns(t, () => ["127.0.0.1"]);
  const attempts = recordConnections(t);
  const url = `http://hooks.internal.example:${receiverPort}/webhook`;
  const refused = await httpsGuarded!.deliver({ type: "https", url }, signedMessage(secret), 5000);
  assert.match(refused.error ?? "", /^blocked: hooks\.internal\.example resolves to a blocked/);
  assert.deepEqual(attempts, []);
  const result = await httpsLoopback!.deliver({ type: "https", url }, signedMessage(secret), 5000);
  assert.equal(result.statusCode, 200, result.error ?? "");
  assert.deepEqual(asked, ["hooks.internal.example", "hooks.internal.example"]);
  assert.deepEqual(attempts, [`127.0.0.1:${receiverPort}`]);
});

test("HTTPS: an IP literal is refused by the connector, before connecting", async (t) => {
  const attempts = recordConnections(t);
  const result = await httpsGuarded!.deliver(
    { type: "https", url: "https://[::ffff:169.254.169.254]/latest/meta-data" },
    signedMessage(secret),
    TIMEOUT_MS,
  );
  assert.match(result.error ?? "", /^blocked: ::ffff:a9fe:a9fe is a link-local address/);
  assert.deepEqual(attempts, []);
});

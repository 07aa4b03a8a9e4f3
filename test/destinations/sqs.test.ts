import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Ajv } from "ajv";
import { Webhook } from "standardwebhooks";
import { parseAllowList } from "../../src/core/ssrf-policy.js";
import { generateSecret, secretKeyBytes, signatureHeader } from "../../src/core/signing.js";
import { webhookHeaders } from "../../src/core/webhook-headers.js";
import type { OutboundMessage } from "../../src/destinations/destination.js";
import { sqsDestination, type SqsConfig } from "../../src/destinations/sqs.js";
import { SQS_TEST_CREDENTIALS, startSqsServer, type SqsTestServer } from "../helpers/sqs-server.js";

const LOOPBACK = parseAllowList("127.0.0.0/8");
const STANDARD = "herald-standard";
const FIFO = "herald-events.fifo";

let sqs: SqsTestServer;
const sender = sqsDestination.open(LOOPBACK);

before(async () => {
  sqs = await startSqsServer({ queues: [STANDARD, FIFO] });
});
after(async () => {
  await sender.close();
  await sqs.stop();
});

function configFor(queue: string, extra: Partial<SqsConfig> = {}): SqsConfig {
  return {
    type: "sqs",
    queueUrl: sqs.queueUrl(queue),
    region: sqs.region,
    ...SQS_TEST_CREDENTIALS,
    endpoint: sqs.endpoint,
    ...extra,
  };
}

let sequence = 0;

/** A message signed the way the dispatcher signs one. */
function signedMessage(
  secrets: string[],
  change: Partial<Omit<OutboundMessage, "headers" | "body">> = {},
  collection: string | null = "col_sqs_1",
): OutboundMessage {
  sequence += 1;
  const eventId = change.eventId ?? `evt_sqs_${process.pid}_${sequence}`;
  const eventType = change.eventType ?? "nfts.create.succeeded";
  const timestamp = Math.floor(Date.now() / 1000);
  // Spacing, key order and non-ASCII text must survive unchanged.
  const about = collection === null ? "" : `,"collection":{"id":"${collection}"}`;
  const body = `{"type":"${eventType}",  "data":{"id":"${eventId}","name":"Ünïcode ✓ 🦄","n":${sequence}${about}}}`;
  const signature = signatureHeader(secrets.map(secretKeyBytes), eventId, timestamp, body);
  return {
    eventId,
    eventType,
    attempt: 1,
    endpointId: "ep_sqs_1",
    ...change,
    body,
    headers: webhookHeaders({
      eventId,
      eventType,
      attempt: change.attempt ?? 1,
      timestamp,
      signature,
    }),
  };
}

const attribute = (
  message: { MessageAttributes?: Record<string, { StringValue?: string }> },
  name: string,
) => message.MessageAttributes?.[name]?.StringValue;

test("a message reaches a standard queue with the body unchanged and a verifiable signature", async () => {
  const secret = generateSecret();
  const message = signedMessage([secret], { attempt: 3 });
  const config = configFor(STANDARD);
  const result = await sender.deliver(config, message, 5000);
  assert.equal(result.error, null);
  assert.equal(result.statusCode, 200);
  assert.equal(result.retryAfter, null);
  assert.match(result.responseBody ?? "", /^MessageId [0-9a-f-]{36}$/);

  const [received, ...rest] = await sqs.receive(config.queueUrl);
  assert.equal(rest.length, 0);
  assert.ok(received);
  assert.equal(result.responseBody, `MessageId ${received.MessageId}`);
  assert.equal(received.Body, message.body);
  assert.deepEqual(Buffer.from(received.Body!), Buffer.from(message.body));
  assert.deepEqual(Object.keys(received.MessageAttributes ?? {}).sort(), [
    "webhook-id",
    "webhook-signature",
    "webhook-timestamp",
    "x-webhook-attempt",
    "x-webhook-correlation-id",
    "x-webhook-event-type",
  ]);
  for (const attr of Object.values(received.MessageAttributes!)) {
    assert.equal(attr.DataType, "String");
  }
  assert.equal(attribute(received, "webhook-id"), message.eventId);
  assert.equal(attribute(received, "x-webhook-attempt"), "3");
  assert.equal(attribute(received, "x-webhook-correlation-id"), message.eventId);
  assert.equal(attribute(received, "x-webhook-event-type"), "nfts.create.succeeded");
  // Standard queues carry no group or deduplication id.
  assert.equal(received.Attributes?.MessageGroupId, undefined);

  const headers = {
    "webhook-id": attribute(received, "webhook-id")!,
    "webhook-timestamp": attribute(received, "webhook-timestamp")!,
    "webhook-signature": attribute(received, "webhook-signature")!,
  };
  assert.deepEqual(new Webhook(secret).verify(received.Body!, headers), JSON.parse(message.body));
  assert.throws(() => new Webhook(generateSecret()).verify(received.Body!, headers));
});

test("during a secret rotation both secrets verify", async () => {
  const [next, previous] = [generateSecret(), generateSecret()];
  const message = signedMessage([next, previous]);
  const config = configFor(STANDARD);
  assert.equal((await sender.deliver(config, message, 5000)).statusCode, 200);
  const [received] = await sqs.receive(config.queueUrl);
  const headers = {
    "webhook-id": attribute(received!, "webhook-id")!,
    "webhook-timestamp": attribute(received!, "webhook-timestamp")!,
    "webhook-signature": attribute(received!, "webhook-signature")!,
  };
  for (const secret of [next, previous]) new Webhook(secret).verify(received!.Body!, headers);
});

test("FIFO queues get the event id as deduplication id and the configured message group", async () => {
  const secret = generateSecret();
  const cases: [SqsConfig["messageGroup"], Partial<OutboundMessage>, string | null, string][] = [
    [undefined, {}, "col_sqs_1", "ep_sqs_1"],
    ["endpoint", {}, "col_sqs_1", "ep_sqs_1"],
    ["collection", {}, "col_sqs_1", "col_sqs_1"],
    ["collection", {}, null, "ep_sqs_1"],
    ["eventType", { eventType: "wallets.create.succeeded" }, null, "wallets.create.succeeded"],
  ];
  for (const [messageGroup, change, collection, group] of cases) {
    const config = configFor(FIFO, messageGroup ? { messageGroup } : {});
    assert.equal(sqsDestination.validate(config), null);
    const message = signedMessage([secret], change, collection);
    const result = await sender.deliver(config, message, 5000);
    assert.equal(result.statusCode, 200, `${messageGroup}: ${result.error}`);
    const [received, ...rest] = await sqs.receive(config.queueUrl);
    assert.equal(rest.length, 0);
    assert.equal(received?.Attributes?.MessageGroupId, group, `${messageGroup}`);
    assert.equal(received?.Attributes?.MessageDeduplicationId, message.eventId);
    assert.equal(received?.Body, message.body);
    new Webhook(secret).verify(received!.Body!, {
      "webhook-id": attribute(received!, "webhook-id")!,
      "webhook-timestamp": attribute(received!, "webhook-timestamp")!,
      "webhook-signature": attribute(received!, "webhook-signature")!,
    });
  }
});

test("a retried event is deduplicated by a FIFO queue", async () => {
  const config = configFor(FIFO);
  const message = signedMessage([generateSecret()]);
  const first = await sender.deliver(config, message, 5000);
  const again = await sender.deliver(config, { ...message, attempt: 2 }, 5000);
  assert.equal(first.statusCode, 200);
  assert.equal(again.statusCode, 200);
  assert.equal(again.responseBody, first.responseBody);
  assert.equal((await sqs.receive(config.queueUrl)).length, 1);
});

test("a missing queue is a failed result naming the queue", async () => {
  const config = configFor("no-such-queue");
  const result = await sender.deliver(config, signedMessage([generateSecret()]), 5000);
  assert.equal(result.statusCode, 400);
  assert.equal(result.error, `the queue does not exist: ${config.queueUrl}`);
  assert.equal(result.responseBody, null);
});

test("nothing listening is a failed result, not a throw", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const config = configFor(STANDARD, { endpoint: `http://127.0.0.1:${port}` });
  const result = await sender.deliver(config, signedMessage([generateSecret()]), 5000);
  assert.equal(result.statusCode, null);
  assert.equal(result.error, `connection refused by 127.0.0.1:${port}`);
});

test("a stopped SQS server is a failed result, not a throw", async () => {
  const other = await startSqsServer({ queues: [STANDARD] });
  const config = { ...configFor(STANDARD), endpoint: other.endpoint };
  config.queueUrl = other.queueUrl(STANDARD);
  const local = sqsDestination.open(LOOPBACK);
  try {
    assert.equal(
      (await local.deliver(config, signedMessage([generateSecret()]), 5000)).error,
      null,
    );
    await other.stop();
    const result = await local.deliver(config, signedMessage([generateSecret()]), 5000);
    assert.equal(result.statusCode, null);
    assert.match(result.error ?? "", /^connection (refused|reset)/);
  } finally {
    await local.close();
  }
});

test("without the allow list a loopback endpoint is blocked and nothing is sent", async () => {
  const guarded = sqsDestination.open(parseAllowList(""));
  try {
    const literal = await guarded.deliver(configFor(STANDARD), signedMessage([]), 5000);
    assert.equal(literal.statusCode, null);
    assert.match(
      literal.error ?? "",
      /^blocked: 127\.0\.0\.1 is a loopback address; add it to HERALD_ALLOW_PRIVATE_NETWORKS/,
    );
    // A name goes through the guarded lookup instead.
    const named = configFor(STANDARD, { endpoint: `http://localhost:${sqs.port}` });
    const byName = await guarded.deliver(named, signedMessage([]), 5000);
    assert.equal(byName.statusCode, null);
    assert.match(byName.error ?? "", /^blocked: localhost resolves to .* loopback address/);
  } finally {
    await guarded.close();
  }
  assert.equal((await sqs.receive(sqs.queueUrl(STANDARD))).length, 0);
});

test("an endpoint that never answers times out after timeoutMs", async () => {
  const sockets = new Set<Socket>();
  let requests = 0;
  const silent: Server = createServer(() => {
    requests += 1; // never answers
  });
  silent.on("connection", (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as AddressInfo;
  try {
    const config = configFor(STANDARD, { endpoint: `http://127.0.0.1:${port}` });
    const started = Date.now();
    const result = await sender.deliver(config, signedMessage([generateSecret()]), 300);
    const elapsed = Date.now() - started;
    assert.equal(result.statusCode, null);
    assert.equal(result.error, "timed out after 300 ms");
    assert.ok(elapsed >= 290 && elapsed < 2000, `took ${elapsed} ms`);
    assert.equal(requests, 1, "an aborted attempt is not retried by the SDK");
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test("an endpoint that is not SQS is a failed result", async () => {
  const html: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>");
  });
  await new Promise<void>((resolve) => html.listen(0, "127.0.0.1", resolve));
  const { port } = html.address() as AddressInfo;
  try {
    const config = configFor(STANDARD, { endpoint: `http://127.0.0.1:${port}` });
    const result = await sender.deliver(config, signedMessage([generateSecret()]), 2000);
    // A 200 that is not SQS's answer must not count as delivered.
    assert.equal(result.statusCode, null);
    assert.match(result.error ?? "", /^the endpoint answered 200 but not as SQS does \(/);
  } finally {
    html.closeAllConnections();
    await new Promise((resolve) => html.close(resolve));
  }
});

test("more credentials than the client cache holds, all in flight at once, all deliver", async () => {
  const local = sqsDestination.open(LOOPBACK);
  try {
    const configs = Array.from({ length: 80 }, (_, i) =>
      configFor(STANDARD, { accessKeyId: `AKIAHERALDCACHE${String(i).padStart(4, "0")}` }),
    );
    const results = await Promise.all(
      configs.map((config) => local.deliver(config, signedMessage([]), 5000)),
    );
    assert.deepEqual(
      results.map((result) => result.error),
      configs.map(() => null),
    );
    // The least recently used clients were closed; their keys get new ones.
    assert.equal((await local.deliver(configs[0]!, signedMessage([]), 5000)).statusCode, 200);
  } finally {
    await local.close();
  }
  let drained = 0;
  for (let batch = await sqs.receive(sqs.queueUrl(STANDARD)); batch.length > 0;) {
    drained += batch.length;
    batch = await sqs.receive(sqs.queueUrl(STANDARD));
  }
  assert.equal(drained, 81);
});

test("close() ends the clients; a later delivery opens a new one", async () => {
  const local = sqsDestination.open(LOOPBACK);
  const config = configFor(STANDARD);
  assert.equal((await local.deliver(config, signedMessage([]), 5000)).statusCode, 200);
  await local.close();
  assert.equal((await local.deliver(config, signedMessage([]), 5000)).statusCode, 200);
  await local.close();
  assert.equal((await sqs.receive(config.queueUrl)).length, 2);
});

test("the type's schema, validation, hosts, mask and address", () => {
  const ajv = new Ajv({ useDefaults: true, strict: false, coerceTypes: false });
  const check = ajv.compile(sqsDestination.schema);
  const config: SqsConfig = {
    type: "sqs",
    queueUrl: "https://sqs.eu-west-3.amazonaws.com/123456789012/orders",
    region: "eu-west-3",
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  };
  const body = structuredClone(config);
  assert.equal(check(body), true, JSON.stringify(check.errors));
  // No default is filled in: messageGroup on a standard queue is refused.
  assert.deepEqual(body, config);
  assert.equal(check({ ...config, extra: 1 }), false);
  assert.equal(check({ ...config, type: "https" }), false);
  assert.equal(check({ ...config, messageGroup: "tenant" }), false);
  assert.equal(check({ ...config, region: "x".repeat(33) }), false);
  const properties = (sqsDestination.schema as unknown as { properties: Record<string, object> })
    .properties;
  for (const [name, property] of Object.entries(properties)) {
    assert.equal(typeof (property as { description?: string }).description, "string", name);
  }

  assert.equal(sqsDestination.type, "sqs");
  assert.equal(sqsDestination.validate(config), null);
  assert.match(sqsDestination.validate({ ...config, region: "us-east-1" }) ?? "", /region/);
  assert.deepEqual(sqsDestination.hosts(config), []);
  assert.deepEqual(sqsDestination.hosts(configFor(STANDARD)), ["127.0.0.1"]);
  assert.equal(sqsDestination.address(config), config.queueUrl);
  assert.deepEqual(sqsDestination.mask(config), {
    type: "sqs",
    queueUrl: config.queueUrl,
    region: "eu-west-3",
    accessKeyId: "****MPLE",
    secretAccessKey: "****",
  });
  assert.deepEqual(
    sqsDestination.mask({
      ...config,
      endpoint: "http://localhost:4566",
      messageGroup: "eventType",
    }),
    {
      type: "sqs",
      queueUrl: config.queueUrl,
      region: "eu-west-3",
      endpoint: "http://localhost:4566",
      messageGroup: "eventType",
      accessKeyId: "****MPLE",
      secretAccessKey: "****",
    },
  );
});

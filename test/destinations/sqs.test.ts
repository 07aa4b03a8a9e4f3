import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Ajv } from "ajv";
import { Webhook } from "standardwebhooks";
import { parseAllowList } from "../../src/core/policy/ssrf-policy.js";
import { generateSecret, secretKeyBytes, signatureHeader } from "../../src/core/policy/signing.js";
import { webhookHeaders } from "../../src/core/policy/webhook-headers.js";
import type { DestinationResult, OutboundMessage } from "../../src/destinations/destination.js";
import { sqsDestination, type SqsConfig } from "../../src/destinations/sqs/sqs-destination.js";
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
  /** Characters of padding in the body, for large messages. */
  padding = 0,
): OutboundMessage {
  sequence += 1;
  const eventId = change.eventId ?? `evt_sqs_${process.pid}_${sequence}`;
  const eventType = change.eventType ?? "nfts.create.succeeded";
  const timestamp = Math.floor(Date.now() / 1000);
  // Spacing, key order and non-ASCII text must survive unchanged.
  const about = collection === null ? "" : `,"collection":{"id":"${collection}"}`;
  const pad = padding > 0 ? `,"pad":"${"x".repeat(padding)}"` : "";
  const body = `{"type":"${eventType}",  "data":{"id":"${eventId}","name":"Ünïcode ✓ 🦄","n":${sequence}${about}${pad}}}`;
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

/** Everything now in the queue, in the order received; deleted. */
async function receiveAll(queueUrl: string) {
  const all: Awaited<ReturnType<SqsTestServer["receive"]>> = [];
  for (let batch = await sqs.receive(queueUrl); batch.length > 0;) {
    all.push(...batch);
    batch = await sqs.receive(queueUrl);
  }
  return all;
}

const verifyHeaders = (received: Parameters<typeof attribute>[0]) => ({
  "webhook-id": attribute(received, "webhook-id")!,
  "webhook-timestamp": attribute(received, "webhook-timestamp")!,
  "webhook-signature": attribute(received, "webhook-signature")!,
});

/** The SQS send calls the server received since the last clearRequests(), sorted. */
const sendCalls = () =>
  sqs
    .requests()
    .filter((action) => action.startsWith("SendMessage"))
    .sort();

let queueSequence = 0;
/** A new queue named `name` plus a unique suffix (before .fifo for a FIFO queue). */
const freshQueue = (name: string, attributes?: Record<string, string>) => {
  const [base, fifo] = name.endsWith(".fifo") ? [name.slice(0, -5), ".fifo"] : [name, ""];
  return sqs.createQueue(`${base}-${process.pid}-${++queueSequence}${fifo}`, attributes);
};

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

test("50 concurrent deliveries to one queue share 5 SendMessageBatch calls; each gets its own MessageId", async (t) => {
  const secret = generateSecret();
  const config = configFor(STANDARD);
  const messages = Array.from({ length: 50 }, () => signedMessage([secret]));
  sqs.clearRequests();
  const results = await Promise.all(messages.map((m) => sender.deliver(config, m, 5000)));
  const calls = sqs.requests();
  t.diagnostic(`50 deliveries: ${calls.length} requests (${calls.join(", ")})`);
  // 10 entries a call; the slack is for a flush split by timing, should one ever happen.
  assert.ok(calls.length <= 6, `${calls.length} requests: ${calls.join(", ")}`);
  assert.deepEqual(new Set(calls), new Set(["SendMessageBatch"]));
  for (const result of results) {
    assert.equal(result.error, null);
    assert.equal(result.statusCode, 200);
    assert.match(result.responseBody ?? "", /^MessageId [0-9a-f-]{36}$/);
  }
  assert.equal(new Set(results.map((r) => r.responseBody)).size, 50);

  const received = await receiveAll(config.queueUrl);
  assert.equal(received.length, 50);
  const byEventId = new Map(received.map((r) => [attribute(r, "webhook-id"), r]));
  messages.forEach((message, i) => {
    const got = byEventId.get(message.eventId);
    assert.ok(got, message.eventId);
    assert.equal(results[i]!.responseBody, `MessageId ${got.MessageId}`);
    assert.equal(got.Body, message.body);
    assert.equal(attribute(got, "x-webhook-event-type"), message.eventType);
    assert.deepEqual(
      new Webhook(secret).verify(got.Body!, verifyHeaders(got)),
      JSON.parse(message.body),
    );
  });
});

test("a message SQS refuses fails alone; the rest of its batch is delivered", async () => {
  // local-aws-sqs refuses an entry over the queue's MaximumMessageSize, the others stand.
  const queueUrl = await freshQueue("herald-small", { MaximumMessageSize: "1024" });
  const config = { ...configFor(STANDARD), queueUrl };
  const messages = [
    signedMessage([]),
    signedMessage([]),
    signedMessage([], {}, "col_sqs_1", 2000),
    signedMessage([]),
    signedMessage([]),
  ];
  sqs.clearRequests();
  const results = await Promise.all(messages.map((m) => sender.deliver(config, m, 5000)));
  assert.deepEqual(sendCalls(), ["SendMessageBatch"]);
  assert.deepEqual(results[2], {
    statusCode: 400,
    error:
      "SQS rejected the message (InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.)",
    retryAfter: null,
    responseBody: null,
  });
  for (const i of [0, 1, 3, 4]) {
    assert.equal(results[i]!.error, null, `${i}`);
    assert.equal(results[i]!.statusCode, 200, `${i}`);
  }
  const received = await receiveAll(queueUrl);
  assert.deepEqual(
    received.map((r) => attribute(r, "webhook-id")).sort(),
    [0, 1, 3, 4].map((i) => messages[i]!.eventId).sort(),
  );
});

test("a message over 256 KiB goes alone in a SendMessage, and a batch stays within 256 KiB", async () => {
  const queueUrl = await freshQueue("herald-large");
  const config = { ...configFor(STANDARD), queueUrl };
  const messages = [
    signedMessage([], {}, null, 300 * 1024), // alone
    signedMessage([], {}, null, 150 * 1024), // one batch
    signedMessage([], {}, null, 150 * 1024), // the next, with the small ones
    signedMessage([]),
    signedMessage([]),
  ];
  sqs.clearRequests();
  const results = await Promise.all(messages.map((m) => sender.deliver(config, m, 5000)));
  assert.deepEqual(
    results.map((r) => r.error),
    messages.map(() => null),
  );
  assert.deepEqual(sendCalls(), ["SendMessage", "SendMessageBatch", "SendMessageBatch"]);
  const received = await receiveAll(queueUrl);
  const bodies = new Map(received.map((r) => [attribute(r, "webhook-id"), r.Body]));
  for (const message of messages) assert.equal(bodies.get(message.eventId), message.body);

  // Over SQS's own limit (local-aws-sqs: 1 MiB), SQS's answer to that SendMessage is the result.
  const huge = await sender.deliver(config, signedMessage([], {}, null, 1100 * 1024), 5000);
  assert.equal(huge.statusCode, 400);
  assert.equal(
    huge.error,
    "SQS rejected the request (400 InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.)",
  );
});

test("a stopped SQS server fails every entry of the batch", async () => {
  const other = await startSqsServer({ queues: [STANDARD] });
  const config = { ...configFor(STANDARD), endpoint: other.endpoint };
  config.queueUrl = other.queueUrl(STANDARD);
  const local = sqsDestination.open(LOOPBACK);
  try {
    assert.equal((await local.deliver(config, signedMessage([]), 5000)).error, null);
    await other.stop();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => local.deliver(config, signedMessage([]), 5000)),
    );
    for (const result of results) {
      assert.equal(result.statusCode, null);
      assert.match(result.error ?? "", /^connection (refused|reset)/);
      assert.equal(result.responseBody, null);
    }
  } finally {
    await local.close();
  }
});

test("FIFO: a batch keeps each group's order and every deduplication id", async () => {
  const queueUrl = await freshQueue("herald-order.fifo");
  const config = { ...configFor(FIFO), queueUrl, messageGroup: "collection" as const };
  const secret = generateSecret();
  const groups = ["col_a", "col_b", "col_c"];
  const messages = Array.from({ length: 20 }, (_, i) =>
    signedMessage([secret], {}, groups[i % groups.length]!),
  );
  // The first event again (a retry) in the same batch: SQS deduplicates it.
  const again = { ...messages[0]!, attempt: 2 };
  const sent = [...messages.slice(0, 5), again, ...messages.slice(5)];
  sqs.clearRequests();
  const results = await Promise.all(sent.map((m) => sender.deliver(config, m, 5000)));
  assert.deepEqual(sendCalls(), ["SendMessageBatch", "SendMessageBatch", "SendMessageBatch"]);
  assert.deepEqual(
    results.map((r) => r.error),
    sent.map(() => null),
  );
  assert.equal(results[5]!.responseBody, results[0]!.responseBody);

  const received = await receiveAll(queueUrl);
  assert.equal(received.length, 20);
  for (const group of groups) {
    const inGroup = received.filter((r) => r.Attributes?.MessageGroupId === group);
    assert.deepEqual(
      inGroup.map((r) => attribute(r, "webhook-id")),
      messages.filter((_, i) => groups[i % groups.length] === group).map((m) => m.eventId),
      group,
    );
  }
  for (const r of received) {
    assert.equal(r.Attributes?.MessageDeduplicationId, attribute(r, "webhook-id"));
    new Webhook(secret).verify(r.Body!, verifyHeaders(r));
  }
});

test("a delivery that times out while its batch is in flight does not fail the others", async () => {
  const config = configFor(STANDARD);
  const messages = Array.from({ length: 4 }, () => signedMessage([]));
  sqs.clearRequests();
  sqs.delayAnswers(400);
  let results;
  const started = Date.now();
  try {
    results = await Promise.all(
      messages.map((m, i) =>
        sender
          .deliver(config, m, i === 1 ? 100 : 5000)
          .then((r) => ({ ...r, ms: Date.now() - started })),
      ),
    );
  } finally {
    sqs.delayAnswers(0);
  }
  assert.deepEqual(sendCalls(), ["SendMessageBatch"]);
  assert.equal(results[1]!.statusCode, null);
  assert.equal(results[1]!.error, "timed out after 100 ms");
  assert.ok(results[1]!.ms < 400, `took ${results[1]!.ms} ms`);
  for (const i of [0, 2, 3]) assert.equal(results[i]!.statusCode, 200, `${i}`);
  // The batch was not aborted: the timed-out message arrived too (at-least-once).
  assert.equal((await receiveAll(config.queueUrl)).length, 4);
});

test("a delivery that times out before its batch is sent leaves the batch", async () => {
  const config = configFor(STANDARD);
  const messages = Array.from({ length: 3 }, () => signedMessage([]));
  sqs.clearRequests();
  // From inside an immediate, the lane's flush runs on the next loop iteration's immediates,
  // after the timers: the 1 ms timer has expired by then (busy wait), before the flush.
  const pending = await new Promise<Promise<DestinationResult>[]>((resolve) =>
    setImmediate(() => {
      const all = messages.map((m, i) => sender.deliver(config, m, i === 0 ? 1 : 5000));
      for (const until = Date.now() + 10; Date.now() < until;);
      resolve(all);
    }),
  );
  const results = await Promise.all(pending);
  assert.equal(results[0]!.error, "timed out after 1 ms");
  assert.equal(results[1]!.statusCode, 200);
  assert.equal(results[2]!.statusCode, 200);
  assert.deepEqual(sendCalls(), ["SendMessageBatch"]);
  const received = await receiveAll(config.queueUrl);
  assert.deepEqual(
    received.map((r) => attribute(r, "webhook-id")).sort(),
    [messages[1]!.eventId, messages[2]!.eventId].sort(),
  );
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

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { connectConsumer, startTcpProxy, type BrokerConsumer } from "./helpers/amqp-broker.js";
import { eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";
import {
  SQS_TEST_CREDENTIALS,
  SQS_TEST_REGION,
  startSqsServer,
  type SqsTestServer,
} from "./helpers/sqs-server.js";

// Events published through Herald's API reach real SQS (local-aws-sqs) and RabbitMQ servers,
// signed so a consumer verifies them as an HTTPS receiver would; each destination retries on
// its own.

let h: TestHerald;
let sqs: SqsTestServer;
let broker: BrokerConsumer;
before(async () => {
  // Retries every 0.2 s for a few seconds: long enough to stop and restart a server.
  h = await startTestHerald({
    HERALD_RETRY_SCHEDULE: Array(30).fill("0.2").join(","),
    HERALD_DELIVERY_TIMEOUT_MS: "2000",
  });
  sqs = await startSqsServer();
  broker = await connectConsumer();
});
after(async () => {
  await h.stop();
  await sqs.stop();
  await broker.close();
});

const attr = (m: { MessageAttributes?: Record<string, { StringValue?: string }> }, k: string) =>
  m.MessageAttributes?.[k]?.StringValue;

function sqsDestination(server: SqsTestServer, queueUrl: string, extra = {}) {
  return {
    type: "sqs",
    queueUrl,
    region: SQS_TEST_REGION,
    ...SQS_TEST_CREDENTIALS,
    endpoint: server.endpoint,
    ...extra,
  };
}

async function createEndpoint(body: Record<string, unknown>) {
  const res = await h.api("POST", "/webhooks/endpoints", body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; secret: string };
}

async function publish(type: string, data: unknown) {
  const res = await h.api("POST", "/events", { type, data });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function receiveAll(queueUrl: string, count: number) {
  const got: Awaited<ReturnType<SqsTestServer["receive"]>> = [];
  await eventually(
    async () => {
      got.push(...(await sqs.receive(queueUrl)));
      return got.length >= count;
    },
    { message: `${count} SQS messages`, intervalMs: 50 },
  );
  return got;
}

test("SQS: the HTTPS body with the signature in message attributes, verified by standardwebhooks", async () => {
  const queueUrl = await sqs.createQueue(`orders-${Date.now()}`);
  const endpoint = await createEndpoint({
    destination: sqsDestination(sqs, queueUrl),
    eventTypes: ["nfts.create.succeeded"],
  });
  const eventId = await publish("nfts.create.succeeded", { tokenId: "7" });
  const [message] = await receiveAll(queueUrl, 1);
  const body = message!.Body!;
  const headers = {
    "webhook-id": attr(message!, "webhook-id")!,
    "webhook-timestamp": attr(message!, "webhook-timestamp")!,
    "webhook-signature": attr(message!, "webhook-signature")!,
  };
  const verified = new Webhook(endpoint.secret).verify(body, headers) as Record<string, unknown>;
  assert.equal(verified.id, eventId);
  assert.deepEqual(verified.data, { tokenId: "7" });
  assert.equal(headers["webhook-id"], eventId);
  assert.equal(attr(message!, "x-webhook-correlation-id"), eventId);
  assert.equal(attr(message!, "x-webhook-attempt"), "1");
  assert.equal(attr(message!, "x-webhook-event-type"), "nfts.create.succeeded");
  // The attempt is recorded per destination, like an HTTPS one.
  const event = await eventually(async () => {
    const res = await h.api("GET", `/events/${eventId}`);
    const delivery = res.body.deliveries.find((d: any) => d.endpointId === endpoint.id);
    return delivery?.status === "succeeded" ? delivery : null;
  });
  assert.equal(event.attempts[0].statusCode, 200);
  assert.match(event.attempts[0].responseBody, /^MessageId /);
});

test("POST /webhooks/endpoints/{id}/test tries the real queue", async () => {
  const queueUrl = await sqs.createQueue(`tried-${Date.now()}`);
  const endpoint = await createEndpoint({
    destination: sqsDestination(sqs, queueUrl),
    eventTypes: ["wallets.create.succeeded"],
  });
  const res = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/test`, {
    eventType: "nfts.create.succeeded",
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const [message] = await receiveAll(queueUrl, 1);
  assert.equal(attr(message!, "webhook-id"), res.body.eventId);
  assert.equal(attr(message!, "x-webhook-event-type"), "nfts.create.succeeded");
  const deliveries = await eventually(async () => {
    const page = await h.api("GET", `/webhooks/endpoints/${endpoint.id}/deliveries`);
    return page.body.data[0]?.status === "succeeded" ? page.body.data : null;
  });
  assert.equal(deliveries[0].eventId, res.body.eventId);
});

test("SQS FIFO: deduplication id = event id, group = the event's collection", async () => {
  const queueUrl = await sqs.createQueue(`mints-${Date.now()}.fifo`);
  await createEndpoint({
    destination: sqsDestination(sqs, queueUrl, { messageGroup: "collection" }),
    eventTypes: ["nfts.create.succeeded"],
  });
  const first = await publish("nfts.create.succeeded", { collection: { id: "col-a" } });
  const second = await publish("nfts.create.succeeded", { collection: { id: "col-b" } });
  const messages = await receiveAll(queueUrl, 2);
  const byId = new Map(messages.map((m) => [attr(m, "webhook-id"), m.Attributes ?? {}]));
  assert.equal(byId.get(first)?.MessageDeduplicationId, first);
  assert.equal(byId.get(first)?.MessageGroupId, "col-a");
  assert.equal(byId.get(second)?.MessageGroupId, "col-b");
});

test("RabbitMQ: persistent, routed by event type, signature in the headers", async () => {
  const collector = await broker.collect({ bindingKey: "nfts.#" });
  const endpoint = await createEndpoint({
    destination: {
      type: "amqp",
      url: "amqp://guest:guest@127.0.0.1:5672",
      exchange: collector.exchange,
    },
  });
  const eventId = await publish("nfts.update.succeeded", { tokenId: "9" });
  await collector.waitForIds([eventId]);
  const message = collector.messages.find((m) => m.properties.messageId === eventId)!;
  assert.equal(message.fields.routingKey, "nfts.update.succeeded");
  assert.equal(message.properties.deliveryMode, 2);
  assert.equal(message.properties.correlationId, eventId);
  const h2 = message.properties.headers as Record<string, unknown>;
  const body = message.content.toString("utf8");
  const verified = new Webhook(endpoint.secret).verify(body, {
    "webhook-id": String(h2["webhook-id"]),
    "webhook-timestamp": String(h2["webhook-timestamp"]),
    "webhook-signature": String(h2["webhook-signature"]),
  }) as Record<string, unknown>;
  assert.equal(verified.id, eventId);
  assert.equal(h2["x-webhook-correlation-id"], eventId);
  assert.equal(String(h2["x-webhook-attempt"]), "1");
});

test("HTTPS and SQS together: SQS down, HTTPS delivered once; SQS retried on its own after it returns", async () => {
  const receiver = await Receiver.start();
  let sqsAgain: SqsTestServer | null = null;
  try {
    const own = await startSqsServer();
    const queueName = `both-${Date.now()}`;
    const queueUrl = await own.createQueue(queueName);
    const types = ["collections.create.succeeded"];
    const https = await createEndpoint({ url: `${receiver.url}/hook`, eventTypes: types });
    const queue = await createEndpoint({
      destination: sqsDestination(own, queueUrl),
      eventTypes: types,
    });
    await own.stop();
    const eventId = await publish("collections.create.succeeded", { n: 1 });
    await receiver.waitFor(1);
    // SQS has failed at least twice while HTTPS is done.
    await eventually(async () => {
      const res = await h.api("GET", `/events/${eventId}`);
      const d = res.body.deliveries.find((x: any) => x.endpointId === queue.id);
      return d && d.attempts.length >= 2 && d.status === "pending";
    });
    sqsAgain = await startSqsServer({ port: own.port, queues: [queueName] });
    const received = await eventually(async () => {
      const got = await sqsAgain!.receive(queueUrl);
      return got.length > 0 ? got : null;
    });
    const message = received![0];
    assert.equal(attr(message!, "webhook-id"), eventId);
    assert.equal(attr(message!, "x-webhook-correlation-id"), eventId);
    assert.ok(Number(attr(message!, "x-webhook-attempt")) > 1);
    const httpsRequests = receiver.requests.filter((r) => r.headers["webhook-id"] === eventId);
    assert.equal(httpsRequests.length, 1, "HTTPS got the event exactly once");
    assert.equal(httpsRequests[0]!.headers["x-webhook-correlation-id"], eventId);
    const res = await h.api("GET", `/events/${eventId}`);
    const byEndpoint = new Map(res.body.deliveries.map((d: any) => [d.endpointId, d]));
    assert.equal((byEndpoint.get(https.id) as any).attempts.length, 1);
    const sqsAttempts = (byEndpoint.get(queue.id) as any).attempts;
    assert.ok(sqsAttempts.length >= 3);
    assert.match(sqsAttempts[0].error, /connection refused/);
  } finally {
    await receiver.close();
    await sqsAgain?.stop();
  }
});

test("RabbitMQ connection cut mid-stream: every event still arrives", async () => {
  const collector = await broker.collect({ durable: true });
  const proxy = await startTcpProxy();
  try {
    await createEndpoint({
      destination: {
        type: "amqp",
        url: `amqp://guest:guest@127.0.0.1:${proxy.port}`,
        exchange: collector.exchange,
      },
      eventTypes: ["asset.transferred"],
    });
    const ids: string[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const res = await h.api("POST", "/events/batch", {
        events: Array.from({ length: 50 }, (_, i) => ({
          type: "asset.transferred",
          data: { batch, i },
        })),
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push(...res.body.data.map((e: { id: string }) => e.id));
      // Cut the broker connection under the stream, twice.
      if (batch === 1 || batch === 3) proxy.drop();
    }
    await collector.waitForIds(ids, 20_000);
    assert.ok(proxy.accepted >= 2, "Herald reconnected after the cut");
  } finally {
    await proxy.close();
  }
});

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import {
  API_PREFIX,
  createHeraldClient,
  type components,
  type HeraldClient,
  type HeraldError,
} from "../../packages/client/src/index.js";
import {
  eventually,
  startTestHerald,
  TEST_ADMIN_TOKEN,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";

// @herald/client against a real Herald and a real receiver: the calls a user's code makes, with
// the types the client gives them (a type error here is a failing test: tsc checks this file).

type Attempt = components["schemas"]["Attempt"];

let h: TestHerald;
let receiver: Receiver;
let client: HeraldClient;

before(async () => {
  h = await startTestHerald();
  receiver = await Receiver.start();
  client = createHeraldClient({ baseUrl: h.url, apiKey: h.apiKey });
});
after(async () => {
  await receiver.close();
  await h.stop();
});

test("create an endpoint, publish an event, read its delivery attempts", async () => {
  const created = await client.POST(`${API_PREFIX}/webhooks/endpoints`, {
    body: { url: `${receiver.url}/hooks`, eventTypes: ["order.paid"], description: "client test" },
  });
  assert.equal(created.response.status, 201);
  assert.ok(created.data, JSON.stringify(created.error));
  const endpoint = created.data;
  assert.match(endpoint.secret, /^whsec_/);
  assert.deepEqual(endpoint.eventTypes, ["order.paid"]);
  assert.equal(endpoint.enabled, true);

  const published = await client.POST(`${API_PREFIX}/events`, {
    body: { type: "order.paid", data: { orderId: "o-1", amount: 42 } },
    headers: { "idempotency-key": "order-o-1" },
  });
  assert.ok(published.data, JSON.stringify(published.error));
  const event = published.data;
  assert.equal(event.type, "order.paid");
  assert.equal(event.deliveries, 1);

  // The same Idempotency-Key: the same event, no second fan-out.
  const again = await client.POST(`${API_PREFIX}/events`, {
    body: { type: "order.paid", data: { orderId: "o-1", amount: 42 } },
    headers: { "idempotency-key": "order-o-1" },
  });
  assert.equal(again.data?.id, event.id);

  await receiver.waitFor(1);
  const delivered = receiver.requests[0]!;
  assert.equal(delivered.headers["webhook-id"], event.id);
  const payload = new Webhook(endpoint.secret).verify(delivered.body, {
    "webhook-id": String(delivered.headers["webhook-id"]),
    "webhook-timestamp": String(delivered.headers["webhook-timestamp"]),
    "webhook-signature": String(delivered.headers["webhook-signature"]),
  }) as { data: unknown };
  assert.deepEqual(payload.data, { orderId: "o-1", amount: 42 });

  // The endpoint's deliveries, then the delivery's attempts once the dispatcher recorded one.
  const deliveries = await client.GET(`${API_PREFIX}/webhooks/endpoints/{id}/deliveries`, {
    params: { path: { id: endpoint.id }, query: { limit: 10 } },
  });
  assert.ok(deliveries.data, JSON.stringify(deliveries.error));
  assert.equal(deliveries.data.data.length, 1);
  const delivery = deliveries.data.data[0]!;
  assert.equal(delivery.eventId, event.id);
  assert.equal(delivery.eventType, "order.paid");

  const attempts: Attempt[] = await eventually(
    async () => {
      const { data } = await client.GET(`${API_PREFIX}/deliveries/{id}/attempts`, {
        params: { path: { id: delivery.id } },
      });
      assert.ok(data && data.data.length > 0, "no attempt yet");
      return data.data;
    },
    { message: "the delivery's attempt to be recorded" },
  );
  assert.equal(attempts.length, 1);
  const attempt = attempts[0]!;
  assert.equal(attempt.number, 1);
  assert.equal(attempt.outcome, "succeeded");
  assert.equal(attempt.statusCode, 200);
  assert.equal(attempt.responseBody, "ok");
  assert.equal(attempt.error, null);
  assert.equal(typeof attempt.durationMs, "number");

  // The event as a whole: its delivery, succeeded, with the same attempt.
  const detail = await eventually(
    async () => {
      const { data } = await client.GET(`${API_PREFIX}/events/{id}`, {
        params: { path: { id: event.id } },
      });
      assert.ok(data?.deliveries[0]?.status === "succeeded", "not succeeded yet");
      return data;
    },
    { message: "the delivery to be succeeded" },
  );
  assert.equal(detail.deliveries.length, 1);
  assert.equal(detail.deliveries[0]!.attempts[0]!.statusCode, 200);
});

test("paginates the endpoints with nextCursor", async () => {
  for (let i = 0; i < 4; i++) {
    const { error } = await client.POST(`${API_PREFIX}/webhooks/endpoints`, {
      body: { url: `${receiver.url}/page-${i}`, description: `page ${i}` },
    });
    assert.equal(error, undefined);
  }
  const { data: all } = await client.GET(`${API_PREFIX}/webhooks/endpoints`, {
    params: { query: { limit: 250 } },
  });
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const { data, error } = await client.GET(`${API_PREFIX}/webhooks/endpoints`, {
      params: { query: { limit: 2, cursor } },
    });
    assert.ok(data, JSON.stringify(error));
    assert.ok(data.data.length <= 2);
    seen.push(...data.data.map((endpoint) => endpoint.id));
    cursor = data.nextCursor ?? undefined;
    pages += 1;
  } while (cursor);
  assert.ok(all);
  assert.deepEqual(
    seen,
    all.data.map((endpoint) => endpoint.id),
  );
  assert.ok(seen.length >= 5, `${seen.length} endpoints`);
  assert.equal(pages, Math.ceil(seen.length / 2));
});

test("bad input: a typed 4xx {error, message}, no data", async () => {
  const { data, error, response } = await client.POST(`${API_PREFIX}/webhooks/endpoints`, {
    body: { url: "not a url" },
  });
  assert.equal(data, undefined);
  assert.equal(response.status, 400);
  const failure: HeraldError | undefined = error;
  assert.equal(failure?.error, true);
  assert.equal(typeof failure?.message, "string");
  assert.match(failure!.message, /url/i);

  const missing = await client.GET(`${API_PREFIX}/events/{id}`, {
    params: { path: { id: "0194623a-5c1e-7b8d-9f20-3e4a6b7c8d91" } },
  });
  assert.equal(missing.response.status, 404);
  assert.equal(missing.error?.error, true);
});

test("the key is sent as x-api-key: a wrong one is a 401", async () => {
  const stranger = createHeraldClient({ baseUrl: h.url, apiKey: "hk_not_a_key" });
  const { error, response } = await stranger.GET(`${API_PREFIX}/webhooks/endpoints`);
  assert.equal(response.status, 401);
  assert.equal(error?.message, "invalid API key");
});

test("the admin token is sent as a bearer token", async () => {
  const admin = createHeraldClient({ baseUrl: `${h.url}/`, adminToken: TEST_ADMIN_TOKEN });
  const { data, error } = await admin.POST(`${API_PREFIX}/admin/projects`, {
    body: { name: "client-test" },
  });
  assert.ok(data, JSON.stringify(error));
  assert.equal(data.name, "client-test");
  const tenant = createHeraldClient({ baseUrl: h.url, apiKey: data.apiKey });
  const { data: page } = await tenant.GET(`${API_PREFIX}/webhooks/endpoints`);
  assert.deepEqual(page?.data, []);
});

test("a fetch of the caller's own is used for every request", async () => {
  const seen: string[] = [];
  const traced = createHeraldClient({
    baseUrl: h.url,
    apiKey: h.apiKey,
    fetch: (request) => {
      seen.push(
        `${request.method} ${new URL(request.url).pathname} ${request.headers.get("x-api-key")}`,
      );
      return fetch(request);
    },
  });
  const { data } = await traced.GET(`${API_PREFIX}/webhooks/event-types`);
  assert.ok(data && data.data.length > 0);
  assert.deepEqual(seen, [`GET ${API_PREFIX}/webhooks/event-types ${h.apiKey}`]);
});

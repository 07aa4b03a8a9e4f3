import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { Receiver, type Behaviour } from "./helpers/receiver.js";

let h: TestHerald;
before(async () => {
  h = await startTestHerald({ HERALD_DELIVERY_TIMEOUT_MS: "500", HERALD_AUTO_DISABLE_AFTER: "1" });
});
after(async () => {
  await h.stop();
});

async function endpointFor(receiver: Receiver, extra: Record<string, unknown> = {}) {
  const res = await h.api("POST", "/webhooks/endpoints", { url: receiver.url + "/hook", ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; secret: string };
}

test("a published event arrives signed, and both receiver libraries verify it", async () => {
  const receiver = await Receiver.start();
  try {
    const endpoint = await endpointFor(receiver, { eventTypes: ["nfts.create.succeeded"] });
    assert.match(endpoint.secret, /^whsec_/);
    const published = await h.api("POST", "/events", {
      type: "nfts.create.succeeded",
      data: { tokenId: "15" },
    });
    assert.equal(published.status, 201);
    assert.equal(published.body.deliveries, 1);
    await receiver.waitFor(1);
    const req = receiver.requests[0]!;
    assert.equal(req.method, "POST");
    assert.equal(req.headers["content-type"], "application/json");
    assert.equal(req.headers["webhook-id"], published.body.id);
    assert.equal(req.headers["x-webhook-correlation-id"], published.body.id);
    assert.equal(req.headers["x-webhook-attempt"], "1");
    assert.match(String(req.headers["webhook-signature"]), /^v1,[A-Za-z0-9+/=]+$/);
    assert.deepEqual(req.json.data, { tokenId: "15" });
    assert.equal(req.json.id, published.body.id);
    assert.equal(req.json.type, "nfts.create.succeeded");
    assert.equal(typeof req.json.timestamp, "number");
    const headers = {
      "webhook-id": String(req.headers["webhook-id"]),
      "webhook-timestamp": String(req.headers["webhook-timestamp"]),
      "webhook-signature": String(req.headers["webhook-signature"]),
    };
    assert.deepEqual(new StandardWebhook(endpoint.secret).verify(req.body, headers), req.json);
    assert.deepEqual(new SvixWebhook(endpoint.secret).verify(req.body, headers), req.json);
    assert.throws(() =>
      new StandardWebhook(endpoint.secret).verify(req.body.replace("15", "16"), headers),
    );
    assert.throws(() =>
      new SvixWebhook(endpoint.secret).verify(req.body.replace("15", "16"), headers),
    );
  } finally {
    await receiver.close();
  }
});

test("500 then 200: two attempts with the same webhook-id, attempts 1 then 2, both recorded", async () => {
  const receiver = await Receiver.start((_r, i) =>
    i === 0 ? { status: 500, body: "boom" } : { status: 200 },
  );
  try {
    const endpoint = await endpointFor(receiver, { eventTypes: ["x.retry"] });
    const published = await h.api("POST", "/events", { type: "x.retry", data: {} });
    await receiver.waitFor(2);
    const [first, second] = receiver.requests;
    assert.equal(first!.headers["webhook-id"], second!.headers["webhook-id"]);
    assert.equal(first!.headers["x-webhook-attempt"], "1");
    assert.equal(second!.headers["x-webhook-attempt"], "2");
    const detail = await eventually(async () => {
      const res = await h.api("GET", `/events/${published.body.id}`);
      const mine = res.body.deliveries.find((d: any) => d.endpointId === endpoint.id);
      return mine.status === "succeeded" ? mine : null;
    });
    const attempts = detail.attempts;
    assert.deepEqual(
      attempts.map((a: any) => [a.number, a.statusCode, a.outcome]),
      [
        [1, 500, "failed"],
        [2, 200, "succeeded"],
      ],
    );
    assert.equal(attempts[0].responseBody, "boom");
  } finally {
    await receiver.close();
  }
});

/** An endpoint on its own event type, so tests in this file never see each other's events. */
async function scenario(name: string, behaviour: Behaviour, extra = {}) {
  const receiver = await Receiver.start(behaviour);
  const type = `test.${name}`;
  const endpoint = await endpointFor(receiver, { eventTypes: [type], ...extra });
  const publish = async (data: unknown = {}) => {
    const res = await h.api("POST", "/events", { type, data });
    assert.equal(res.status, 201);
    return res.body as { id: string; deliveries: number };
  };
  const delivery = async (eventId: string) => {
    const res = await h.api("GET", `/events/${eventId}`);
    return res.body.deliveries.find((d: any) => d.endpointId === endpoint.id);
  };
  return { receiver, endpoint, publish, delivery };
}

test("a receiver that hangs past the timeout gets a second attempt", async () => {
  const s = await scenario("timeout", (_r, i) => (i === 0 ? "hang" : { status: 200 }));
  try {
    const event = await s.publish();
    await s.receiver.waitFor(2);
    const d = await eventually(async () =>
      (await s.delivery(event.id)).status === "succeeded" ? s.delivery(event.id) : null,
    );
    assert.equal(d.attempts[0].statusCode, null);
    assert.match(d.attempts[0].error, /timed out after 500 ms/);
    assert.ok(d.attempts[0].durationMs >= 450, `duration ${d.attempts[0].durationMs}`);
    assert.equal(d.attempts[1].statusCode, 200);
  } finally {
    await s.receiver.close();
  }
});

test("a connection reset is a failed attempt, then retried", async () => {
  const s = await scenario("reset", (_r, i) => (i === 0 ? "reset" : { status: 200 }));
  try {
    const event = await s.publish();
    await s.receiver.waitFor(2);
    const d = await eventually(async () =>
      (await s.delivery(event.id)).status === "succeeded" ? s.delivery(event.id) : null,
    );
    assert.equal(d.attempts[0].outcome, "failed");
    assert.match(d.attempts[0].error, /reset|closed/i);
    assert.equal(s.receiver.requests[1]!.headers["x-webhook-attempt"], "2");
  } finally {
    await s.receiver.close();
  }
});

test("3xx is a failure and the redirect is never followed", async () => {
  const s = await scenario("redirect", (r, i) =>
    r.url === "/elsewhere"
      ? { status: 200 }
      : i === 0
        ? { status: 302, headers: { location: "/elsewhere" } }
        : { status: 200 },
  );
  try {
    const event = await s.publish();
    await s.receiver.waitFor(2);
    const d = await eventually(async () =>
      (await s.delivery(event.id)).status === "succeeded" ? s.delivery(event.id) : null,
    );
    assert.deepEqual(
      s.receiver.requests.map((r) => r.url),
      ["/hook", "/hook"],
    );
    assert.deepEqual(
      d.attempts.map((a: any) => [a.statusCode, a.outcome]),
      [
        [302, "failed"],
        [200, "succeeded"],
      ],
    );
  } finally {
    await s.receiver.close();
  }
});

test("410 Gone disables the endpoint and publishes endpoint.disabled", async () => {
  const watcher = await Receiver.start();
  const s = await scenario("gone", () => ({ status: 410 }));
  try {
    await endpointFor(watcher, { eventTypes: ["endpoint.disabled"] });
    const event = await s.publish();
    await s.receiver.waitFor(1);
    await eventually(async () => (await s.delivery(event.id)).status === "failed");
    const endpoint = (await h.api("GET", `/webhooks/endpoints/${s.endpoint.id}`)).body;
    assert.equal(endpoint.enabled, false);
    assert.match(endpoint.disabledReason, /410/);
    await watcher.waitFor(1);
    const notice = watcher.requests.find((r) => r.json.data.endpointId === s.endpoint.id);
    assert.ok(notice, "endpoint.disabled delivered to the other endpoint");
    assert.equal(notice.json.type, "endpoint.disabled");
    const again = await s.publish();
    assert.equal(again.deliveries, 0, "a disabled endpoint gets nothing new");
    assert.equal(s.receiver.requests.length, 1, "410 is not retried");
  } finally {
    await s.receiver.close();
    await watcher.close();
  }
});

test("Retry-After is honoured", async () => {
  const s = await scenario("retry-after", (_r, i) =>
    i === 0 ? { status: 503, headers: { "retry-after": "1" } } : { status: 200 },
  );
  try {
    await s.publish();
    await s.receiver.waitFor(2);
    const gap = s.receiver.requests[1]!.receivedAt - s.receiver.requests[0]!.receivedAt;
    assert.ok(gap >= 950, `second attempt after ${gap} ms, schedule alone says 50 ms`);
  } finally {
    await s.receiver.close();
  }
});

test("after the last retry the delivery fails, delivery.exhausted is published, and a resend delivers it", async () => {
  let healthy = false;
  const watcher = await Receiver.start();
  const s = await scenario("exhausted", () => (healthy ? { status: 200 } : { status: 500 }));
  try {
    await endpointFor(watcher, { eventTypes: ["delivery.exhausted"] });
    const event = await s.publish({ n: 1 });
    await s.receiver.waitFor(4); // the first attempt and three retries
    const failed = await eventually(async () =>
      (await s.delivery(event.id)).status === "failed" ? s.delivery(event.id) : null,
    );
    assert.equal(failed.attempts.length, 4);
    await watcher.waitFor(1);
    const exhausted = watcher.requests.find((r) => r.json.data.eventId === event.id);
    assert.ok(exhausted);
    assert.equal(exhausted.json.data.attempts, 4);
    assert.equal(exhausted.json.data.lastStatusCode, 500);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.receiver.requests.length, 4, "no attempt after exhaustion");

    healthy = true;
    const resend = await h.api("POST", `/events/${event.id}/resend`, {});
    assert.equal(resend.status, 202);
    assert.equal(resend.body.resent, 1);
    await s.receiver.waitFor(5);
    const last = s.receiver.requests[4]!;
    assert.equal(last.headers["webhook-id"], event.id);
    assert.equal(last.headers["x-webhook-attempt"], "5");
    await eventually(async () => (await s.delivery(event.id)).status === "succeeded");
  } finally {
    await s.receiver.close();
    await watcher.close();
  }
});

test("the per-endpoint rate limit spaces deliveries", async () => {
  const s = await scenario("rate", () => ({ status: 200 }), { rateLimit: 5 });
  try {
    const started = Date.now();
    for (let i = 0; i < 15; i++) await s.publish({ i });
    await s.receiver.waitFor(15, 15_000);
    const elapsed = s.receiver.requests[14]!.receivedAt - started;
    assert.ok(elapsed >= 1700, `15 deliveries at 5/s took ${elapsed} ms`);
    for (const r of s.receiver.requests) {
      const inWindow = s.receiver.requests.filter(
        (o) => o.receivedAt >= r.receivedAt && o.receivedAt < r.receivedAt + 1000,
      );
      assert.ok(inWindow.length <= 6, `${inWindow.length} deliveries within one second`);
    }
  } finally {
    await s.receiver.close();
  }
});

test("an endpoint failing for the whole auto-disable period is disabled", async () => {
  const s = await scenario("auto-disable", () => ({ status: 500 }));
  try {
    await s.publish();
    await s.receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 1100));
    await s.publish();
    await eventually(
      async () =>
        (await h.api("GET", `/webhooks/endpoints/${s.endpoint.id}`)).body.enabled === false,
    );
    const endpoint = (await h.api("GET", `/webhooks/endpoints/${s.endpoint.id}`)).body;
    assert.match(endpoint.disabledReason, /failed since/);
    assert.ok(endpoint.failingSince);
  } finally {
    await s.receiver.close();
  }
});

test("the activity switch: a disabled endpoint gets nothing new; re-enabled, it does", async () => {
  const s = await scenario("switch", () => ({ status: 200 }));
  try {
    await h.api("PATCH", `/webhooks/endpoints/${s.endpoint.id}`, { enabled: false });
    assert.equal((await s.publish()).deliveries, 0);
    const on = await h.api("PATCH", `/webhooks/endpoints/${s.endpoint.id}`, { enabled: true });
    assert.equal(on.body.enabled, true);
    assert.equal(on.body.disabledReason, null);
    const event = await s.publish();
    assert.equal(event.deliveries, 1);
    await s.receiver.waitFor(1);
    assert.equal(s.receiver.requests.length, 1);
  } finally {
    await s.receiver.close();
  }
});

test("retries paused by disabling resume when the endpoint is enabled again", async () => {
  let healthy = false;
  const s = await scenario("pause", () => (healthy ? { status: 200 } : { status: 500 }));
  try {
    const event = await s.publish();
    await s.receiver.waitFor(1);
    await h.api("PATCH", `/webhooks/endpoints/${s.endpoint.id}`, { enabled: false });
    await eventually(async () => (await s.delivery(event.id)).status === "paused");
    const seen = s.receiver.requests.length;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(s.receiver.requests.length, seen, "no attempts while paused");
    healthy = true;
    await h.api("PATCH", `/webhooks/endpoints/${s.endpoint.id}`, { enabled: true });
    await eventually(async () => (await s.delivery(event.id)).status === "succeeded");
  } finally {
    await s.receiver.close();
  }
});

test("an undeliverable delivery.exhausted does not announce itself again", async () => {
  const h2 = await startTestHerald();
  try {
    for (let i = 0; i < 3; i++) {
      await h2.api("POST", "/webhooks/endpoints", { url: `http://127.0.0.1:9/e${i}` });
    }
    await h2.api("POST", "/events", { type: "x.once", data: {} });
    await new Promise((r) => setTimeout(r, 3000));
    const events = (await h2.api("GET", "/events?limit=250")).body.data;
    // The event, and one delivery.exhausted for each of its three deliveries.
    assert.equal(events.length, 4, `${events.length} events after 3 s`);
    assert.equal(events.filter((e: any) => e.type === "delivery.exhausted").length, 3);
  } finally {
    await h2.stop();
  }
});

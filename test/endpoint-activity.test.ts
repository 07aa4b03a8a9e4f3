import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";

// The console's endpoint activity through the API: bulk resend of failed deliveries, and the
// per-endpoint stats the overview charts.

let h: TestHerald;
let receiver: Receiver;
let failing = true;
before(async () => {
  h = await startTestHerald({ HERALD_RETRY_SCHEDULE: "0.05", HERALD_DELIVERY_TIMEOUT_MS: "1000" });
  receiver = await Receiver.start(() =>
    failing ? { status: 503, body: "down" } : { status: 200 },
  );
});
after(async () => {
  await h.stop();
  await receiver.close();
});

test("resend-failed: every failed delivery since the time is delivered again; stats count it", async () => {
  const endpoint = (await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/hook` }))
    .body as { id: string };
  const before = new Date(Date.now() - 1000).toISOString();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    ids.push(
      (await h.api("POST", "/events", { type: "nfts.create.succeeded", data: { i } })).body.id,
    );
  }
  await eventually(async () => {
    const page = await h.api("GET", `/webhooks/endpoints/${endpoint.id}/deliveries?status=failed`);
    return page.body.data.length === 5;
  });
  const down = await h.api("GET", `/webhooks/endpoints/${endpoint.id}/stats?window=1h`);
  assert.equal(down.status, 200);
  assert.equal(down.body.totals.failed, 10, "two attempts each");
  assert.equal(down.body.totals.successRate, 0);
  assert.equal(down.body.buckets.length, 12);
  assert.equal(down.body.bucketSeconds, 300);

  failing = false;
  const future = new Date(Date.now() + 60_000).toISOString();
  const none = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/resend-failed`, {
    since: future,
  });
  assert.deepEqual([none.status, none.body], [202, { resent: 0 }]);
  const resent = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/resend-failed`, {
    since: before,
  });
  assert.deepEqual([resent.status, resent.body], [202, { resent: 5 }]);
  await eventually(async () => {
    const page = await h.api(
      "GET",
      `/webhooks/endpoints/${endpoint.id}/deliveries?status=succeeded`,
    );
    return page.body.data.length === 5;
  });
  const delivered = receiver.requests.filter((r) => r.headers["x-webhook-attempt"] === "3");
  assert.deepEqual(
    new Set(delivered.map((r) => r.headers["webhook-id"])),
    new Set(ids),
    "the same event ids, attempt 3",
  );
  const up = await h.api("GET", `/webhooks/endpoints/${endpoint.id}/stats?window=24h`);
  assert.equal(up.body.totals.succeeded, 5);
  assert.equal(up.body.totals.failed, 10);
  assert.equal(up.body.totals.successRate, 5 / 15);
  assert.equal(typeof up.body.totals.avgMs, "number");
  assert.equal(up.body.buckets.length, 24);
});

test("resend-failed and stats: bad input is a 400, someone else's endpoint a 404", async () => {
  const cases = [
    {
      method: "POST",
      path: "/webhooks/endpoints/nope/resend-failed",
      body: { since: new Date().toISOString() },
      status: 404,
    },
    { method: "GET", path: "/webhooks/endpoints/nope/stats", status: 404 },
    {
      method: "POST",
      path: "/webhooks/endpoints/nope/resend-failed",
      body: { since: "yesterday" },
      status: 400,
    },
    { method: "POST", path: "/webhooks/endpoints/nope/resend-failed", body: {}, status: 400 },
    { method: "GET", path: "/webhooks/endpoints/nope/stats?window=1w", status: 400 },
    // date-time admits a leap second, which Date cannot read.
    {
      method: "POST",
      path: "/webhooks/endpoints/nope/resend-failed",
      body: { since: "2016-12-31T23:59:60Z" },
      status: 400,
    },
    {
      method: "GET",
      path: "/webhooks/endpoints/nope/deliveries?since=2016-12-31T23:59:60Z",
      status: 400,
    },
    { method: "GET", path: "/events?until=2016-12-31T23:59:60Z", status: 400 },
  ];
  for (const c of cases) {
    const res = await h.api(c.method, c.path, c.body);
    assert.equal(res.status, c.status, `${c.method} ${c.path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, true);
  }
});

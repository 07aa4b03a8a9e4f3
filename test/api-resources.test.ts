import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { apiClient, eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { DESIGN_EVENT_TYPES } from "./helpers/design.js";
import { Receiver, type ReceivedRequest } from "./helpers/receiver.js";

// The API's resources end to end: endpoints, secrets, test sends, the event catalog, the event
// log, idempotent publishing, the OpenAPI document and the health check.

let h: TestHerald;

before(async () => {
  h = await startTestHerald();
});
after(async () => {
  await h.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Endpoints on unreachable public addresses subscribe to nothing this file publishes, so their
// deliveries never fail (failures would retry, and publish delivery.exhausted to the others).
const NEVER = ["resources.never"];

/** A receiver and an endpoint on it subscribed to `types`, closed after `run`. */
async function withEndpoint(
  types: string[] | null,
  run: (ctx: { receiver: Receiver; endpoint: any }) => Promise<void>,
) {
  const receiver = await Receiver.start();
  try {
    const res = await h.api("POST", "/webhooks/endpoints", {
      url: receiver.url + "/hook",
      ...(types ? { eventTypes: types } : {}),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await run({ receiver, endpoint: res.body });
  } finally {
    await receiver.close();
  }
}

const signatureHeaders = (req: ReceivedRequest) => ({
  "webhook-id": String(req.headers["webhook-id"]),
  "webhook-timestamp": String(req.headers["webhook-timestamp"]),
  "webhook-signature": String(req.headers["webhook-signature"]),
});

// ---- endpoints -----------------------------------------------------------------------------

test("endpoints: create shows the secret once, GET hides it, /secret reveals it", async () => {
  const created = await h.api("POST", "/webhooks/endpoints", {
    url: "https://8.8.8.8/hooks/crud",
    eventTypes: ["nfts.create.succeeded", "nfts.*"],
    description: "primary",
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const endpoint = created.body;
  assert.match(endpoint.secret, /^whsec_[A-Za-z0-9+/=]{32,}$/);
  assert.equal(endpoint.url, "https://8.8.8.8/hooks/crud");
  assert.deepEqual(endpoint.eventTypes, ["nfts.create.succeeded", "nfts.*"]);
  assert.equal(endpoint.description, "primary");
  assert.equal(endpoint.enabled, true);
  assert.equal(endpoint.disabledReason, null);
  assert.match(endpoint.createdAt, /^\d{4}-\d{2}-\d{2}T/);

  const read = await h.api("GET", `/webhooks/endpoints/${endpoint.id}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.secret, undefined);
  assert.ok(!JSON.stringify(read.body).includes(endpoint.secret.slice(6)));
  const { secret: _secret, ...visible } = endpoint;
  assert.deepEqual(read.body, visible);

  const listed = await h.api("GET", "/webhooks/endpoints?limit=250");
  assert.ok(!JSON.stringify(listed.body).includes(endpoint.secret.slice(6)), "lists hide secrets");

  const revealed = await h.api("GET", `/webhooks/endpoints/${endpoint.id}/secret`);
  assert.equal(revealed.status, 200);
  assert.deepEqual(revealed.body, { secret: endpoint.secret });

  const all = await h.api("POST", "/webhooks/endpoints", {
    url: "https://8.8.8.8/all",
    enabled: false,
  });
  assert.equal(all.body.eventTypes, null, "no eventTypes means all");
  const own = "whsec_" + Buffer.alloc(32, 7).toString("base64");
  const byo = await h.api("POST", "/webhooks/endpoints", {
    url: "https://8.8.8.8/byo",
    secret: own,
    eventTypes: NEVER,
  });
  assert.equal(byo.status, 201);
  assert.equal(byo.body.secret, own, "a secret brought along is used");
});

test("endpoints: cursor pagination over 5 endpoints with limit=2", async () => {
  const mine: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await h.api("POST", "/webhooks/endpoints", {
      url: `https://8.8.8.8/page/${i}`,
      eventTypes: NEVER,
    });
    assert.equal(res.status, 201);
    mine.push(res.body.id);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: any = await h.api(
      "GET",
      `/webhooks/endpoints?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
    );
    assert.equal(res.status, 200);
    assert.ok(res.body.data.length <= 2);
    if (res.body.nextCursor !== null)
      assert.equal(res.body.data.length, 2, "only the last page is short");
    seen.push(...res.body.data.map((e: any) => e.id));
    cursor = res.body.nextCursor;
    assert.ok(++pages < 100);
  } while (cursor);
  assert.equal(new Set(seen).size, seen.length, "no endpoint on two pages");
  const order = seen.filter((id) => mine.includes(id));
  assert.deepEqual(order, mine, "all five, each once, in a stable order");
  const total = (await h.api("GET", "/webhooks/endpoints?limit=250")).body.data.length;
  assert.equal(seen.length, total);
  assert.equal(pages, Math.ceil(total / 2));
});

test("endpoints: PATCH url, eventTypes, description, enabled; DELETE is 204 then 404", async () => {
  const created = (
    await h.api("POST", "/webhooks/endpoints", { url: "https://8.8.8.8/before", eventTypes: NEVER })
  ).body;
  await sleep(2);
  const patched = await h.api("PATCH", `/webhooks/endpoints/${created.id}`, {
    url: "https://8.8.4.4/after",
    eventTypes: ["wallets.create.succeeded"],
    description: "moved",
  });
  assert.equal(patched.status, 200, JSON.stringify(patched.body));
  assert.equal(patched.body.url, "https://8.8.4.4/after");
  assert.deepEqual(patched.body.eventTypes, ["wallets.create.succeeded"]);
  assert.equal(patched.body.description, "moved");
  assert.equal(patched.body.createdAt, created.createdAt);
  assert.ok(patched.body.updatedAt > created.updatedAt);
  assert.equal(patched.body.secret, undefined);

  const off = await h.api("PATCH", `/webhooks/endpoints/${created.id}`, { enabled: false });
  assert.equal(off.body.enabled, false);
  assert.equal(off.body.url, "https://8.8.4.4/after", "fields not sent are kept");
  const on = await h.api("PATCH", `/webhooks/endpoints/${created.id}`, {
    enabled: true,
    eventTypes: null,
  });
  assert.equal(on.body.enabled, true);
  assert.equal(on.body.eventTypes, null);
  assert.deepEqual((await h.api("GET", `/webhooks/endpoints/${created.id}`)).body, on.body);

  const removed = await h.api("DELETE", `/webhooks/endpoints/${created.id}`);
  assert.equal(removed.status, 204);
  assert.equal(removed.body, null);
  for (const [method, path] of [
    ["GET", `/webhooks/endpoints/${created.id}`],
    ["GET", `/webhooks/endpoints/${created.id}/secret`],
    ["PATCH", `/webhooks/endpoints/${created.id}`],
    ["DELETE", `/webhooks/endpoints/${created.id}`],
  ] as const) {
    const res = await h.api(method, path, method === "PATCH" ? { enabled: false } : undefined);
    assert.equal(res.status, 404, `${method} ${path}`);
    assert.equal(res.body.error, true);
  }
});

test("rotate: a new secret, and the next delivery is signed with both the new and the old one", async () => {
  await withEndpoint(["resources.rotate"], async ({ receiver, endpoint }) => {
    const old = endpoint.secret as string;
    const rotated = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/secret/rotate`, {});
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const next = rotated.body.secret as string;
    assert.match(next, /^whsec_/);
    assert.notEqual(next, old);
    assert.equal(
      (await h.api("GET", `/webhooks/endpoints/${endpoint.id}/secret`)).body.secret,
      next,
    );

    const published = await h.api("POST", "/events", { type: "resources.rotate", data: { n: 1 } });
    await receiver.waitFor(1);
    const req = receiver.requests[0]!;
    assert.equal(req.headers["webhook-id"], published.body.id);
    const signatures = String(req.headers["webhook-signature"]).split(" ");
    assert.equal(signatures.length, 2, `signatures: ${signatures.join(" ")}`);
    for (const s of signatures) assert.match(s, /^v1,[A-Za-z0-9+/]+=*$/);
    const headers = signatureHeaders(req);
    assert.deepEqual(new Webhook(next).verify(req.body, headers), req.json);
    assert.deepEqual(new Webhook(old).verify(req.body, headers), req.json);
    // Each signature verifies alone: one with the new secret, the other with the old.
    const verifies = (secret: string, signature: string) => {
      try {
        new Webhook(secret).verify(req.body, { ...headers, "webhook-signature": signature });
        return true;
      } catch {
        return false;
      }
    };
    assert.deepEqual(signatures.map((s) => [verifies(next, s), verifies(old, s)]).sort(), [
      [false, true],
      [true, false],
    ]);
    const stranger = "whsec_" + Buffer.alloc(32, 1).toString("base64");
    assert.throws(() => new Webhook(stranger).verify(req.body, headers));

    const mine = "whsec_" + Buffer.alloc(24, 9).toString("base64");
    const chosen = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/secret/rotate`, {
      secret: mine,
    });
    assert.equal(chosen.body.secret, mine);
    const bad = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/secret/rotate`, {
      secret: "nope",
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /whsec_/);
  });
});

test("test send: 202, and the receiver gets the catalog example with a fresh id", async () => {
  const catalog = (await h.api("GET", "/webhooks/event-types")).body.data;
  const example = catalog.find((t: any) => t.name === "nfts.create.succeeded").examples[0].body;
  // Subscribed to something else: a test send reaches the endpoint regardless.
  await withEndpoint(["resources.unrelated"], async ({ receiver, endpoint }) => {
    const res = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/test`, {
      eventType: "nfts.create.succeeded",
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.type, "nfts.create.succeeded");
    assert.equal(typeof res.body.eventId, "string");
    await receiver.waitFor(1);
    const req = receiver.requests[0]!;
    const { id, timestamp, ...rest } = req.json;
    const { id: exampleId, timestamp: _t, ...expected } = example;
    assert.equal(id, res.body.eventId);
    assert.notEqual(id, exampleId);
    assert.equal(req.headers["webhook-id"], id);
    assert.equal(typeof timestamp, "number");
    assert.ok(Math.abs(timestamp - Date.now()) < 10_000);
    assert.deepEqual(rest, expected);
    assert.deepEqual(
      new Webhook(endpoint.secret).verify(req.body, signatureHeaders(req)),
      req.json,
    );

    const again = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/test`, {
      eventType: "nfts.create.succeeded",
    });
    assert.notEqual(again.body.eventId, res.body.eventId, "each test send is a new event");

    const unknown = await h.api("POST", `/webhooks/endpoints/${endpoint.id}/test`, {
      eventType: "nfts.create.exploded",
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.message, /nfts\.create\.exploded/);
    const gone = await h.api(
      "POST",
      "/webhooks/endpoints/01a00000-0000-7000-8000-000000000000/test",
      {
        eventType: "nfts.create.succeeded",
      },
    );
    assert.equal(gone.status, 404);
  });
});

// ---- catalog -------------------------------------------------------------------------------

test("GET /webhooks/event-types lists every type of DESIGN.md with examples", async () => {
  const res = await h.api("GET", "/webhooks/event-types");
  assert.equal(res.status, 200);
  const byName = new Map(res.body.data.map((t: any) => [t.name, t]));
  for (const name of DESIGN_EVENT_TYPES) {
    const info: any = byName.get(name);
    assert.ok(info, `${name} is in the catalog`);
    assert.ok(["crossmint", "chain-observed", "operational"].includes(info.family));
    assert.ok(info.description.length > 0);
    assert.ok(info.examples.length > 0, `${name} has examples`);
    for (const { label, body } of info.examples) {
      assert.equal(typeof label, "string");
      assert.equal(body.type, name);
      assert.equal(typeof body.id, "string");
      assert.equal(typeof body.timestamp, "number");
      assert.ok("data" in body);
    }
  }
  for (const name of ["nfts.create.succeeded", "collections.create.succeeded"]) {
    const labels = (byName.get(name) as any).examples.map((e: any) => e.label);
    assert.ok(labels.includes("EVM") && labels.includes("Solana"), `${name}: ${labels}`);
  }
});

// ---- events --------------------------------------------------------------------------------

test("GET /events: newest first, ?type=, since (inclusive) / until (exclusive), cursor pages", async () => {
  const type = "resources.log";
  const ids: string[] = [];
  const createdAt: string[] = [];
  for (let i = 0; i < 5; i++) {
    const res = await h.api("POST", "/events", { type, data: { i } });
    assert.equal(res.status, 201);
    ids.push(res.body.id);
    createdAt.push(res.body.createdAt);
    await sleep(3);
  }
  await h.api("POST", "/events", { type: "resources.other", data: {} });
  const newestFirst = [...ids].reverse();

  const all = await h.api("GET", "/events?limit=250");
  const order = all.body.data.map((e: any) => e.id);
  assert.deepEqual(order, [...order].sort().reverse(), "newest first");
  assert.equal(all.body.data[0].type, "resources.other");

  const typed = await h.api("GET", `/events?type=${type}`);
  assert.deepEqual(
    typed.body.data.map((e: any) => e.id),
    newestFirst,
  );
  assert.deepEqual(typed.body.data[4].payload.data, { i: 0 });
  assert.equal(typed.body.nextCursor, null);

  const window = await h.api(
    "GET",
    `/events?type=${type}&since=${createdAt[1]}&until=${createdAt[3]}`,
  );
  assert.equal(window.status, 200);
  assert.deepEqual(
    window.body.data.map((e: any) => e.id),
    [ids[2], ids[1]],
  );
  const sinceOnly = await h.api(
    "GET",
    `/events?type=${type}&since=${encodeURIComponent(createdAt[3]!)}`,
  );
  assert.deepEqual(
    sinceOnly.body.data.map((e: any) => e.id),
    [ids[4], ids[3]],
  );

  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const res: any = await h.api(
      "GET",
      `/events?type=${type}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
    );
    assert.equal(res.status, 200);
    pages.push(res.body.data.map((e: any) => e.id));
    cursor = res.body.nextCursor;
  } while (cursor && pages.length < 10);
  assert.deepEqual(pages, [newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);

  const one = await h.api("GET", `/events/${ids[0]}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.type, type);
  assert.deepEqual(one.body.deliveries, []);
  assert.equal((await h.api("GET", "/events/01a00000-0000-7000-8000-000000000000")).status, 404);
});

test("Idempotency-Key on POST /events: same id, idempotent-replayed, one delivery; other body 409", async () => {
  await withEndpoint(["resources.idem"], async ({ receiver }) => {
    const body = { type: "resources.idem", data: { order: 1 } };
    const headers = { "idempotency-key": "publish-once" };
    const first = await h.api("POST", "/events", body, headers);
    assert.equal(first.status, 201);
    assert.equal(first.body.deliveries, 1);
    assert.equal(first.headers["idempotent-replayed"], undefined);
    const second = await h.api("POST", "/events", body, headers);
    assert.ok(second.status === 201 || second.status === 202, `status ${second.status}`);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.headers["idempotent-replayed"], "true");

    await receiver.waitFor(1);
    await sleep(300);
    assert.equal(receiver.requests.length, 1, "no second fan-out");
    assert.equal(receiver.requests[0]!.json.id, first.body.id);
    const detail = await h.api("GET", `/events/${first.body.id}`);
    assert.equal(detail.body.deliveries.length, 1);

    const conflict = await h.api("POST", "/events", { ...body, data: { order: 2 } }, headers);
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error, true);
    assert.match(conflict.body.message, /Idempotency-Key/);
    const typed = await h.api("GET", "/events?type=resources.idem");
    assert.equal(typed.body.data.length, 1, "one event in the log");
  });
});

test("resend delivers the same event id again, to one endpoint or all", async () => {
  await withEndpoint(["resources.resend"], async ({ receiver, endpoint }) => {
    const published = await h.api("POST", "/events", { type: "resources.resend", data: {} });
    await receiver.waitFor(1);
    await eventually(async () => {
      const res = await h.api("GET", `/events/${published.body.id}`);
      return res.body.deliveries[0].status === "succeeded";
    });
    const resent = await h.api("POST", `/events/${published.body.id}/resend`, {
      endpointId: endpoint.id,
    });
    assert.equal(resent.status, 202);
    assert.equal(resent.body.resent, 1);
    await receiver.waitFor(2);
    assert.equal(receiver.requests[1]!.headers["webhook-id"], published.body.id);
    assert.equal(receiver.requests[1]!.headers["x-webhook-attempt"], "2");
    const all = await h.api("POST", `/events/${published.body.id}/resend`);
    assert.equal(all.status, 202);
    await receiver.waitFor(3);
    const deliveries = await h.api("GET", `/webhooks/endpoints/${endpoint.id}/deliveries`);
    assert.equal(deliveries.status, 200);
    assert.equal(deliveries.body.data.length, 1);
    const attempts = await eventually(async () => {
      const res = await h.api("GET", `/deliveries/${deliveries.body.data[0].id}/attempts`);
      return res.body.data.length === 3 ? res.body.data : null;
    });
    assert.deepEqual(
      attempts.map((a: any) => a.number),
      [1, 2, 3],
    );
  });
});

// ---- documents -----------------------------------------------------------------------------

test("GET /openapi.json is an OpenAPI 3 document with the API's paths", async () => {
  const res = await h.api("GET", "//openapi.json");
  assert.equal(res.status, 200);
  assert.match(String(res.headers["content-type"]), /^application\/json/);
  const doc = res.body;
  assert.match(doc.openapi, /^3\./);
  assert.equal(typeof doc.info.title, "string");
  for (const path of [
    "/api/2022-06-09/webhooks/endpoints",
    "/api/2022-06-09/webhooks/endpoints/{id}",
    "/api/2022-06-09/events",
    "/api/2022-06-09/events/{id}",
    "/api/2022-06-09/actions",
    "/api/2022-06-09/actions/{id}",
  ]) {
    assert.ok(doc.paths[path], `${path} is documented; have ${Object.keys(doc.paths).join(", ")}`);
  }
  assert.ok(doc.paths["/api/2022-06-09/actions/{id}"].get, "GET /actions/{id}");
  assert.ok(doc.paths["/api/2022-06-09/actions/{id}"].patch, "PATCH /actions/{id}");
  assert.ok(doc.paths["/api/2022-06-09/webhooks/endpoints"].post.requestBody);
  assert.ok(doc.components.securitySchemes.apiKey);
});

test("GET /health answers 200 without a key", async () => {
  const res = await apiClient(h.url, null)("GET", "//health");
  assert.equal(res.status, 200);
});

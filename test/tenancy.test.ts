import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import Database from "better-sqlite3";
import {
  TEST_ADMIN_TOKEN,
  TEST_API_KEY,
  apiClient,
  eventually,
  startTestHerald,
  type ApiClient,
  type TestHerald,
} from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";

// Authentication and tenant isolation: project A is the harness's default project, project B
// is created through the admin API; B must not see or touch anything of A's.

let h: TestHerald;
let receiverA: Receiver;
let a: ApiClient; // project A (default)
let b: ApiClient; // project B
let projectB: { id: string; name: string; apiKey: string };
const A: { endpoint: string; secret: string; event: string; action: string; delivery: string } = {
  endpoint: "",
  secret: "",
  event: "",
  action: "",
  delivery: "",
};

const admin = (
  method: string,
  path: string,
  body?: unknown,
  token = TEST_ADMIN_TOKEN,
  headers: Record<string, string> = {},
) =>
  apiClient(h.url, null)(method, path, body, {
    ...(token === "" ? {} : { authorization: `Bearer ${token}` }),
    ...headers,
  });

before(async () => {
  h = await startTestHerald();
  a = h.api;
  receiverA = await Receiver.start();
  const created = await admin("POST", "//admin/projects", { name: "tenant-b" });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  projectB = created.body;
  b = apiClient(h.url, projectB.apiKey);

  const endpoint = await a("POST", "/webhooks/endpoints", { url: receiverA.url + "/a" });
  assert.equal(endpoint.status, 201);
  A.endpoint = endpoint.body.id;
  A.secret = endpoint.body.secret;
  const event = await a("POST", "/events", { type: "tenancy.a", data: { owner: "A" } });
  assert.equal(event.status, 201);
  A.event = event.body.id;
  const action = await a("POST", "/actions", { action: "nfts.create", data: { owner: "A" } });
  assert.equal(action.status, 201);
  A.action = action.body.actionId;
  await receiverA.waitFor(1);
  const detail = await eventually(async () => {
    const res = await a("GET", `/events/${A.event}`);
    return res.body.deliveries?.[0]?.attempts?.length > 0 ? res.body : null;
  });
  A.delivery = detail.deliveries[0].id;
});
after(async () => {
  await h.stop();
  await receiverA.close();
});

// ---- authentication --------------------------------------------------------------------------

const PROTECTED: Array<[method: string, path: string, body?: unknown]> = [
  ["GET", "/webhooks/endpoints"],
  ["POST", "/webhooks/endpoints", { url: "https://8.8.8.8/" }],
  ["GET", "/events"],
  ["POST", "/events", { type: "a", data: {} }],
  ["GET", "/actions/anything"],
  ["POST", "/actions", { action: "nfts.create" }],
  ["GET", "/webhooks/event-types"],
];

test("no API key: 401 with a JSON error on every project route", async () => {
  const anonymous = apiClient(h.url, null);
  for (const [method, path, body] of PROTECTED) {
    const res = await anonymous(method, path, body);
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(res.body.error, true);
    assert.match(res.body.message, /x-api-key/);
  }
  const empty = await anonymous("GET", "/events", undefined, { "x-api-key": "" });
  assert.equal(empty.status, 401);
});

test("a wrong API key: 401 on every project route", async () => {
  for (const key of [
    "hk_wrong_key_0000000000000000",
    TEST_API_KEY + "x",
    TEST_API_KEY.slice(0, -1),
  ]) {
    const wrong = apiClient(h.url, key);
    for (const [method, path, body] of PROTECTED) {
      const res = await wrong(method, path, body);
      assert.equal(res.status, 401, `${method} ${path} with ${key}`);
      assert.equal(res.body.error, true);
      assert.match(res.body.message, /invalid API key/);
    }
  }
});

test("the admin token is not an API key, and an API key is not the admin token", async () => {
  const withToken = await apiClient(h.url, TEST_ADMIN_TOKEN)("GET", "/events");
  assert.equal(withToken.status, 401);
  const withKey = await admin("GET", "//admin/projects", undefined, TEST_API_KEY);
  assert.equal(withKey.status, 401);
});

// ---- admin ---------------------------------------------------------------------------------

for (const path of ["//admin/projects", "/admin/projects"]) {
  test(`POST ${path}: 401 without or with a wrong token, 201 with it, 409 for a taken name`, async () => {
    const name = `admin-${path.length}`;
    const none = await admin("POST", path, { name }, "");
    assert.equal(none.status, 401);
    assert.equal(none.body.error, true);
    assert.match(none.body.message, /Bearer/);
    const wrong = await admin("POST", path, { name }, TEST_ADMIN_TOKEN + "x");
    assert.equal(wrong.status, 401);
    const basic = await apiClient(h.url, null)(
      "POST",
      path,
      { name },
      { authorization: `Basic ${TEST_ADMIN_TOKEN}` },
    );
    assert.equal(basic.status, 401);

    const created = await admin("POST", path, { name });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.name, name);
    assert.equal(typeof created.body.id, "string");
    assert.match(created.body.apiKey, /^hk_/);
    const works = await apiClient(h.url, created.body.apiKey)("GET", "/webhooks/endpoints");
    assert.equal(works.status, 200);
    assert.deepEqual(works.body.data, [], "a new project starts empty");

    const again = await admin("POST", path, { name });
    assert.equal(again.status, 409);
    assert.equal(again.body.error, true);
    assert.match(again.body.message, /already exists/);
  });
}

test("without HERALD_ADMIN_TOKEN the admin routes answer 404", async () => {
  const other = await startTestHerald({ HERALD_ADMIN_TOKEN: "" });
  try {
    const client = apiClient(other.url, null);
    const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    for (const path of ["//admin/projects", "/admin/projects"]) {
      for (const [method, body] of [
        ["POST", { name: "x" }],
        ["GET", undefined],
      ] as const) {
        const res = await client(method, path, body, auth);
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error, true);
      }
    }
    const keys = await client("GET", "//admin/projects/default/keys", undefined, auth);
    assert.equal(keys.status, 404);
    assert.equal(
      (await other.api("GET", "/webhooks/endpoints")).status,
      200,
      "the API still works",
    );
  } finally {
    await other.stop();
  }
});

// ---- isolation -----------------------------------------------------------------------------

test("project B gets 404 for every one of A's resources", async () => {
  const calls: Array<[string, string, unknown?]> = [
    ["GET", `/webhooks/endpoints/${A.endpoint}`],
    ["PATCH", `/webhooks/endpoints/${A.endpoint}`, { description: "taken over", enabled: false }],
    ["DELETE", `/webhooks/endpoints/${A.endpoint}`],
    ["GET", `/webhooks/endpoints/${A.endpoint}/secret`],
    ["POST", `/webhooks/endpoints/${A.endpoint}/secret/rotate`, {}],
    ["POST", `/webhooks/endpoints/${A.endpoint}/test`, { eventType: "nfts.create.succeeded" }],
    ["GET", `/webhooks/endpoints/${A.endpoint}/deliveries`],
    ["GET", `/events/${A.event}`],
    ["POST", `/events/${A.event}/resend`, {}],
    ["POST", `/events/${A.event}/resend`, { endpointId: A.endpoint }],
    ["GET", `/actions/${A.action}`],
    ["GET", `/actions/${A.action}?wait=1`],
    ["PATCH", `/actions/${A.action}`, { status: "succeeded", data: { owner: "B" } }],
    ["GET", `/deliveries/${A.delivery}/attempts`],
  ];
  const seen = receiverA.requests.length;
  for (const [method, path, body] of calls) {
    const started = Date.now();
    const res = await b(method, path, body);
    assert.equal(res.status, 404, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, true);
    assert.match(res.body.message, /not found/);
    assert.ok(Date.now() - started < 900, `${method} ${path} answered at once`);
  }

  // Nothing changed on A's side.
  const endpoint = await a("GET", `/webhooks/endpoints/${A.endpoint}`);
  assert.equal(endpoint.status, 200);
  assert.equal(endpoint.body.enabled, true);
  assert.equal(endpoint.body.description, "");
  assert.equal((await a("GET", `/webhooks/endpoints/${A.endpoint}/secret`)).body.secret, A.secret);
  const action = await a("GET", `/actions/${A.action}`);
  assert.equal(action.body.status, "pending");
  assert.deepEqual(action.body.data, { owner: "A" });
  const event = await a("GET", `/events/${A.event}`);
  assert.equal(event.body.deliveries[0].attemptCount, 1, "no resend happened");
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(receiverA.requests.length, seen, "no test send or resend reached A's endpoint");
});

test("B cannot publish an event about A's action (nor about one that does not exist)", async () => {
  for (const actionId of [A.action, "no-such-action"]) {
    const single = await b("POST", "/events", { type: "x.y", data: {}, actionId });
    assert.equal(single.status, 400, JSON.stringify(single.body));
    assert.match(single.body.message, /^actionId: /);
    const batch = await b("POST", "/events/batch", {
      events: [{ type: "x.y", data: {}, actionId }],
    });
    assert.equal(batch.status, 400, JSON.stringify(batch.body));
    assert.match(batch.body.message, /^events\[0\]: actionId: /);
  }
  const own = await a("POST", "/events", { type: "x.y", data: {}, actionId: A.action });
  assert.equal(own.status, 201, "A may");
});

test("B's lists hold only B's objects, and A's lists none of B's", async () => {
  const endpointB = await b("POST", "/webhooks/endpoints", {
    url: "https://8.8.8.8/b",
    enabled: false,
  });
  assert.equal(endpointB.status, 201);
  const eventB = await b("POST", "/events", { type: "tenancy.b", data: {} });
  assert.equal(eventB.status, 201);

  const endpointsB = await b("GET", "/webhooks/endpoints?limit=250");
  assert.deepEqual(
    endpointsB.body.data.map((e: any) => e.id),
    [endpointB.body.id],
  );
  const eventsB = await b("GET", "/events?limit=250");
  assert.deepEqual(
    eventsB.body.data.map((e: any) => e.id),
    [eventB.body.id],
  );
  assert.deepEqual((await b("GET", "/events?type=tenancy.a")).body.data, []);

  const endpointsA = (await a("GET", "/webhooks/endpoints?limit=250")).body.data.map(
    (e: any) => e.id,
  );
  assert.ok(endpointsA.includes(A.endpoint));
  assert.ok(!endpointsA.includes(endpointB.body.id));
  const eventsA = (await a("GET", "/events?limit=250")).body.data.map((e: any) => e.id);
  assert.ok(eventsA.includes(A.event));
  assert.ok(!eventsA.includes(eventB.body.id));
  assert.equal((await a("GET", `/webhooks/endpoints/${endpointB.body.id}`)).status, 404);
  assert.equal((await a("GET", `/events/${eventB.body.id}`)).status, 404);
});

test("an event published in B never reaches A's endpoint, though A subscribes to everything", async () => {
  const before = receiverA.requests.length;
  const published = await b("POST", "/events", { type: "tenancy.a", data: { from: "B" } });
  assert.equal(published.status, 201);
  assert.equal(published.body.deliveries, 0, "B has no enabled endpoint");
  // A control event in A, published after B's: once it arrives, B's would have too.
  const control = await a("POST", "/events", { type: "tenancy.control", data: {} });
  await receiverA.waitFor(before + 1);
  await new Promise((r) => setTimeout(r, 200));
  const arrived = receiverA.requests.slice(before);
  assert.deepEqual(
    arrived.map((r) => r.json.id),
    [control.body.id],
  );
  assert.ok(!receiverA.requests.some((r) => r.json.id === published.body.id));
});

test("Idempotency-Keys are per project: the same key in B makes B's own event", async () => {
  const key = "shared-idempotency-key";
  const inA = await a(
    "POST",
    "/events",
    { type: "tenancy.idem", data: { n: 1 } },
    { "idempotency-key": key },
  );
  assert.equal(inA.status, 201);
  const inB = await b(
    "POST",
    "/events",
    { type: "tenancy.idem", data: { n: 2 } },
    { "idempotency-key": key },
  );
  assert.equal(inB.status, 201, JSON.stringify(inB.body));
  assert.notEqual(inB.body.id, inA.body.id);
  assert.equal(inB.headers["idempotent-replayed"], undefined);
  const actionA = await a(
    "POST",
    "/actions",
    { action: "nfts.create" },
    { "idempotency-key": key },
  );
  const actionB = await b(
    "POST",
    "/actions",
    { action: "nfts.create" },
    { "idempotency-key": key },
  );
  assert.equal(actionB.status, 201);
  assert.notEqual(actionB.body.actionId, actionA.body.actionId);
  assert.equal((await b("GET", `/actions/${actionA.body.actionId}`)).status, 404);
});

// ---- keys ----------------------------------------------------------------------------------

test("API keys: listed by prefix only, a second key works, a revoked key gets 401", async () => {
  const listed = await admin("GET", `//admin/projects/${projectB.id}/keys`);
  assert.equal(listed.status, 200);
  assert.equal(listed.body.data.length, 1);
  const [first] = listed.body.data;
  assert.ok(projectB.apiKey.startsWith(first.prefix), `${first.prefix} is a prefix of the key`);
  assert.ok(first.prefix.length < projectB.apiKey.length - 16, "the prefix is short");
  assert.ok(!JSON.stringify(listed.body).includes(projectB.apiKey), "the full key is never listed");
  assert.equal(first.revokedAt, null);
  // Projects can be named instead of identified.
  const byName = await admin("GET", `//admin/projects/tenant-b/keys`);
  assert.deepEqual(byName.body, listed.body);

  const second = await admin("POST", `//admin/projects/${projectB.id}/keys`, { name: "ci" });
  assert.equal(second.status, 201, JSON.stringify(second.body));
  assert.match(second.body.apiKey, /^hk_/);
  assert.ok(second.body.apiKey.startsWith(second.body.prefix));
  assert.notEqual(second.body.apiKey, projectB.apiKey);
  const bySecond = apiClient(h.url, second.body.apiKey);
  assert.equal((await bySecond("GET", "/webhooks/endpoints")).status, 200);
  assert.equal((await bySecond("GET", `/events/${A.event}`)).status, 404, "still project B");

  const revoked = await admin("DELETE", `//admin/projects/${projectB.id}/keys/${first.id}`);
  assert.equal(revoked.status, 204);
  const old = await b("GET", "/webhooks/endpoints");
  assert.equal(old.status, 401);
  assert.equal(old.body.error, true);
  assert.equal(
    (await bySecond("GET", "/webhooks/endpoints")).status,
    200,
    "the other key still works",
  );
  assert.equal((await a("GET", "/webhooks/endpoints")).status, 200, "other projects are untouched");

  const after = await admin("GET", `//admin/projects/${projectB.id}/keys`);
  const states = Object.fromEntries(after.body.data.map((k: any) => [k.id, k.revokedAt !== null]));
  assert.deepEqual(states, { [first.id]: true, [second.body.id]: false });
  assert.equal(
    (await admin("DELETE", `//admin/projects/${projectB.id}/keys/no-such-key`)).status,
    404,
  );
  assert.equal((await admin("GET", `//admin/projects/no-such-project/keys`)).status, 404);
  b = bySecond;
});

test("at rest: API keys are stored hashed and endpoint secrets encrypted", async () => {
  const extraKey = (await admin("POST", `//admin/projects/${projectB.id}/keys`, {})).body
    .apiKey as string;
  const secrets = [A.secret];
  const rotated = await a("POST", `/webhooks/endpoints/${A.endpoint}/secret/rotate`, {});
  assert.equal(rotated.status, 200);
  secrets.push(rotated.body.secret);

  const db = new Database(join(h.dataDir, "herald.db"), { readonly: true, fileMustExist: true });
  try {
    const keys = db.prepare("SELECT * FROM api_keys").all();
    assert.ok(keys.length >= 4, `${keys.length} keys stored`);
    const keysText = JSON.stringify(keys);
    for (const key of [TEST_API_KEY, projectB.apiKey, extraKey]) {
      assert.ok(!keysText.includes(key), "a full API key is stored");
      // Not even the secret part after the prefix.
      assert.ok(!keysText.includes(key.slice(10)), "a key's secret part is stored");
    }
    const endpoints = db.prepare("SELECT * FROM endpoints").all() as Array<Record<string, unknown>>;
    const endpointsText = JSON.stringify(endpoints);
    for (const secret of secrets) {
      const raw = secret.replace(/^whsec_/, "");
      assert.ok(!endpointsText.includes(raw), "an endpoint secret is stored in the clear");
      assert.ok(
        !endpointsText.includes(Buffer.from(raw, "base64").toString("hex")),
        "an endpoint secret is stored as hex",
      );
    }
    const row = endpoints.find((e) => e.id === A.endpoint)!;
    assert.ok(typeof row.secret_enc === "string" && row.secret_enc.length > 0);
    assert.ok(typeof row.previous_secret_enc === "string", "the old secret is kept, sealed");
    // The whole file, for good measure: nothing secret in any table.
    const everything = JSON.stringify(
      (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
          name: string;
        }>
      ).map(({ name }) => db.prepare(`SELECT * FROM "${name}"`).all()),
    );
    for (const secret of [TEST_API_KEY, projectB.apiKey, extraKey, ...secrets])
      assert.ok(!everything.includes(secret), "a secret is stored in the clear");
  } finally {
    db.close();
  }
});

test("admin lists page with a cursor", async () => {
  const first = await admin("GET", "//admin/projects?limit=1");
  assert.equal(first.status, 200);
  assert.equal(first.body.data.length, 1);
  assert.ok(first.body.nextCursor, "two projects exist: default and tenant-b");
  const second = await admin("GET", `//admin/projects?limit=1&cursor=${first.body.nextCursor}`);
  assert.equal(second.body.data.length, 1);
  assert.notEqual(second.body.data[0].id, first.body.data[0].id);
  const keys = await admin("GET", "//admin/projects/default/keys?limit=250");
  assert.equal(keys.status, 200);
  assert.ok(Array.isArray(keys.body.data));
  assert.ok("nextCursor" in keys.body);
});

test("admin creations are idempotent: a retry returns the same project or key, key included", async () => {
  const headers = { "idempotency-key": "create-tenant-c" };
  const first = await admin("POST", "//admin/projects", { name: "tenant-c" }, undefined, headers);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const again = await admin("POST", "//admin/projects", { name: "tenant-c" }, undefined, headers);
  assert.equal(again.status, 201, JSON.stringify(again.body));
  assert.equal(again.headers["idempotent-replayed"], "true");
  assert.equal(again.body.id, first.body.id);
  assert.equal(
    again.body.apiKey,
    first.body.apiKey,
    "the retry gets the key the first answer carried",
  );
  assert.equal(
    (await apiClient(h.url, again.body.apiKey)("GET", "/webhooks/endpoints")).status,
    200,
  );
  const other = await admin("POST", "//admin/projects", { name: "tenant-d" }, undefined, headers);
  assert.equal(other.status, 409, "the same key with another request");
  const withoutKey = await admin("POST", "//admin/projects", { name: "tenant-c" });
  assert.equal(withoutKey.status, 409, "a name is taken once");

  const keyHeaders = { "idempotency-key": "second-key" };
  const k1 = await admin(
    "POST",
    `//admin/projects/${first.body.id}/keys`,
    { name: "ci" },
    undefined,
    keyHeaders,
  );
  const k2 = await admin(
    "POST",
    `//admin/projects/${first.body.id}/keys`,
    { name: "ci" },
    undefined,
    keyHeaders,
  );
  assert.equal(k1.status, 201);
  assert.equal(k2.body.id, k1.body.id);
  assert.equal(k2.body.apiKey, k1.body.apiKey);
  const keys = await admin("GET", `//admin/projects/${first.body.id}/keys`);
  assert.equal(keys.body.data.length, 2, "the initial key and one more, not two");
});

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  TEST_ADMIN_TOKEN,
  startTestHerald,
  type ApiResponse,
  type TestHerald,
} from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";
import { generator, type Random } from "./helpers/random.js";

// Bad input never yields a 5xx: every row below is refused with a 4xx JSON error whose message
// names the problem, and 300 random bodies per create route (500 per mint route: single and
// batch, metadata as objects and URLs) never break the server.

let h: TestHerald;
let endpointId = "";
let actionId = "";
let receiver: Receiver;

before(async () => {
  // Only IPv4 loopback is exempt here, so https://[::1]/ meets the SSRF guard.
  h = await startTestHerald({ HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8" });
  receiver = await Receiver.start();
  const port = new URL(receiver.url).port;
  URLS.push(
    `${receiver.url}/fuzz`,
    `http://[::ffff:127.0.0.1]:${port}/fuzz`,
    `http://0x7f.1:${port}/`,
    `http://2130706433:${port}/`,
  );
  // Subscribed to nothing the tests publish, so it never receives (and never fails) anything.
  const endpoint = await h.api("POST", "/webhooks/endpoints", {
    url: "http://127.0.0.1:9/hook",
    eventTypes: ["validation.never"],
  });
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  endpointId = endpoint.body.id;
  const action = await h.api("POST", "/actions", { action: "nfts.create", data: {} });
  assert.equal(action.status, 201, JSON.stringify(action.body));
  actionId = action.body.actionId;
});
after(async () => {
  await h.stop();
  await receiver.close();
});

interface Row {
  name: string;
  method: string;
  /** `{endpoint}` and `{action}` are replaced by ids created in before(). */
  path: string;
  /** A string is sent as the raw body; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  message: string | RegExp;
}

const url = (u: string) => ({ url: u });
const adminAuth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

// prettier-ignore
const rows: Row[] = [
  // Not a JSON object at all.
  { name: "malformed JSON", method: "POST", path: "/events", body: '{"type": "a",', status: 400, message: "malformed JSON" },
  { name: "JSON array", method: "POST", path: "/events", body: [{ type: "a", data: {} }], status: 400, message: "body must be object" },
  { name: "JSON string", method: "POST", path: "/webhooks/endpoints", body: '"https://example.com"', status: 400, message: "body must be object" },
  { name: "JSON number", method: "POST", path: "/actions", body: "42", status: 400, message: "body must be object" },
  { name: "empty body with a JSON content-type", method: "POST", path: "/events", body: "", status: 400, message: /empty/i },
  { name: "body nested 5000 levels deep", method: "POST", path: "/events", body: `{"type":"a","data":${"[".repeat(5000)}${"]".repeat(5000)}}`, status: 400, message: "nests deeper" },
  // Wrong types.
  { name: "enabled is a string", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), enabled: "yes" }, status: 400, message: "body.enabled must be boolean" },
  { name: "eventTypes is a string", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), eventTypes: "all" }, status: 400, message: "body.eventTypes must be array" },
  { name: "negative rateLimit", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), rateLimit: -1 }, status: 400, message: "body.rateLimit must be > 0" },
  { name: "event type is a number", method: "POST", path: "/events", body: { type: 5, data: {} }, status: 400, message: "body.type must be string" },
  { name: "PATCH enabled is a number", method: "PATCH", path: "/webhooks/endpoints/{endpoint}", body: { enabled: 1 }, status: 400, message: "body.enabled must be boolean" },
  // Missing required fields.
  { name: "endpoint without url", method: "POST", path: "/webhooks/endpoints", body: { description: "x" }, status: 400, message: "url or destination is required" },
  { name: "event without type", method: "POST", path: "/events", body: { data: {} }, status: 400, message: "required property 'type'" },
  { name: "event without data", method: "POST", path: "/events", body: { type: "a.b" }, status: 400, message: "required property 'data'" },
  { name: "action without action", method: "POST", path: "/actions", body: { data: {} }, status: 400, message: "required property 'action'" },
  { name: "completion without status", method: "PATCH", path: "/actions/{action}", body: { data: {} }, status: 400, message: "required property 'status'" },
  // Unknown fields.
  { name: "unknown field on endpoint create", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), colour: "red" }, status: 400, message: 'unknown field "colour"' },
  { name: "unknown field on endpoint patch", method: "PATCH", path: "/webhooks/endpoints/{endpoint}", body: { secret: "whsec_x" }, status: 400, message: 'unknown field "secret"' },
  { name: "unknown field on event", method: "POST", path: "/events", body: { type: "a", data: {}, priority: 1 }, status: 400, message: 'unknown field "priority"' },
  { name: "unknown field on action open", method: "POST", path: "/actions", body: { action: "nfts.create", data: {}, chain: "x" }, status: 400, message: 'unknown field "chain"' },
  { name: "unknown field on action completion", method: "PATCH", path: "/actions/{action}", body: { status: "succeeded", txId: "0x1" }, status: 400, message: 'unknown field "txId"' },
  { name: "empty PATCH body", method: "PATCH", path: "/webhooks/endpoints/{endpoint}", body: {}, status: 400, message: "fewer than 1 properties" },
  // URLs.
  { name: "url is not a URL", method: "POST", path: "/webhooks/endpoints", body: url("not a url"), status: 400, message: "absolute URL" },
  { name: "ftp url", method: "POST", path: "/webhooks/endpoints", body: url("ftp://x"), status: 400, message: "url must use https://" },
  { name: "url with credentials", method: "POST", path: "/webhooks/endpoints", body: url("http://user:pass@127.0.0.1/"), status: 400, message: "username or password" },
  { name: "private 10/8", method: "POST", path: "/webhooks/endpoints", body: url("https://10.0.0.1/"), status: 400, message: "10.0.0.1 is a private address" },
  { name: "cloud metadata", method: "POST", path: "/webhooks/endpoints", body: url("https://169.254.169.254/latest/meta-data"), status: 400, message: "169.254.169.254 is a link-local address" },
  { name: "IPv6 loopback", method: "POST", path: "/webhooks/endpoints", body: url("https://[::1]/"), status: 400, message: "::1 is a loopback address" },
  { name: "private 192.168/16", method: "POST", path: "/webhooks/endpoints", body: url("https://192.168.1.1/"), status: 400, message: "192.168.1.1 is a private address" },
  { name: "IPv4-mapped private address", method: "POST", path: "/webhooks/endpoints", body: url("https://[::ffff:10.1.2.3]/"), status: 400, message: "private address" },
  { name: "PATCH to a private url", method: "PATCH", path: "/webhooks/endpoints/{endpoint}", body: url("https://10.0.0.1/"), status: 400, message: "private address" },
  { name: "plain http to a public host", method: "POST", path: "/webhooks/endpoints", body: url("http://8.8.8.8/hook"), status: 400, message: "https:// is required" },
  // Event types and secrets.
  { name: "event type with spaces in eventTypes", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), eventTypes: ["nfts.create.succeeded", "bad type"] }, status: 400, message: '"bad type" is not a valid event type' },
  { name: "empty eventTypes", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), eventTypes: [] }, status: 400, message: "at least one" },
  { name: "eventTypes entry is a number", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), eventTypes: [7] }, status: 400, message: "body.eventTypes.0 must be string" },
  { name: "invalid secret", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), secret: "hunter2" }, status: 400, message: "secret must be whsec_" },
  { name: "short whsec secret", method: "POST", path: "/webhooks/endpoints", body: { ...url("https://8.8.8.8/"), secret: "whsec_AAAA" }, status: 400, message: "secret must be whsec_" },
  { name: "published type with spaces", method: "POST", path: "/events", body: { type: "nfts created", data: {} }, status: 400, message: "type must be" },
  { name: "action name with spaces", method: "POST", path: "/actions", body: { action: "mint an nft", data: {} }, status: 400, message: "action must be a dotted name" },
  { name: "test send of an unknown type", method: "POST", path: "/webhooks/endpoints/{endpoint}/test", body: { eventType: "no.such.type" }, status: 400, message: "not in the event catalog" },
  { name: "empty batch", method: "POST", path: "/events/batch", body: { events: [] }, status: 400, message: "fewer than 1 items" },
  { name: "bad type inside a batch", method: "POST", path: "/events/batch", body: { events: [{ type: "ok", data: 1 }, { type: "not ok", data: 2 }] }, status: 400, message: "events[1]: type must be" },
  // Query strings.
  { name: "limit=0", method: "GET", path: "/events?limit=0", status: 400, message: "querystring.limit must be >= 1" },
  { name: "limit=1000", method: "GET", path: "/webhooks/endpoints?limit=1000", status: 400, message: "querystring.limit must be <= 250" },
  { name: "limit=abc", method: "GET", path: "/events?limit=abc", status: 400, message: "querystring.limit must be integer" },
  { name: "invalid cursor", method: "GET", path: "/events?cursor=not-a-cursor", status: 400, message: "querystring.cursor" },
  { name: "invalid endpoint list cursor", method: "GET", path: "/webhooks/endpoints?cursor=%27%20OR%201%3D1", status: 400, message: "querystring.cursor" },
  { name: "invalid since", method: "GET", path: "/events?since=yesterday", status: 400, message: "querystring.since" },
  { name: "wait=61", method: "GET", path: "/actions/{action}?wait=61", status: 400, message: "querystring.wait must be <= 60" },
  { name: "wait=-1", method: "GET", path: "/actions/{action}?wait=-1", status: 400, message: "querystring.wait must be >= 0" },
  { name: "unknown delivery status filter", method: "GET", path: "/webhooks/endpoints/{endpoint}/deliveries?status=lost", status: 400, message: "querystring.status" },
  // Transport.
  { name: "body over 1 MB", method: "POST", path: "/events", body: { type: "big", data: "x".repeat(1_100_000) }, status: 413, message: "larger than 1 MB" },
  { name: "text/plain body", method: "POST", path: "/events", body: "type=a", headers: { "content-type": "text/plain" }, status: 415, message: "content-type must be application/json" },
  { name: "form body", method: "POST", path: "/webhooks/endpoints", body: "url=https%3A%2F%2F8.8.8.8", headers: { "content-type": "application/x-www-form-urlencoded" }, status: 415, message: "content-type must be application/json" },
  { name: "Idempotency-Key of 256 characters", method: "POST", path: "/events", body: { type: "a", data: {} }, headers: { "idempotency-key": "k".repeat(256) }, status: 400, message: "Idempotency-Key must be at most 255" },
  // Actions.
  { name: "complete with status pending", method: "PATCH", path: "/actions/{action}", body: { status: "pending" }, status: 400, message: "body.status" },
  { name: "complete with status bogus", method: "PATCH", path: "/actions/{action}", body: { status: "bogus" }, status: 400, message: "body.status" },
  { name: "action id over 100 characters", method: "GET", path: `/actions/${"a".repeat(101)}`, status: 400, message: "longer than 100 characters" },
  { name: "bad percent-encoding in the path", method: "GET", path: "/webhooks/endpoints/%E0%A4%A", status: 400, message: "malformed" },
  { name: "action id of 100 characters that does not exist", method: "GET", path: `/actions/${"a".repeat(100)}`, status: 404, message: "action not found" },
  // Routes and admin.
  { name: "unknown route", method: "GET", path: "/no/such/route", status: 404, message: "not found" },
  { name: "unknown route outside the prefix", method: "POST", path: "//api/2099-01-01/events", body: {}, status: 404, message: "not found" },
  { name: "wrong method", method: "PUT", path: "/events", body: {}, status: 404, message: "not found" },
  { name: "admin project with a bad name", method: "POST", path: "//admin/projects", body: { name: "no spaces allowed" }, headers: adminAuth, status: 400, message: "name must be" },
];

const isJson = (res: ApiResponse) => /^application\/json/.test(String(res.headers["content-type"]));

/** The API's error contract for any 4xx answer. */
function assertErrorShape(res: ApiResponse, context: string) {
  assert.ok(res.status < 500, `${context}: got ${res.status} ${JSON.stringify(res.body)}`);
  assert.ok(isJson(res), `${context}: content-type ${String(res.headers["content-type"])}`);
  assert.equal(typeof res.body, "object", `${context}: body ${String(res.body)}`);
  assert.equal(res.body.error, true, `${context}: ${JSON.stringify(res.body)}`);
  assert.equal(typeof res.body.message, "string");
  assert.ok(res.body.message.length > 0);
  assert.ok(!("stack" in res.body), `${context}: a stack trace leaked`);
  assert.doesNotMatch(
    JSON.stringify(res.body),
    /\bat .*\.(ts|js):\d+/,
    `${context}: a stack trace leaked`,
  );
}

for (const row of rows) {
  test(`${row.status} for ${row.name} (${row.method} ${row.path.slice(0, 60)})`, async () => {
    const path = row.path.replace("{endpoint}", endpointId).replace("{action}", actionId);
    const res = await h.api(row.method, path, row.body, row.headers);
    assertErrorShape(res, row.name);
    assert.equal(res.status, row.status, `${row.name}: ${JSON.stringify(res.body)}`);
    if (typeof row.message === "string")
      assert.ok(
        res.body.message.includes(row.message),
        `${row.name}: message "${res.body.message}" lacks "${row.message}"`,
      );
    else assert.match(res.body.message, row.message);
  });
}

test("every route's validators and serializers compile (they compile lazily: lazy-schemas.ts)", () => {
  const server = h.herald.server;
  server.compileSchemas();
  // Compiled once: a second pass finds nothing left and throws nothing.
  server.compileSchemas();
});

test("the rows above changed nothing: the endpoint and the action are as created", async () => {
  const endpoint = await h.api("GET", `/webhooks/endpoints/${endpointId}`);
  assert.equal(endpoint.status, 200);
  assert.equal(endpoint.body.url, "http://127.0.0.1:9/hook");
  assert.equal(endpoint.body.enabled, true);
  const action = await h.api("GET", `/actions/${actionId}`);
  assert.equal(action.body.status, "pending");
});

// ---- fuzz ----------------------------------------------------------------------------------

const ODD_CHARS = [
  "\u0000",
  "\u0001",
  "\u001f",
  "\u007f",
  "\u00e9",
  "\u200b",
  "\u202e",
  "\ud83d\ude00",
  "\ud800",
  "\udfff",
  "\ufeff",
  "\uffff",
  '"',
  "\\",
  "/",
  "\n",
  "%00",
  "'",
  "<script>",
  "${x}",
];
const FIELD_NAMES = [
  "url",
  "type",
  "data",
  "action",
  "actionId",
  "events",
  "eventTypes",
  "enabled",
  "rateLimit",
  "secret",
  "description",
  "resource",
  "status",
  "name",
  "endpointId",
  "idempotencyKey",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "",
  " ",
  "\u0000",
  "a".repeat(300),
];
// Recipients: two valid on the embedded chain, the rest refused in their own ways.
const RECIPIENTS = [
  "local:0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  "email:fuzz@example.com:local",
  "userId::local",
  "userId:x:polygon",
  "twitter:herald:local",
  "local:0x12",
  "email:not-an-email:local",
  ":",
  "",
];

// URLs the SSRF guard or the URL parser refuses, plus (set in before()) spellings of the live
// receiver: an endpoint the fuzz manages to create must not fail deliveries, or its retries and
// delivery.exhausted events would keep the dispatcher busy long after the test.
const REFUSED_URLS = [
  "https://[::ffff:10.0.0.1]/",
  "https://[fe80::1%25eth0]/",
  "https://10.0.0.1/",
  "javascript:alert(1)",
  "file:///etc/passwd",
  "http://",
  "https://[::]/",
  "https://0.0.0.0/",
  "https://255.255.255.255/",
  "https://100.64.0.1/",
  "https://[64:ff9b::a00:1]/",
  "https://169.254.169.254/",
  "http://8.8.8.8/",
];
const URLS: string[] = [...REFUSED_URLS];
const TYPES = [
  "nfts.create.succeeded",
  "a",
  "a.*",
  "*",
  ".",
  "a..b",
  "a.b.",
  "x:y-z_w",
  "ünïcode",
  "a b",
  "",
  "nfts.*",
  "x".repeat(101),
];

function randomString(r: Random): string {
  const roll = r.next();
  if (roll < 0.01) return "x".repeat(300_000 + r.int(1_000_000)); // sometimes over the 1 MB limit
  if (roll < 0.05) return r.pick(ODD_CHARS).repeat(1000 + r.int(20_000));
  if (roll < 0.25) return r.pick(URLS);
  if (roll < 0.4) return r.pick(TYPES);
  const length = r.int(40);
  let s = "";
  for (let i = 0; i < length; i++)
    s += r.next() < 0.3 ? r.pick(ODD_CHARS) : String.fromCharCode(32 + r.int(95));
  return s;
}

function randomValue(r: Random, depth: number): unknown {
  const roll = r.next();
  if (depth > 6 || roll < 0.1) return r.pick([null, true, false, 0, -0, 1, -1]);
  if (roll < 0.2) return r.pick([1e308, -1e308, 5e-324, 2 ** 53 + 1, 0.1, -7.5, 1e29]);
  if (roll < 0.5) return randomString(r);
  if (roll < 0.7) return Array.from({ length: r.int(6) }, () => randomValue(r, depth + 1));
  return randomObject(r, depth + 1);
}

function randomObject(r: Random, depth: number): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const fields = r.int(6);
  for (let i = 0; i < fields; i++)
    object[r.next() < 0.7 ? r.pick(FIELD_NAMES) : randomString(r).slice(0, 50)] = randomValue(
      r,
      depth,
    );
  return object;
}

/** A body near the route's schema, with fields dropped, mistyped or added. */
function plausibleBody(r: Random, base: Record<string, () => unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, make] of Object.entries(base)) {
    const roll = r.next();
    if (roll < 0.1) continue;
    body[key] = roll < 0.75 ? make() : randomValue(r, 1);
  }
  if (r.next() < 0.2) body[r.pick(FIELD_NAMES)] = randomValue(r, 1);
  return body;
}

interface FuzzRoute {
  path: string;
  headers?: Record<string, string>;
  /** Near the schema: fields dropped, mistyped or added. */
  plausible: (r: Random) => Record<string, unknown>;
  /** Valid but for `inner`, the random part (data, description, name). */
  valid: (r: Random, inner: unknown) => Record<string, unknown>;
  /** How many bodies (300 unless said): Crossmint's mint bodies get 500 each. */
  count?: number;
}

const DEEP = "\u0001DEEP\u0001";

/** Nesting around the limit of 100 levels and far past it, where JSON.stringify overflows. */
function deepJson(r: Random): string {
  const depth = r.pick([97, 98, 99, 100, 101, 1000, 20_000, 200_000]);
  return r.next() < 0.5
    ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`
    : `${"[".repeat(depth)}${"]".repeat(depth)}`;
}

/** A raw body: valid, plausible, random, mangled, deeply nested, prototype keys, or bytes. */
function randomRawBody(r: Random, route: FuzzRoute): string {
  const roll = r.next();
  if (roll < 0.3) return JSON.stringify(route.valid(r, randomValue(r, 1)));
  if (roll < 0.36)
    return JSON.stringify(route.valid(r, DEEP)).replace(JSON.stringify(DEEP), deepJson(r));
  const text = JSON.stringify(r.next() < 0.7 ? route.plausible(r) : randomValue(r, 0)) ?? "null";
  if (roll < 0.7) return text;
  if (roll < 0.78) return text.slice(0, r.int(text.length + 1));
  if (roll < 0.86) {
    const at = r.int(text.length + 1);
    return (
      text.slice(0, at) +
      r.pick(["{", "}", "[", '"', ",", ":", "\\", "\u0000", "NaN", "undefined"]) +
      text.slice(at)
    );
  }
  if (roll < 0.9)
    return r.pick([
      '{"__proto__":{"admin":true},"type":"a","data":{}}',
      '{"constructor":{"prototype":{"x":1}},"action":"a"}',
      '{"data":{"__proto__":[]},"type":"a"}',
      '{"type":"a","data":123456789012345678901234567890123456789}',
    ]);
  if (roll < 0.95)
    return r.pick([
      "",
      " ",
      "null",
      "true",
      "[]",
      "{}",
      "\u0000",
      "\ufeff{}",
      "1e999",
      '"\\ud800"',
      '{"a":1}{"b":2}',
    ]);
  return Buffer.from(Array.from({ length: r.int(200) }, () => r.int(256))).toString("latin1");
}

// Endpoints the fuzz creates subscribe to a type nobody publishes, or point at the live receiver.
const CREATE_ROUTES: FuzzRoute[] = [
  {
    path: "/webhooks/endpoints",
    plausible: (r) =>
      plausibleBody(r, {
        url: () => r.pick(URLS),
        eventTypes: () => [r.pick(TYPES)],
        description: () => randomString(r),
        enabled: () => r.next() < 0.5,
        rateLimit: () => r.pick([0, 1, 1e6, 0.5, null]),
        secret: () => r.pick(["whsec_" + "A".repeat(32), "whsec_", "whsec_!!!!"]),
      }),
    valid: (r, inner) => ({
      url: r.pick(URLS),
      eventTypes: ["fuzz.nobody"],
      description: typeof inner === "string" ? inner.slice(0, 1000) : inner,
    }),
  },
  {
    path: "/events",
    plausible: (r) =>
      plausibleBody(r, {
        type: () => r.pick(TYPES),
        data: () => randomValue(r, 1),
        actionId: () => randomString(r),
      }),
    valid: (r, inner) => ({
      type: r.pick(["fuzz.event", "nfts.create.succeeded", "x:y-z_w"]),
      data: inner,
    }),
  },
  {
    path: "/events/batch",
    plausible: (r) => ({
      events: Array.from({ length: r.int(4) }, () =>
        plausibleBody(r, {
          type: () => r.pick(TYPES),
          data: () => randomValue(r, 1),
          idempotencyKey: () => randomString(r),
        }),
      ),
    }),
    valid: (r, inner) => ({
      events: [
        { type: "fuzz.batch", data: inner },
        { type: "fuzz.batch", data: r.int(10) },
      ],
    }),
  },
  {
    path: "/actions",
    plausible: (r) =>
      plausibleBody(r, {
        action: () => r.pick(TYPES),
        data: () => randomValue(r, 1),
        resource: () => randomString(r),
      }),
    valid: (_r, inner) => ({ action: "fuzz.create", data: inner }),
  },
  // Crossmint's mint bodies: single, batch (`{nfts}`), metadata as an object or a URL.
  {
    path: "/collections/default-local/nfts",
    count: 500,
    plausible: (r) =>
      plausibleBody(r, {
        recipient: () => r.pick(RECIPIENTS),
        metadata: () => (r.next() < 0.5 ? r.pick(URLS) : { name: randomString(r) }),
        compressed: () => r.next() < 0.5,
        locale: () => randomString(r),
      }),
    valid: (r, inner) => ({
      recipient: r.pick(RECIPIENTS.slice(0, 2)),
      metadata:
        r.next() < 0.5
          ? "https://metadata.example.com/1.json"
          : { name: "Fuzz", description: typeof inner === "string" ? inner.slice(0, 100) : "" },
    }),
  },
  {
    path: "/collections/default-local/nfts/",
    count: 500,
    plausible: (r) => ({
      nfts: Array.from({ length: r.pick([0, 1, 2, 3, 126]) }, () =>
        plausibleBody(r, {
          recipient: () => r.pick(RECIPIENTS),
          metadata: () => (r.next() < 0.5 ? r.pick(URLS) : { name: randomString(r) }),
          id: () => randomString(r),
        }),
      ),
    }),
    valid: (r, inner) => ({
      nfts: [
        {
          recipient: RECIPIENTS[0],
          metadata: { name: "Fuzz", value: inner },
          id: `f-${r.int(1e9)}`,
        },
        { recipient: RECIPIENTS[1], metadata: "ipfs://bafybeigdyrzt/1.json" },
      ],
    }),
  },
  {
    path: "//admin/projects",
    headers: adminAuth,
    plausible: (r) => plausibleBody(r, { name: () => randomString(r).slice(0, 80) }),
    valid: (r, inner) => ({
      name: typeof inner === "string" ? inner.slice(0, 63) : `fuzz-${r.int(1e9)}`,
    }),
  },
];

test("fuzz: 300 random bodies per create route (500 per mint route) never yield a 5xx", async () => {
  const seed = Number(process.env.HERALD_FUZZ_SEED ?? Date.now() % 1_000_000);
  const r = generator(seed);
  const statuses = new Map<number, number>();
  for (const route of CREATE_ROUTES) {
    const bodies = Array.from({ length: route.count ?? 300 }, () => randomRawBody(r, route));
    const headers = (i: number) => ({
      ...route.headers,
      ...(i % 7 === 0 ? { "idempotency-key": `fuzz-${i % 3}` } : {}),
      ...(i % 50 === 0 ? { "content-type": "application/json; charset=utf-8" } : {}),
    });
    for (let i = 0; i < bodies.length; i += 10) {
      const batch = bodies.slice(i, i + 10);
      const answers = await Promise.all(
        batch.map((body, j) => h.api("POST", route.path, body, headers(i + j))),
      );
      answers.forEach((res, j) => {
        const context = `seed ${seed}, POST ${route.path} body ${JSON.stringify(batch[j]!.slice(0, 200))}`;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        assert.ok(res.status < 500, `${context}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.ok(isJson(res), `${context}: content-type ${String(res.headers["content-type"])}`);
        if (res.status >= 400) assertErrorShape(res, context);
      });
    }
  }
  const health = await h.api("GET", "//health");
  assert.equal(health.status, 200, "Herald still answers after the fuzz");
  const seen = JSON.stringify([...statuses]);
  assert.ok((statuses.get(400) ?? 0) > 0, `statuses ${seen}`);
  assert.ok((statuses.get(201) ?? 0) > 0, `some bodies are accepted too: statuses ${seen}`);
});

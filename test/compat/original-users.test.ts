import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import {
  apiClient,
  eventually,
  startTestHerald,
  TEST_ADMIN_TOKEN,
  TEST_ORIGINAL,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver, type ReceivedRequest } from "../helpers/receiver.js";
import { generator, type Random } from "../helpers/random.js";
import {
  originalClient,
  sdkClient,
  sdkToken,
  verifiedWebhook,
  type OriginalClient,
  type OriginalPair,
} from "../helpers/original.js";

// Original's API (docs.getoriginal.com) against a real Herald on the embedded chain: its
// authentication, its users, its deposit address and collections, and `wallet.created` in
// Original's webhook body. Each request is the documentation's example; sources above each.

let h: TestHerald;
let receiver: Receiver;
/** Endpoints: everything in the default format, and wallet.created in Crossmint's envelope. */
let autoSecret = "";
let crossmintSecret = "";

const ORIGINAL_BODY_KEYS = [
  "data",
  "event",
  "sent_at",
  "x-app-uid",
  "x-webhook-attempt",
  "x-webhook-correlation-id",
];

const withToken = (pair: OriginalPair = TEST_ORIGINAL, token?: () => Promise<string>) =>
  sdkClient(() => h.url, pair, token);
const headerClient = (headers: () => Promise<Record<string, string>>) =>
  originalClient(() => h.url, headers);
const original = withToken();

before(async () => {
  h = await startTestHerald();
  receiver = await Receiver.start();
  const all = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/auto` });
  assert.equal(all.status, 201, JSON.stringify(all.body));
  assert.equal(all.body.format, "auto", "the default format");
  autoSecret = all.body.secret;
  const crossmint = await h.api("POST", "/webhooks/endpoints", {
    url: `${receiver.url}/crossmint`,
    eventTypes: ["wallet.created"],
    format: "crossmint",
  });
  assert.equal(crossmint.status, 201, JSON.stringify(crossmint.body));
  assert.equal(crossmint.body.format, "crossmint");
  crossmintSecret = crossmint.body.secret;
});
after(async () => {
  await h?.stop();
  await receiver?.close();
});

const verified = verifiedWebhook;

/** A consumer written the way Original's documentation shows one: it dispatches on `event`. */
function originalConsumer(body: any): string {
  switch (body.event) {
    case "wallet.created":
      return `wallet ${body.data.wallet.address} for ${body.data.app_user.uid} of ${body["x-app-uid"]}`;
    case "asset.minted":
    case "asset.transferred":
    case "asset.burned":
    case "asset.edited":
      return `asset ${body.data.asset.uid}`;
    default:
      return "ignored";
  }
}

describe("users (POST /user, GET /user/{uid}, GET /user?email=, ?user_external_id=)", () => {
  let uid = "";

  test("create a user: 201 {success, data: {uid}}; wallet.created arrives in Original's body, signed", async () => {
    // Source: https://docs.getoriginal.com/docs/create_user-api (the request and its 201)
    const created = await original("POST", "/user", {
      user_external_id: "user_external_id_1",
      email: "dave@example.com",
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.success, true);
    uid = created.body.data.uid;
    assert.equal(typeof uid, "string");

    // Source: https://docs.getoriginal.com/docs/get-user-details
    const user = await original("GET", `/user/${uid}`);
    assert.equal(user.status, 200, JSON.stringify(user.body));
    assert.equal(user.body.success, true);
    const data = user.body.data;
    assert.equal(data.uid, uid);
    assert.equal(data.email, "dave@example.com");
    assert.equal(data.user_external_id, "user_external_id_1");
    assert.equal(data.client_id, "user_external_id_1", "the deprecated name, still answered");
    assert.match(data.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.equal(data.wallets.length, 1);
    assert.equal(data.wallet_address, data.wallets[0].address);
    assert.equal(data.wallets[0].chain_id, 31337);
    assert.equal(data.wallets[0].network, "Local");

    const isOurs = (r: ReceivedRequest) =>
      r.json?.event === "wallet.created" && r.json?.data?.app_user?.uid === uid;
    const req = await eventually(
      () => receiver.requests.find((r) => r.url === "/auto" && isOurs(r))!,
      {
        message: "wallet.created",
      },
    );
    const body = verified(req, autoSecret);
    assert.deepEqual(Object.keys(body), ORIGINAL_BODY_KEYS);
    assert.equal(body["x-app-uid"], req.headers["x-app-uid"], "x-app-uid: body and header");
    assert.equal(body["x-webhook-correlation-id"], req.headers["webhook-id"]);
    assert.equal(body["x-webhook-attempt"], "1");
    assert.match(body.sent_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    assert.deepEqual(Object.keys(body.data.app), ["uid", "name", "region", "environment"]);
    assert.equal(body.data.app.name, "default");
    assert.deepEqual(body.data.app_user, {
      uid,
      client_id: null,
      user_external_id: "user_external_id_1",
      email: "dave@example.com",
    });
    assert.deepEqual(body.data.wallet, {
      address: data.wallet_address,
      chain_id: 31337,
      network: "Local",
    });
    assert.equal(
      originalConsumer(body),
      `wallet ${data.wallet_address} for ${uid} of ${body["x-app-uid"]}`,
    );

    // One event of each family per wallet: Crossmint's wallets.create.succeeded, in its envelope.
    const crossmint = await eventually(
      () =>
        receiver.requests.find(
          (r) =>
            r.url === "/auto" &&
            r.json?.type === "wallets.create.succeeded" &&
            r.json?.data?.wallet?.address === data.wallet_address,
        )!,
      { message: "wallets.create.succeeded" },
    );
    assert.deepEqual(verified(crossmint, autoSecret).data.wallet, {
      address: data.wallet_address,
      userId: uid,
    });
    // The endpoint that chose Crossmint's envelope gets wallet.created in it.
    const enveloped = await eventually(
      () =>
        receiver.requests.find(
          (r) => r.url === "/crossmint" && r.json?.data?.app_user?.uid === uid,
        )!,
      { message: "wallet.created in Crossmint's envelope" },
    );
    const envelope = verified(enveloped, crossmintSecret);
    assert.equal(envelope.type, "wallet.created");
    assert.equal(envelope.id, enveloped.headers["webhook-id"]);
    assert.equal(enveloped.headers["x-app-uid"], undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(receiver.requests.filter((r) => r.url === "/auto" && isOurs(r)).length, 1, "once");
  });

  test("find by email and by external id; none found is 200 with data null", async () => {
    // Source: https://docs.getoriginal.com/docs/get-user-details-by-email
    const byEmail = await original("GET", "/user?email=Dave@Example.com");
    assert.equal(byEmail.status, 200, JSON.stringify(byEmail.body));
    assert.equal(byEmail.body.data.uid, uid);
    // Source: https://docs.getoriginal.com/docs/get-user-details-by-user-external-id
    const byExternal = await original("GET", "/user?user_external_id=user_external_id_1");
    assert.equal(byExternal.body.data.uid, uid);
    // The old name (get-user-details-by-client-id), and the Python SDK's extra query parameters.
    const old = await original(
      "GET",
      `/user?client_id=user_external_id_1&api_key=${TEST_ORIGINAL.apiKey}&api_secret=x`,
    );
    assert.equal(old.body.data.uid, uid);
    const none = await original("GET", "/user?email=nobody@example.com");
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, { success: false, data: null });
  });

  test("errors in Original's shape: a taken email or id, a bad email, an unknown uid", async () => {
    const taken = await original("POST", "/user", { email: "DAVE@example.com" });
    assert.equal(taken.status, 400);
    assert.equal(taken.body.success, false);
    assert.equal(taken.body.error.type, "client_error");
    assert.equal(taken.body.error.detail.message, "User already exists.");
    const takenId = await original("POST", "/user", { user_external_id: "user_external_id_1" });
    assert.equal(takenId.body.error.detail.field_name, "user_external_id");
    const bad = await original("POST", "/user", { email: "not-an-email" });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error, {
      type: "validation_error",
      detail: { code: "invalid", message: "Enter a valid email address.", field_name: "email" },
    });
    const unknown = await original("GET", "/user/nobody");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.detail.message, "User not found.");
    assert.equal(typeof unknown.body.message, "string", "Herald's message beside it");
  });

  test("an empty body, and the SDKs' nulls, create a user with neither identifier", async () => {
    // The JS SDK's createUser() sends no body; Python's and .NET's send both fields as null.
    for (const body of [undefined, { email: null, user_external_id: null }]) {
      const created = await original("POST", "/user", body);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const user = await original("GET", `/user/${created.body.data.uid}`);
      assert.equal(user.body.data.email, null);
      assert.equal(user.body.data.wallets.length, 1);
    }
  });

  test("deposit: the user's wallet on the chain, with an ERC-681 QR code", async () => {
    // Source: https://docs.getoriginal.com/docs/deposit-asset
    const deposit = await original("GET", `/deposit?user_uid=${uid}&collection_uid=`);
    assert.equal(deposit.status, 200, JSON.stringify(deposit.body));
    const user = await original("GET", `/user/${uid}`);
    assert.deepEqual(deposit.body.data, {
      network: "Local",
      chain_id: 31337,
      wallet_address: user.body.data.wallet_address,
      qr_code_data: `ethereum:${user.body.data.wallet_address}@31337`,
    });
    assert.equal((await original("GET", "/deposit?user_uid=nobody")).status, 404);
  });

  test("collections: Herald's collections, as Original shows them", async () => {
    // Source: https://docs.getoriginal.com/docs/get-collection-details
    const res = await original("GET", "/collection/default-local");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.data.uid, "default-local");
    assert.equal(res.body.data.type, "ERC721");
    assert.equal(res.body.data.chain_id, 31337);
    assert.ok(["deploying", "deployed"].includes(res.body.data.status));
    assert.equal((await original("GET", "/collection/nope")).status, 404);
  });
});

describe("authentication: X-Api-Key and an HS256 token signed with the key's secret", () => {
  test("the SDKs' tokens pass: JS/Python (api_key, no exp) and .NET (exp in an hour, no api_key)", async () => {
    assert.equal((await original("GET", "/user?email=x@example.com")).status, 200);
    const dotnet = withToken(TEST_ORIGINAL, () =>
      sdkToken(TEST_ORIGINAL, { resource: "*", action: "*", user_id: "*" }, (jwt) =>
        jwt.setExpirationTime("1h"),
      ),
    );
    assert.equal((await dotnet("GET", "/user?email=x@example.com")).status, 200);
  });

  test("401 with a message for no token, expired, another secret, another key, alg none, junk", async () => {
    const cases: Array<[string, OriginalClient, RegExp]> = [
      [
        "no token",
        headerClient(async () => ({ "X-Api-Key": TEST_ORIGINAL.apiKey })),
        /missing access token/,
      ],
      [
        "no key",
        headerClient(async () => ({ Authorization: `Bearer ${await sdkToken()}` })),
        /missing API key/,
      ],
      [
        "expired",
        withToken(TEST_ORIGINAL, () =>
          sdkToken(TEST_ORIGINAL, undefined, (jwt) =>
            jwt.setExpirationTime(Math.floor(Date.now() / 1000) - 60),
          ),
        ),
        /expired/,
      ],
      [
        "signed with another secret",
        withToken(TEST_ORIGINAL, () =>
          sdkToken({ ...TEST_ORIGINAL, apiSecret: "another-secret-0123456789abcdef" }),
        ),
        /signature does not match/,
      ],
      [
        "an unknown key",
        withToken({ ...TEST_ORIGINAL, apiKey: "ori_unknown_key_123" }),
        /invalid API key/,
      ],
      [
        "a token made for another key",
        withToken(TEST_ORIGINAL, () =>
          sdkToken(TEST_ORIGINAL, {
            resource: "*",
            action: "*",
            user_id: "*",
            api_key: "ori_other",
          }),
        ),
        /another API key/,
      ],
      [
        "alg none",
        headerClient(async () => ({
          "X-Api-Key": TEST_ORIGINAL.apiKey,
          Authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"user_id":"*"}').toString("base64url")}.`,
        })),
        /HS256|malformed/,
      ],
      [
        "junk",
        headerClient(async () => ({
          "X-Api-Key": TEST_ORIGINAL.apiKey,
          Authorization: "Bearer a.b.c",
        })),
        /malformed/,
      ],
    ];
    for (const [name, client, message] of cases) {
      const res = await client("GET", "/user?email=x@example.com");
      assert.equal(res.status, 401, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.success, false, name);
      assert.match(res.body.error.detail.message, message, name);
    }
  });

  test("a project's pair from POST /admin/projects opens its own users only", async () => {
    const admin = apiClient(h.url, null);
    const created = await admin(
      "POST",
      "//admin/projects",
      { name: "original-b" },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const pair = created.body.original;
    assert.match(pair.apiKey, /^ori_/);
    const other = withToken(pair);
    const mine = await original("POST", "/user", { email: "only-mine@example.com" });
    assert.equal((await other("GET", `/user/${mine.body.data.uid}`)).status, 404);
    const none = await other("GET", "/user?email=only-mine@example.com");
    assert.deepEqual(none.body, { success: false, data: null });
    const theirs = await other("POST", "/user", { email: "only-mine@example.com" });
    assert.equal(theirs.status, 201, "emails are unique per app, not across apps");

    // Key pairs: a second one opens the project too; a revoked one opens nothing from then on.
    const adminAuth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const keysPath = `//admin/projects/${created.body.id}/original-keys`;
    const second = await admin("POST", keysPath, undefined, adminAuth);
    assert.equal(second.status, 201, JSON.stringify(second.body));
    const secondClient = withToken({
      apiKey: second.body.apiKey,
      apiSecret: second.body.apiSecret,
    });
    assert.equal((await secondClient("GET", "/user?email=x@example.com")).status, 200);
    const listed = await admin("GET", keysPath, undefined, adminAuth);
    assert.equal(listed.body.data.length, 2);
    assert.ok(!JSON.stringify(listed.body).includes(pair.apiSecret), "never a secret");
    const first = listed.body.data.find((k: any) => k.id !== second.body.id);
    assert.equal(
      (await admin("DELETE", `${keysPath}/${first.id}`, undefined, adminAuth)).status,
      204,
    );
    const revoked = await other("GET", "/user?email=x@example.com");
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.error.detail.message, "invalid API key");
    assert.equal((await secondClient("GET", "/user?email=x@example.com")).status, 200);
    assert.equal(
      (await admin("DELETE", `${keysPath}/${first.id}`, undefined, adminAuth)).status,
      404,
    );

    // The app's region and environment are project settings; events carry them from then on.
    const changed = await admin(
      "PATCH",
      `//admin/projects/${created.body.id}`,
      { environment: "Production", region: "US" },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    );
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.environment, "Production");
    const bad = await admin(
      "PATCH",
      `//admin/projects/${created.body.id}`,
      { region: "" },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    );
    assert.equal(bad.status, 400);
    const later = await secondClient("POST", "/user", { email: "later@example.com" });
    const uid = later.body.data.uid;
    const event = await eventually(
      () =>
        h
          .api("GET", "//api/2022-06-09/events?type=wallet.created", undefined, {
            "x-api-key": created.body.apiKey,
          })
          .then((res) => res.body.data.find((e: any) => e.payload?.data?.app_user?.uid === uid)),
      { message: "wallet.created of the later user" },
    );
    assert.deepEqual(event.payload.data.app, {
      uid: created.body.id,
      name: "original-b",
      region: "US",
      environment: "Production",
    });
  });
});

// ---- fuzz: 500 random requests per route, never a 5xx ------------------------------------------

// prettier-ignore
const ODD = ["", " ", "\u0000", "é", "😀", "\ud800", '"', "\\", "%", "%zz", "?", "#", "&", "=", "a".repeat(2000), "x@y", "Dave@Example.com", "user_external_id_1"];
const oddValue = (r: Random): unknown =>
  r.pick<() => unknown>([
    () => null,
    () => r.int(1e9),
    () => -1.5,
    () => true,
    () => [],
    () => ({}),
    () => r.pick(ODD),
    () => `${r.pick(ODD)}${r.int(1000)}@example.com`,
    () => ({ nested: r.pick(ODD) }),
  ])();

function userBody(r: Random): string | undefined {
  if (r.next() < 0.05) return undefined;
  const body: Record<string, unknown> = {};
  for (const field of ["email", "user_external_id", "client_id", "api_key", "__proto__"])
    if (r.next() < 0.4) body[field] = oddValue(r);
  const json = JSON.stringify(r.next() < 0.9 ? body : oddValue(r)) ?? "null";
  return r.next() < 0.9 ? json : json.slice(0, r.int(json.length + 1));
}

/** Percent-encoded (a lone surrogate cannot be: it becomes U+FFFD), or raw printable ASCII. */
const inUrl = (r: Random, value: unknown) =>
  r.next() < 0.7
    ? encodeURIComponent(String(value).replace(/[\ud800-\udfff]/g, "\ufffd"))
    : String(value).replace(/[^\x21-\x7e]/g, "");

const query = (r: Random, names: string[]) =>
  names
    .filter(() => r.next() < 0.6)
    .map((name) => `${name}=${inUrl(r, oddValue(r))}`)
    .join("&");

test("fuzz: 500 random requests per Original route never yield a 5xx", async () => {
  const seed = Number(process.env.HERALD_FUZZ_SEED ?? Date.now() % 1e9);
  const r = generator(seed);
  const routes: Array<[string, () => string, () => string | undefined]> = [
    ["POST", () => "/user", () => userBody(r)],
    [
      "GET",
      () => `/user?${query(r, ["email", "user_external_id", "client_id", "api_secret"])}`,
      () => undefined,
    ],
    ["GET", () => `/user/${inUrl(r, oddValue(r))}`, () => undefined],
    ["GET", () => `/deposit?${query(r, ["user_uid", "collection_uid"])}`, () => undefined],
    ["GET", () => `/collection/${inUrl(r, oddValue(r))}`, () => undefined],
  ];
  const token = await sdkToken();
  for (const [method, path, body] of routes) {
    for (let i = 0; i < 500; i++) {
      const p = path();
      const b = body();
      const res = await request(`${h.url}/original/v1${p}`, {
        method: method as "GET",
        headers: {
          "X-Api-Key": TEST_ORIGINAL.apiKey,
          Authorization: `Bearer ${token}`,
          ...(b !== undefined ? { "content-type": "application/json" } : {}),
        },
        body: b,
      });
      const text = await res.body.text();
      assert.ok(
        res.statusCode < 500,
        `seed ${seed}: ${method} ${p} ${b} → ${res.statusCode} ${text}`,
      );
      if (res.statusCode >= 400) {
        const parsed = JSON.parse(text);
        assert.equal(parsed.success, false, `seed ${seed}: ${method} ${p}: ${text}`);
        assert.equal(typeof parsed.error.detail.message, "string", `seed ${seed}: ${text}`);
      }
    }
  }
});

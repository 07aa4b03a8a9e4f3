import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { PINNED_BODY_KEYS } from "./helpers/design.js";
import { Receiver, type ReceivedRequest } from "./helpers/receiver.js";

// The Action Status API for external producers: open, complete, long-poll, and the
// `<action>.<status>` webhook that completing publishes, in Crossmint's shapes.

let h: TestHerald;
let receiver: Receiver;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  h = await startTestHerald();
  receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", {
    url: receiver.url + "/actions",
    eventTypes: ["nfts.*", "collections.create.succeeded"],
  });
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
});
after(async () => {
  await h.stop();
  await receiver.close();
});

async function openAction(body: unknown = { action: "nfts.create", data: { chain: "polygon" } }) {
  const res = await h.api("POST", "/actions", body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as {
    actionId: string;
    action: string;
    status: string;
    data: any;
    startedAt: string;
    resource: string;
  };
}

/** The webhook(s) this action's completion produced. */
async function webhooksFor(actionId: string, count = 1): Promise<ReceivedRequest[]> {
  const found = await eventually(
    () => {
      const mine = receiver.requests.filter((r) => r.json?.actionId === actionId);
      return mine.length >= count ? mine : null;
    },
    { message: `${count} webhook(s) for action ${actionId}` },
  );
  return found!;
}

test("POST /actions opens a pending Crossmint action object, and GET returns it", async () => {
  const before = Date.now();
  const data = {
    chain: "polygon",
    metadata: { name: "Herald #1" },
    recipient: "email:a@example.com",
  };
  const res = await h.api("POST", "/actions", { action: "nfts.create", data });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.match(String(res.headers["content-type"]), /^application\/json/);
  const action = res.body;
  assert.deepEqual(Object.keys(action).sort(), [
    "action",
    "actionId",
    "data",
    "resource",
    "startedAt",
    "status",
  ]);
  assert.equal(typeof action.actionId, "string");
  assert.equal(action.action, "nfts.create");
  assert.equal(action.status, "pending");
  assert.deepEqual(action.data, data);
  assert.match(action.startedAt, ISO);
  assert.ok(
    Date.parse(action.startedAt) >= before - 5 && Date.parse(action.startedAt) <= Date.now() + 5,
  );
  assert.equal(action.completedAt, undefined);
  assert.match(action.resource, new RegExp(`/api/2022-06-09/actions/${action.actionId}$`));

  const read = await h.api("GET", `/actions/${action.actionId}`);
  assert.equal(read.status, 200);
  assert.deepEqual(read.body, action);
});

test("an action without data starts with {}; a given resource is kept", async () => {
  const bare = await openAction({ action: "wallets.create" });
  assert.deepEqual(bare.data, {});
  const withResource = await openAction({
    action: "collections.create",
    data: {},
    resource: "https://www.crossmint.com/api/2022-06-09/collections/abc",
  });
  assert.equal(withResource.resource, "https://www.crossmint.com/api/2022-06-09/collections/abc");
});

test("PATCH succeeded: completedAt is set and nfts.create.succeeded is delivered in Crossmint's shape", async () => {
  const action = await openAction();
  await sleep(5);
  const result = { id: "nft-1", onChain: { status: "success", tokenId: "15", txId: "0xabc" } };
  const before = Date.now();
  const done = await h.api("PATCH", `/actions/${action.actionId}`, {
    status: "succeeded",
    data: result,
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.status, "succeeded");
  assert.deepEqual(done.body.data, result, "the completion's data replaces the action's");
  assert.equal(done.body.startedAt, action.startedAt);
  assert.match(done.body.completedAt, ISO);
  assert.ok(Date.parse(done.body.completedAt) >= Date.parse(action.startedAt));
  assert.ok(Date.parse(done.body.completedAt) >= before - 5);
  assert.deepEqual((await h.api("GET", `/actions/${action.actionId}`)).body, done.body);

  const [hook] = await webhooksFor(action.actionId);
  const body = hook!.json;
  assert.deepEqual(Object.keys(body), PINNED_BODY_KEYS);
  assert.equal(body.id, hook!.headers["webhook-id"]);
  assert.equal(body.type, "nfts.create.succeeded");
  assert.equal(body.actionId, action.actionId);
  assert.equal(body.startedAt, action.startedAt);
  assert.equal(body.completedAt, done.body.completedAt);
  assert.match(body.startedAt, ISO);
  assert.match(body.completedAt, ISO);
  assert.deepEqual(body.data, result);
  assert.equal(body.resource, action.resource);
  assert.equal(typeof body.timestamp, "number");
  assert.ok(Math.abs(body.timestamp - Date.now()) < 10_000);

  // The event is in the log, linked to the action.
  const event = await h.api("GET", `/events/${body.id}`);
  assert.equal(event.status, 200);
  assert.equal(event.body.type, "nfts.create.succeeded");
  assert.equal(event.body.actionId, action.actionId);
  assert.deepEqual(event.body.payload, body);
});

test("PATCH failed: nfts.create.failed is delivered without completedAt", async () => {
  const action = await openAction();
  const failure = { error: { message: "insufficient funds" } };
  const done = await h.api("PATCH", `/actions/${action.actionId}`, {
    status: "failed",
    data: failure,
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.status, "failed");
  assert.equal(done.body.completedAt, undefined, "Crossmint reports completedAt only on success");
  assert.deepEqual(done.body.data, failure);

  const [hook] = await webhooksFor(action.actionId);
  const body = hook!.json;
  assert.deepEqual(Object.keys(body), [
    "id",
    "type",
    "actionId",
    "startedAt",
    "data",
    "resource",
    "timestamp",
  ]);
  assert.equal(body.type, "nfts.create.failed");
  assert.equal(body.startedAt, action.startedAt);
  assert.equal(body.completedAt, undefined);
  assert.deepEqual(body.data, failure);
  assert.equal(typeof body.timestamp, "number");
});

test("PATCH without data keeps the action's data", async () => {
  const action = await openAction({ action: "nfts.update", data: { tokenId: "7" } });
  const done = await h.api("PATCH", `/actions/${action.actionId}`, { status: "succeeded" });
  assert.equal(done.status, 200);
  assert.deepEqual(done.body.data, { tokenId: "7" });
  const [hook] = await webhooksFor(action.actionId);
  assert.equal(hook!.json.type, "nfts.update.succeeded");
  assert.deepEqual(hook!.json.data, { tokenId: "7" });
});

test("completing twice is 409 and publishes nothing more; unknown actions are 404", async () => {
  const action = await openAction();
  assert.equal(
    (await h.api("PATCH", `/actions/${action.actionId}`, { status: "succeeded", data: { n: 1 } }))
      .status,
    200,
  );
  for (const status of ["succeeded", "failed"]) {
    const again = await h.api("PATCH", `/actions/${action.actionId}`, { status, data: { n: 2 } });
    assert.equal(again.status, 409, status);
    assert.equal(again.body.error, true);
    assert.match(again.body.message, /already completed/);
  }
  const read = await h.api("GET", `/actions/${action.actionId}`);
  assert.equal(read.body.status, "succeeded");
  assert.deepEqual(read.body.data, { n: 1 });
  await webhooksFor(action.actionId);
  await sleep(200);
  assert.equal(receiver.requests.filter((r) => r.json?.actionId === action.actionId).length, 1);

  const missing = "01a00000-0000-7000-8000-000000000000";
  assert.equal((await h.api("GET", `/actions/${missing}`)).status, 404);
  assert.equal((await h.api("GET", `/actions/${missing}?wait=2`)).status, 404);
  const patch = await h.api("PATCH", `/actions/${missing}`, { status: "succeeded" });
  assert.equal(patch.status, 404);
  assert.match(patch.body.message, /action not found/);
});

test("two concurrent completions: exactly one wins, one webhook", async () => {
  const action = await openAction();
  const [first, second] = await Promise.all([
    h.api("PATCH", `/actions/${action.actionId}`, { status: "succeeded", data: { by: 1 } }),
    h.api("PATCH", `/actions/${action.actionId}`, { status: "failed", data: { by: 2 } }),
  ]);
  assert.deepEqual([first.status, second.status].sort(), [200, 409]);
  const winner = first.status === 200 ? first.body : second.body;
  const [hook] = await webhooksFor(action.actionId);
  assert.equal(hook!.json.type, `nfts.create.${winner.status}`);
  await sleep(200);
  assert.equal(receiver.requests.filter((r) => r.json?.actionId === action.actionId).length, 1);
});

test("?wait=5 holds while pending and is released within a moment of a PATCH from another request", async () => {
  const action = await openAction();
  const started = Date.now();
  const waiting = h
    .api("GET", `/actions/${action.actionId}?wait=5`)
    .then((res) => ({ res, at: Date.now() }));
  const second = h
    .api("GET", `/actions/${action.actionId}?wait=5`)
    .then((res) => ({ res, at: Date.now() }));
  await sleep(400);
  const patchedAt = Date.now();
  const done = await h.api("PATCH", `/actions/${action.actionId}`, {
    status: "succeeded",
    data: { tokenId: "9" },
  });
  assert.equal(done.status, 200);
  for (const { res, at } of [await waiting, await second]) {
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "succeeded");
    assert.deepEqual(res.body.data, { tokenId: "9" });
    assert.equal(res.body.completedAt, done.body.completedAt);
    assert.ok(at - started >= 350, `held ${at - started} ms before the PATCH`);
    assert.ok(at - patchedAt < 1000, `released ${at - patchedAt} ms after the PATCH`);
    assert.ok(at - started < 2500, `returned after ${at - started} ms, well before 5 s`);
  }
});

test("?wait=1 on a pending action answers pending after about a second", async () => {
  const action = await openAction();
  const started = Date.now();
  const res = await h.api("GET", `/actions/${action.actionId}?wait=1`);
  const elapsed = Date.now() - started;
  assert.equal(res.status, 200);
  assert.equal(res.body.status, "pending");
  assert.equal(res.body.completedAt, undefined);
  assert.ok(elapsed >= 950 && elapsed < 2000, `held ${elapsed} ms`);
  const fraction = Date.now();
  await h.api("GET", `/actions/${action.actionId}?wait=0.3`);
  assert.ok(Date.now() - fraction >= 250, "fractions of a second are honoured");
});

test("?wait on a completed action answers at once", async () => {
  const action = await openAction();
  await h.api("PATCH", `/actions/${action.actionId}`, { status: "failed" });
  const started = Date.now();
  const res = await h.api("GET", `/actions/${action.actionId}?wait=60`);
  assert.equal(res.status, 200);
  assert.equal(res.body.status, "failed");
  assert.ok(Date.now() - started < 300, `took ${Date.now() - started} ms`);
  const zero = await h.api("GET", `/actions/${(await openAction()).actionId}?wait=0`);
  assert.equal(zero.body.status, "pending");
});

test("Idempotency-Key on POST /actions: same key, same action; different body, 409", async () => {
  const body = { action: "nfts.create", data: { ref: "order-42" } };
  const headers = { "idempotency-key": "order-42" };
  const first = await h.api("POST", "/actions", body, headers);
  assert.equal(first.status, 201);
  assert.equal(first.headers["idempotent-replayed"], undefined);
  const second = await h.api("POST", "/actions", body, headers);
  assert.equal(second.status, 201);
  assert.equal(second.headers["idempotent-replayed"], "true");
  assert.equal(second.body.actionId, first.body.actionId);
  assert.deepEqual(second.body, first.body);
  const other = await h.api(
    "POST",
    "/actions",
    { action: "nfts.create", data: { ref: "order-43" } },
    headers,
  );
  assert.equal(other.status, 409);
  assert.match(other.body.message, /Idempotency-Key/);
  const fresh = await h.api("POST", "/actions", body, { "idempotency-key": "order-44" });
  assert.notEqual(fresh.body.actionId, first.body.actionId);
  // A replay after completion returns the action as it is now.
  await h.api("PATCH", `/actions/${first.body.actionId}`, { status: "succeeded" });
  const replay = await h.api("POST", "/actions", body, headers);
  assert.equal(replay.body.actionId, first.body.actionId);
  assert.equal(replay.body.status, "succeeded");
});

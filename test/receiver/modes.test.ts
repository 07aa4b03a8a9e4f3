// @herald/receiver's two ways to acknowledge: `wait` (default: 200 once the handler is done,
// 503 past the deadline while the claim holds off retries) and `ack-first` (200 at once, the
// handler in the background, failures to onError).
import assert from "node:assert/strict";
import { test } from "node:test";
import { createReceiver, generateSecret, MemoryStore } from "../../packages/receiver/src/index.js";
import { signedWebhook } from "./helpers.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("wait: past the deadline 503 and the signal aborts; retries meanwhile 503, then done", async () => {
  const secret = generateSecret();
  let finished = 0;
  let aborted = false;
  const receiver = createReceiver({
    secret,
    deadlineMs: 100,
    handler: async (webhook) => {
      webhook.signal.addEventListener("abort", () => (aborted = true));
      await sleep(400);
      finished++;
    },
  });
  const webhook = signedWebhook(secret);
  const started = Date.now();
  const first = await receiver.receive(webhook.headers, webhook.body);
  assert.ok(Date.now() - started < 350, "answered at the deadline, not when the handler ended");
  assert.equal(first.status, 503);
  assert.equal(JSON.parse(first.body).error, "deadline_exceeded");
  assert.equal(first.headers["retry-after"], "5");
  assert.ok(aborted);
  const retry = await receiver.receive(webhook.headers, webhook.body);
  assert.equal(retry.status, 503);
  assert.equal(JSON.parse(retry.body).error, "in_progress");
  await receiver.idle();
  assert.equal(finished, 1);
  const later = await receiver.receive(webhook.headers, webhook.body);
  assert.deepEqual(
    [later.status, JSON.parse(later.body)],
    [200, { received: true, duplicate: true }],
  );
  assert.equal(finished, 1);
});

test("ack-first: 200 before the handler ends; a failure goes to onError and a resend runs it", async () => {
  const secret = generateSecret();
  const errors: Array<[unknown, string | undefined]> = [];
  const waited: Promise<unknown>[] = [];
  let runs = 0;
  const store = new MemoryStore();
  const receiver = createReceiver({
    secret,
    mode: "ack-first",
    store,
    handler: async () => {
      await sleep(200);
      if (++runs === 1) throw new Error("queue down");
    },
    onError: (error, webhook) => errors.push([error, webhook?.id]),
    waitUntil: (work) => waited.push(work),
  });
  const webhook = signedWebhook(secret);
  const started = Date.now();
  const first = await receiver.receive(webhook.headers, webhook.body);
  assert.equal(first.status, 200);
  assert.ok(Date.now() - started < 150, "acknowledged before the handler finished");
  assert.equal(waited.length, 1, "the work is handed to waitUntil");
  // While the handler runs, a duplicate is told to retry.
  assert.equal((await receiver.receive(webhook.headers, webhook.body)).status, 503);
  await receiver.idle();
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]![0]), /queue down/);
  assert.equal(errors[0]![1], webhook.id);
  // The claim was released: a resend (same id) runs it again, and then it is done.
  assert.equal((await receiver.receive(webhook.headers, webhook.body)).status, 200);
  await receiver.idle();
  assert.equal(runs, 2);
  const again = await receiver.receive(webhook.headers, webhook.body);
  assert.equal(JSON.parse(again.body).duplicate, true);
  assert.equal(runs, 2);
});

test("a failing store answers 503 (retry), and onError hears of it", async () => {
  const secret = generateSecret();
  const errors: unknown[] = [];
  let runs = 0;
  const receiver = createReceiver({
    secret,
    store: {
      claim: () => Promise.reject(new Error("redis down")),
      complete: async () => {},
      release: async () => {},
    },
    handler: () => void runs++,
    onError: (error) => errors.push(error),
  });
  const webhook = signedWebhook(secret);
  const answer = await receiver.receive(webhook.headers, webhook.body);
  assert.equal(answer.status, 503);
  assert.equal(JSON.parse(answer.body).error, "store_unavailable");
  assert.equal(runs, 0);
  assert.match(String(errors[0]), /redis down/);
});

test("store: null runs every delivery (the handler is idempotent itself)", async () => {
  const secret = generateSecret();
  let runs = 0;
  const receiver = createReceiver({ secret, store: null, handler: () => void runs++ });
  const webhook = signedWebhook(secret);
  await receiver.receive(webhook.headers, webhook.body);
  await receiver.receive(webhook.headers, webhook.body);
  assert.equal(runs, 2);
});

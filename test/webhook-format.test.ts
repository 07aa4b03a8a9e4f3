import assert from "node:assert/strict";
import { test } from "node:test";
import {
  bodyFormatOf,
  isOriginalFamily,
  originalBody,
  originalTime,
  type WebhookFormat,
} from "../src/core/policy/webhook-format.js";

// Which body an endpoint's message has, and Original's body built from a stored envelope.

test("bodyFormatOf: auto sends each family in its platform's body; a choice applies to all", () => {
  // prettier-ignore
  const table: Array<[WebhookFormat, string, "crossmint" | "original"]> = [
    ["auto", "asset.minted", "original"],
    ["auto", "asset.transferred", "original"],
    ["auto", "reward.allocated", "original"],
    ["auto", "reward.withdrawn", "original"],
    ["auto", "wallet.created", "original"],
    ["auto", "wallets.create.succeeded", "crossmint"],
    ["auto", "nfts.create.succeeded", "crossmint"],
    ["auto", "endpoint.disabled", "crossmint"],
    ["auto", "assets.minted", "crossmint"],
    ["auto", "wallet.created.extra", "crossmint"],
    ["auto", "order.paid", "crossmint"],
    ["crossmint", "asset.minted", "crossmint"],
    ["crossmint", "wallet.created", "crossmint"],
    ["original", "nfts.create.succeeded", "original"],
    ["original", "asset.burned", "original"],
  ];
  for (const [format, type, expected] of table)
    assert.equal(bodyFormatOf(format, type), expected, `${format} ${type}`);
  assert.equal(isOriginalFamily("reward.claimed"), true);
  assert.equal(isOriginalFamily("rewards.claimed"), false);
});

test("originalTime writes microseconds and +00:00, as Original's sent_at", () => {
  assert.equal(
    originalTime(Date.UTC(2023, 7, 1, 11, 24, 36, 531)),
    "2023-08-01T11:24:36.531000+00:00",
  );
  assert.equal(originalTime(0), "1970-01-01T00:00:00.000000+00:00");
});

test("originalBody: the envelope's data, then Original's fields in its order", () => {
  const envelope = JSON.stringify({
    id: "e1",
    type: "wallet.created",
    data: { app: { uid: "p1" }, wallet: { address: "0xabc" } },
    timestamp: 1,
  });
  const body = originalBody(envelope, {
    event: "wallet.created",
    appUid: "p1",
    attempt: 3,
    correlationId: "e1",
    sentAt: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  });
  const parsed = JSON.parse(body);
  assert.deepEqual(Object.keys(parsed), [
    "data",
    "event",
    "sent_at",
    "x-app-uid",
    "x-webhook-attempt",
    "x-webhook-correlation-id",
  ]);
  assert.deepEqual(parsed.data, { app: { uid: "p1" }, wallet: { address: "0xabc" } });
  assert.equal(parsed.event, "wallet.created");
  assert.equal(parsed.sent_at, "2026-01-02T03:04:05.006000+00:00");
  assert.equal(parsed["x-app-uid"], "p1");
  assert.equal(parsed["x-webhook-attempt"], "3", "a string, as Original sends it");
  assert.equal(parsed["x-webhook-correlation-id"], "e1");
  // A payload that is not an envelope still gets a body (with data null), never a throw.
  const odd = { event: "x", appUid: "p", attempt: 1, correlationId: "c", sentAt: 0 };
  assert.equal(JSON.parse(originalBody("not json", odd)).data, null);
});

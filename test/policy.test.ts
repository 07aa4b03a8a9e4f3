import assert from "node:assert/strict";
import { test } from "node:test";
import { Webhook } from "standardwebhooks";
import {
  endpointWantsEvent,
  fanOut,
  isValidSubscription,
  type FanOutEndpoint,
  type FanOutEvent,
} from "../src/core/policy/event-filter.js";
import {
  decideVerdict,
  heraldFaultDelayMs,
  parseRetryAfter,
  parseRetrySchedule,
  scheduledDelayMs,
  shouldAutoDisable,
} from "../src/core/policy/retry-policy.js";
import {
  generateSecret,
  isValidSecret,
  secretKeyBytes,
  signatureHeader,
} from "../src/core/policy/signing.js";
import { available, fullBucket, take, waitForToken } from "../src/core/policy/token-bucket.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const SCHEDULE = [5, 300, 1800];

test("retry verdicts", () => {
  const rows: Array<[string, number | null, string | null, number, string, number?]> = [
    // name, status, retry-after, scheduleIndex, verdict, delay ms (random = 0.5: no jitter)
    ["200 acknowledges", 200, null, 0, "succeeded"],
    ["204 acknowledges", 204, null, 2, "succeeded"],
    ["299 acknowledges", 299, null, 0, "succeeded"],
    ["301 is a failure", 301, null, 0, "retry", 5000],
    ["302 is a failure", 302, null, 1, "retry", 300_000],
    ["400 is retried", 400, null, 0, "retry", 5000],
    ["410 disables", 410, null, 0, "gone"],
    ["500 then schedule", 500, null, 2, "retry", 1_800_000],
    ["no response", null, null, 0, "retry", 5000],
    ["last retry used: exhausted", 500, null, 3, "exhausted"],
    ["Retry-After longer than the schedule wins", 429, "120", 0, "retry", 120_000],
    ["Retry-After shorter than the schedule: schedule", 503, "1", 1, "retry", 300_000],
    ["Retry-After as a date", 503, new Date(NOW + 60_000).toUTCString(), 0, "retry", 60_000],
    ["Retry-After garbage is ignored", 503, "soon", 0, "retry", 5000],
    ["Retry-After is capped at a day", 503, "999999999", 0, "retry", 24 * 3600 * 1000],
    ["exhausted even with Retry-After", 503, "10", 3, "exhausted"],
  ];
  for (const [name, status, retryAfter, index, kind, delay] of rows) {
    const verdict = decideVerdict(
      { statusCode: status, error: null, retryAfter },
      SCHEDULE,
      index,
      NOW,
      0.5,
    );
    assert.equal(verdict.kind, kind, name);
    if (delay !== undefined) assert.equal((verdict as { delayMs: number }).delayMs, delay, name);
  }
});

test("jitter stays within ±10% of the schedule", () => {
  const rows: Array<[number, number]> = [
    [0, 4500],
    [0.5, 5000],
    [1, 5500],
  ];
  for (const [random, expected] of rows)
    assert.equal(scheduledDelayMs(SCHEDULE, 0, random), expected);
  assert.equal(scheduledDelayMs(SCHEDULE, 3, 0.5), null);
});

test("Herald's own fault: the delivery goes back for the schedule's first delay, 1 to 30 s", () => {
  const rows: Array<[string, number[], number]> = [
    ["the default schedule: 5 s", [5, 300, 1800], 5_000],
    ["a sub-second first step: 1 s, no busy loop", [0.2, 1], 1_000],
    ["a zero first step: 1 s", [0], 1_000],
    ["a long first step: 30 s at most", [300, 1800], 30_000],
    ["exactly 30 s", [30], 30_000],
    ["an empty schedule: the default's first step", [], 5_000],
  ];
  for (const [name, schedule, expected] of rows)
    assert.equal(heraldFaultDelayMs(schedule), expected, name);
});

test("retry schedule parsing", () => {
  assert.deepEqual(parseRetrySchedule("5,300,1800"), [5, 300, 1800]);
  assert.deepEqual(parseRetrySchedule(" 0.05, 1 "), [0.05, 1]);
  for (const bad of ["", "a", "5,,6", "-1", "5,x"])
    assert.throws(() => parseRetrySchedule(bad), bad);
});

test("Retry-After parsing", () => {
  assert.equal(parseRetryAfter(null, NOW), null);
  assert.equal(parseRetryAfter("0", NOW), 0);
  assert.equal(parseRetryAfter("30", NOW), 30_000);
  assert.equal(parseRetryAfter(new Date(NOW - 5000).toUTCString(), NOW), 0);
  assert.equal(parseRetryAfter("1.5", NOW), null);
});

test("auto-disable after the failure period", () => {
  const day = 24 * 3600 * 1000;
  assert.equal(shouldAutoDisable(null, NOW, 5 * day), false);
  assert.equal(shouldAutoDisable(NOW - 4 * day, NOW, 5 * day), false);
  assert.equal(shouldAutoDisable(NOW - 5 * day, NOW, 5 * day), true);
});

test("subscriptions", () => {
  const rows: Array<[string[] | null, string, boolean]> = [
    [null, "anything.at.all", true],
    [["nfts.create.succeeded"], "nfts.create.succeeded", true],
    [["nfts.create.succeeded"], "nfts.create.failed", false],
    [["nfts.*"], "nfts.create.failed", true],
    [["nfts.*"], "nftsx.create", false],
    [["nfts.create.*"], "nfts.update.succeeded", false],
    [["*"], "asset.minted", true],
    [["asset.minted", "asset.burned"], "asset.burned", true],
    [[], "asset.burned", false],
  ];
  for (const [types, type, expected] of rows)
    assert.equal(endpointWantsEvent(types, type), expected, `${types} ${type}`);
  for (const ok of ["a", "nfts.create.succeeded", "nfts.*", "*", "wallets:nfts.transfer"])
    assert.ok(isValidSubscription(ok), ok);
  for (const bad of ["", "a..b", "nfts.*.x", "has space", ".a", "a."])
    assert.ok(!isValidSubscription(bad), bad);
});

test("fan-out: which endpoints get a delivery of an event", () => {
  const endpoint = (id: string, eventTypes: string[] | null, enabled = true, projectId = "p") =>
    ({
      id,
      projectId,
      enabled,
      eventTypes: eventTypes && JSON.stringify(eventTypes),
      failingSince: null,
      quietUntil: null,
    }) as FanOutEndpoint;
  const all = endpoint("all", null);
  const nfts = endpoint("nfts", ["nfts.*"]);
  const assets = endpoint("assets", ["asset.minted", "asset.burned"]);
  const off = endpoint("off", null, false);
  const other = endpoint("other", null, true, "q");
  const candidates = [all, nfts, assets, off, other];
  const event = (type: string, more: Partial<FanOutEvent> = {}): FanOutEvent => ({
    id: "e1",
    projectId: "p",
    type,
    createdAt: 1000,
    ...more,
  });
  const rows: Array<[string, FanOutEvent, string[]]> = [
    [
      "subscribers of the type, enabled, of the project",
      event("nfts.create.succeeded"),
      ["all", "nfts"],
    ],
    ["an exact subscription", event("asset.burned"), ["all", "assets"]],
    ["nobody but the catch-all", event("wallet.created"), ["all"]],
    [
      "the excluded endpoint is left out",
      event("asset.minted", { excludeEndpointId: "all" }),
      ["assets"],
    ],
    [
      "a named endpoint alone, whatever it subscribes to",
      event("wallet.created", { onlyEndpointId: "nfts" }),
      ["nfts"],
    ],
    [
      "a named endpoint, even disabled (test sends)",
      event("x", { onlyEndpointId: "off" }),
      ["off"],
    ],
    ["a named endpoint of another project: none", event("x", { onlyEndpointId: "other" }), []],
    [
      "named and excluded: none",
      event("x", { onlyEndpointId: "all", excludeEndpointId: "all" }),
      [],
    ],
    [
      "another project's event reaches only its endpoints",
      event("x", { projectId: "q" }),
      ["other"],
    ],
  ];
  for (const [what, e, expected] of rows) {
    const targets = fanOut(e, candidates);
    assert.deepEqual(
      targets.map((t) => t.endpointId),
      expected,
      what,
    );
    assert.ok(
      targets.every((t) => t.dueAt === 1000 && !t.parked),
      `${what}: due at once`,
    );
  }
});

test("signatures verify with standardwebhooks, one per active secret", () => {
  const current = generateSecret();
  const previous = generateSecret();
  assert.ok(isValidSecret(current));
  const body = JSON.stringify({ id: "evt", data: { n: 1 } });
  const ts = Math.floor(Date.now() / 1000);
  const header = signatureHeader(
    [secretKeyBytes(current), secretKeyBytes(previous)],
    "evt",
    ts,
    body,
  );
  assert.equal(header.split(" ").length, 2);
  const headers = {
    "webhook-id": "evt",
    "webhook-timestamp": String(ts),
    "webhook-signature": header,
  };
  for (const secret of [current, previous])
    assert.deepEqual(new Webhook(secret).verify(body, headers), JSON.parse(body));
  assert.throws(() => new Webhook(generateSecret()).verify(body, headers));
  for (const bad of [
    "whsec_",
    "whsec_short",
    "nope_" + "A".repeat(40),
    "whsec_" + "!".repeat(40),
  ]) {
    assert.ok(!isValidSecret(bad), bad);
  }
});

test("token bucket", () => {
  let bucket = fullBucket(2, NOW);
  assert.equal(available(bucket, 2, NOW), 1);
  bucket = take(bucket, 2, NOW, 1);
  assert.equal(available(bucket, 2, NOW), 0);
  assert.equal(waitForToken(bucket, 2, NOW), 500);
  assert.equal(available(bucket, 2, NOW + 500), 1);
  assert.equal(available(bucket, 2, NOW + 10_000), 1, "bursts stay small");
  const fast = fullBucket(1000, NOW);
  assert.equal(available(fast, 1000, NOW), 100, "a tenth of a second's worth");
});

// Traces (src/observability): a publish and its delivery attempts are one trace; a mint, its
// transaction, its confirmation and its webhook too; webhooks carry the attempt's traceparent
// when HERALD_TRACE_PROPAGATION is on. Spans go to an OTLP collector in this process.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { loadConfig } from "../src/config.js";
import { tracingSettings } from "../src/observability/tracing-settings.js";
import { startTracing } from "../src/observability/tracing.js";
import { eventually, startTestHerald, type TestHerald } from "./helpers/herald.js";
import { OtlpCollector, type CollectedSpan } from "./helpers/otlp-collector.js";
import { Receiver, type ReceivedRequest } from "./helpers/receiver.js";

const RECIPIENT = "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819";

let collector: OtlpCollector;
let receiver: Receiver;
let h: TestHerald;

/** A Herald exporting its spans to the collector at once (50 ms batches). */
function tracedHerald(env: Record<string, string> = {}) {
  return startTestHerald({
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_SERVICE_NAME: "herald-test",
    OTEL_BSP_SCHEDULE_DELAY: "50",
    ...env,
  });
}

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  collector = await OtlpCollector.start();
  // Each event's first attempt fails (500): its retry is a second attempt span.
  const seen = new Set<string>();
  receiver = await Receiver.start((req) => {
    const id = String(req.headers["webhook-id"]);
    if (req.url !== "/retry" || seen.has(id)) return { status: 200 };
    seen.add(id);
    return { status: 500 };
  });
  h = await tracedHerald({ HERALD_TRACE_PROPAGATION: "true" });
});

after(async () => {
  await h.stop();
  await receiver.close();
  await collector.close();
});

async function spanNamed(name: string, where: (s: CollectedSpan) => boolean) {
  const found = await eventually(() => collector.spans.find((s) => s.name === name && where(s)), {
    message: `a span ${name}`,
  });
  return found!;
}

async function received(where: (r: ReceivedRequest) => boolean) {
  const found = await eventually(() => receiver.requests.find(where), { message: "a webhook" });
  return found!;
}

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

test("a publish and its attempts (the retry too) are one trace; webhooks carry traceparent", async () => {
  const endpoint = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/retry` });
  assert.equal(endpoint.status, 201);
  // The caller's own trace: Herald's request span is its child.
  const callerTrace = hex(16);
  const callerSpan = hex(8);
  const published = await h.api(
    "POST",
    "/events",
    { type: "order.paid", data: { n: 1 } },
    { traceparent: `00-${callerTrace}-${callerSpan}-01` },
  );
  assert.equal(published.status, 201);
  const eventId = published.body.id as string;

  const request = await spanNamed("POST /api/2022-06-09/events", (s) => s.traceId === callerTrace);
  assert.equal(request.parentSpanId, callerSpan);
  assert.equal(request.kind, 2, "a server span");
  assert.equal(request.service, "herald-test");
  assert.equal(request.attributes["http.route"], "/api/2022-06-09/events");
  assert.equal(request.attributes["http.response.status_code"], 201);

  const attemptsOf = () =>
    collector.spans.filter(
      (s) => s.name === "webhook.attempt" && s.attributes["herald.event.id"] === eventId,
    );
  await eventually(() => attemptsOf().length === 2, { message: "two attempt spans" });
  const attempts = attemptsOf();
  attempts.sort(
    (a, b) =>
      (a.attributes["herald.delivery.attempt"] as number) -
      (b.attributes["herald.delivery.attempt"] as number),
  );
  for (const attempt of attempts) {
    assert.equal(attempt.traceId, callerTrace);
    assert.equal(attempt.parentSpanId, request.spanId, "a child of the publish request");
    assert.equal(attempt.attributes["herald.endpoint.id"], endpoint.body.id);
    assert.equal(attempt.attributes["herald.destination.type"], "https");
    assert.equal(attempt.attributes["herald.event.type"], "order.paid");
  }
  const [first, retry] = attempts as [CollectedSpan, CollectedSpan];
  assert.deepEqual(
    [first.attributes["http.response.status_code"], first.attributes["herald.delivery.outcome"]],
    [500, "retry"],
  );
  assert.equal(first.statusCode, 2, "a failed attempt is an error");
  assert.deepEqual(
    [retry.attributes["http.response.status_code"], retry.attributes["herald.delivery.outcome"]],
    [200, "succeeded"],
  );
  assert.notEqual(retry.statusCode, 2);

  // Each webhook carried its own attempt's traceparent.
  const received = receiver.requests.filter((r) => r.headers["webhook-id"] === eventId);
  assert.deepEqual(
    received.map((r) => r.headers.traceparent),
    attempts.map((a) => `00-${callerTrace}-${a.spanId}-01`),
  );
});

test("a mint, its transaction, its confirmation and its webhook are one trace", async () => {
  const endpoint = await h.api("POST", "/webhooks/endpoints", {
    url: `${receiver.url}/mints`,
    eventTypes: ["nfts.create.succeeded"],
  });
  const minted = await h.api("POST", "/collections/default-local/nfts", {
    recipient: RECIPIENT,
    metadata: { name: "x" },
  });
  assert.equal(minted.status, 200, JSON.stringify(minted.body));
  const actionId = minted.body.actionId as string;
  const request = await spanNamed(
    "POST /api/2022-06-09/collections/:collectionId/nfts",
    (s) => s.attributes["http.response.status_code"] === 200,
  );
  const inTrace = (s: CollectedSpan) =>
    s.traceId === request.traceId && s.attributes["herald.action.id"] === actionId;
  const send = await spanNamed("chain.send", inTrace);
  const confirm = await spanNamed("chain.confirm", inTrace);
  for (const span of [send, confirm]) {
    assert.equal(span.parentSpanId, request.spanId, `${span.name}: a child of the request`);
    assert.equal(span.attributes["herald.job.kind"], "mint");
    assert.equal(span.attributes["herald.chain"], "local");
    assert.match(String(span.attributes["herald.tx.hash"]), /^0x[0-9a-f]{64}$/);
  }
  assert.equal(confirm.attributes["herald.tx.status"], "success");

  const webhook = await received((r) => r.url === "/mints" && r.json?.actionId === actionId);
  const attempt = await spanNamed(
    "webhook.attempt",
    (s) =>
      s.attributes["herald.event.id"] === webhook.json.id &&
      s.attributes["herald.endpoint.id"] === endpoint.body.id,
  );
  assert.equal(attempt.attributes["herald.event.type"], "nfts.create.succeeded");
  assert.equal(attempt.traceId, request.traceId);
  assert.equal(attempt.parentSpanId, request.spanId, "the completion event carries the job's");
  assert.equal(webhook.headers.traceparent, `00-${request.traceId}-${attempt.spanId}-01`);
});

test("without HERALD_TRACE_PROPAGATION webhooks carry no traceparent (spans still go out)", async () => {
  const quiet = await tracedHerald();
  try {
    await quiet.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/quiet` });
    const published = await quiet.api("POST", "/events", { type: "order.paid", data: {} });
    const eventId = published.body.id as string;
    const webhook = await received((r) => r.headers["webhook-id"] === eventId);
    assert.equal(webhook.headers.traceparent, undefined);
    await spanNamed("webhook.attempt", (s) => s.attributes["herald.event.id"] === eventId);
  } finally {
    await quiet.stop();
  }
});

test("tracing is off unless an OTLP endpoint is configured", () => {
  assert.equal(tracingSettings({}), null);
  assert.equal(loadConfig({}, {}).tracing, null);
  assert.equal(startTracing(null), null, "nothing is started");
  assert.equal(
    tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }),
    null,
  );
  assert.equal(
    tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" }),
    null,
  );
  const on = tracingSettings({
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/",
    OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20t",
    OTEL_RESOURCE_ATTRIBUTES: "deployment.environment=prod",
    OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
    OTEL_TRACES_SAMPLER_ARG: "0.25",
  });
  assert.equal(on?.url, "http://c:4318/v1/traces");
  assert.deepEqual(on?.headers, { authorization: "Bearer t" });
  assert.deepEqual(on?.resource, { "deployment.environment": "prod", "service.name": "herald" });
  assert.deepEqual(on?.sampler, { kind: "traceidratio", ratio: 0.25, parentBased: true });
  assert.equal(
    tracingSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t:4318/traces",
    })?.url,
    "http://t:4318/traces",
    "the signal's own endpoint is used as given",
  );
  assert.throws(
    () => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "x", OTEL_TRACES_SAMPLER: "nope" }, {}),
    /OTEL_EXPORTER_OTLP_ENDPOINT: must be an http\(s\) URL/,
  );
  assert.throws(
    () => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_TRACES_SAMPLER: "nope" }),
    /OTEL_TRACES_SAMPLER: must be one of/,
  );
  assert.throws(
    () => loadConfig({ HERALD_TRACE_PROPAGATION: "yes" }, {}),
    /HERALD_TRACE_PROPAGATION: must be true or false/,
  );
});

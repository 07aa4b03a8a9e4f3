import { test } from "node:test";
import assert from "node:assert/strict";
import {
  amqpAddress,
  amqpHosts,
  describeChannelClose,
  describeConnectError,
  describeUnroutable,
  maskAmqpConfig,
  parseAmqpUrl,
  publishOptions,
  routingKeyFor,
  validateAmqpConfig,
  type AmqpConfig,
} from "../../src/destinations/amqp/policy.js";
import type { OutboundMessage } from "../../src/destinations/destination.js";

const config = (overrides: Partial<AmqpConfig> = {}): AmqpConfig => ({
  type: "amqp",
  url: "amqp://guest:guest@broker.example.com:5672/vhost",
  exchange: "herald",
  ...overrides,
});

const VALID: [string, Partial<AmqpConfig>][] = [
  ["plain amqp", {}],
  ["amqps without credentials", { url: "amqps://broker.example.com" }],
  ["upper-case scheme", { url: "AMQPS://broker.example.com/" }],
  ["user without password", { url: "amqp://herald@broker.example.com" }],
  ["encoded password and vhost", { url: "amqp://u:p%40ss%2Fw@h.example.com:5672/my%2Fvhost" }],
  ["IPv6 literal", { url: "amqp://[2001:4860:4860::8888]:5672/" }],
  ["port 1", { url: "amqp://h.example.com:1" }],
  ["port 65535", { url: "amqp://h.example.com:65535" }],
  ["known query parameters", { url: "amqp://h.example.com/?heartbeat=10&frameMax=131072" }],
  ["amq.* exchanges may be published to", { exchange: "amq.topic" }],
  ["every allowed character", { exchange: "Ab9_.:-" }],
  ["255-character exchange", { exchange: "x".repeat(255) }],
  ["default exchange with a queue name", { exchange: "", routingKey: "orders" }],
  ["empty routing key on a named exchange", { routingKey: "" }],
  ["255-byte routing key", { routingKey: "é".repeat(127) + "k" }],
];

for (const [name, overrides] of VALID) {
  test(`validate accepts: ${name}`, () => {
    assert.equal(validateAmqpConfig(config(overrides)), null);
  });
}

const INVALID: [string, Partial<AmqpConfig>, RegExp][] = [
  ["empty url", { url: "" }, /^destination\.url: must be a broker URL/],
  ["not a URL", { url: "broker:5672" }, /^destination\.url: must use amqp:\/\/ or amqps:\/\//],
  ["relative", { url: "//broker" }, /^destination\.url: must be a broker URL/],
  ["https scheme", { url: "https://broker.example.com" }, /not https:\/\/$/],
  ["no host", { url: "amqp:///vhost" }, /^destination\.url: must name the broker's host$/],
  ["port 0", { url: "amqp://h.example.com:0" }, /^destination\.url: port 0 is out of range/],
  ["port 65536", { url: "amqp://h.example.com:65536" }, /port 65536 is out of range/],
  ["port 99999", { url: "amqp://h.example.com:99999/v" }, /port 99999 is out of range/],
  ["two-segment vhost", { url: "amqp://h.example.com/a/b" }, /vhost must be one path segment/],
  ["fragment", { url: "amqp://h.example.com/#x" }, /must not have a #fragment/],
  ["unknown query", { url: "amqp://h.example.com/?hearbeat=5" }, /unknown query parameter/],
  ["bad heartbeat", { url: "amqp://h.example.com/?heartbeat=x" }, /heartbeat must be a non/],
  ["space in exchange", { exchange: "my exchange" }, /^destination\.exchange: "my exchange" may/],
  ["slash in exchange", { exchange: "a/b" }, /^destination\.exchange: .* may contain only/],
  ["non-ASCII exchange", { exchange: "échange" }, /^destination\.exchange: /],
  ["256-character exchange", { exchange: "x".repeat(256) }, /at most 255 characters/],
  ["default exchange without routing key", { exchange: "" }, /^destination\.exchange: the def/],
  [
    "default exchange with empty routing key",
    { exchange: "", routingKey: "" },
    /needs a destination\.routingKey naming the queue/,
  ],
  ["256-byte routing key", { routingKey: "é".repeat(128) }, /^destination\.routingKey: .*255 b/],
];

for (const [name, overrides, expected] of INVALID) {
  test(`validate rejects: ${name}`, () => {
    const message = validateAmqpConfig(config(overrides));
    assert.ok(message, "expected a validation message");
    assert.match(message, expected);
  });
}

test("validate never lets a wrongly typed field through", () => {
  const loose = (fields: Record<string, unknown>) =>
    validateAmqpConfig({ ...config(), ...fields } as unknown as AmqpConfig);
  assert.match(loose({ url: 42 }) ?? "", /^destination\.url:/);
  assert.match(loose({ exchange: null }) ?? "", /^destination\.exchange:/);
  assert.match(loose({ routingKey: 7 }) ?? "", /^destination\.routingKey:/);
});

test("parseAmqpUrl: host, default ports, vhost", () => {
  const cases: [string, { host: string; port: number; tls: boolean; vhost: string }][] = [
    [
      "amqp://Broker.Example.COM",
      { host: "broker.example.com", port: 5672, tls: false, vhost: "/" },
    ],
    ["amqps://h.example.com/", { host: "h.example.com", port: 5671, tls: true, vhost: "/" }],
    [
      "amqp://h.example.com:1234/%2F",
      { host: "h.example.com", port: 1234, tls: false, vhost: "/" },
    ],
    ["amqp://[::1]/prod", { host: "::1", port: 5672, tls: false, vhost: "prod" }],
  ];
  for (const [url, expected] of cases) {
    const parsed = parseAmqpUrl(url);
    assert.ok(parsed.ok, url);
    const { host, port, tls, vhost } = parsed.value;
    assert.deepEqual({ host, port, tls, vhost }, expected, url);
  }
});

test("hosts: the broker's host, IPv6 without brackets", () => {
  assert.deepEqual(amqpHosts(config()), ["broker.example.com"]);
  assert.deepEqual(amqpHosts(config({ url: "amqps://u:p@[fd00::1]:5671/v" })), ["fd00::1"]);
  assert.deepEqual(amqpHosts(config({ url: "amqp://127.0.0.1" })), ["127.0.0.1"]);
  assert.deepEqual(amqpHosts(config({ url: "nonsense" })), []);
});

test("mask hides the password and keeps everything else", () => {
  assert.deepEqual(maskAmqpConfig(config({ url: "amqps://herald:s3cret@mq.example.com/prod" })), {
    type: "amqp",
    url: "amqps://herald:****@mq.example.com/prod",
    exchange: "herald",
  });
  assert.deepEqual(maskAmqpConfig(config({ url: "amqp://mq.example.com", routingKey: "k" })), {
    type: "amqp",
    url: "amqp://mq.example.com",
    exchange: "herald",
    routingKey: "k",
  });
});

test("address is one line without the password", () => {
  const url = "amqps://herald:s3cret@mq.example.com/prod";
  assert.equal(
    amqpAddress(config({ url })),
    "amqps://herald:****@mq.example.com/prod exchange herald",
  );
  assert.equal(
    amqpAddress(config({ url, routingKey: "orders.#" })),
    "amqps://herald:****@mq.example.com/prod exchange herald routing key orders.#",
  );
  assert.equal(
    amqpAddress(config({ url, exchange: "", routingKey: "orders" })),
    "amqps://herald:****@mq.example.com/prod queue orders",
  );
  for (const line of [amqpAddress(config({ url }))]) assert.ok(!line.includes("s3cret"));
});

const message: OutboundMessage = {
  eventId: "evt_1",
  eventType: "nfts.create.succeeded",
  attempt: 3,
  endpointId: "ep_1",
  body: '{"id":"evt_1"}',
  headers: {
    "webhook-id": "evt_1",
    "webhook-timestamp": "1700000000",
    "webhook-signature": "v1,abc",
    "svix-id": "evt_1",
    "x-webhook-attempt": "3",
    "x-webhook-correlation-id": "evt_1",
    "x-webhook-event-type": "nfts.create.succeeded",
  },
};

test("routing key: the event type unless the config names one", () => {
  assert.equal(routingKeyFor(config(), message), "nfts.create.succeeded");
  assert.equal(routingKeyFor(config({ routingKey: "fixed" }), message), "fixed");
  assert.equal(routingKeyFor(config({ routingKey: "" }), message), "");
});

test("publish options: persistent, mandatory, ids and the signing headers", () => {
  assert.deepEqual(publishOptions(message), {
    persistent: true,
    mandatory: true,
    contentType: "application/json",
    messageId: "evt_1",
    correlationId: "evt_1",
    type: "nfts.create.succeeded",
    timestamp: 1700000000,
    appId: "herald",
    headers: {
      "webhook-id": "evt_1",
      "webhook-timestamp": "1700000000",
      "webhook-signature": "v1,abc",
      "x-webhook-attempt": "3",
      "x-webhook-correlation-id": "evt_1",
      "x-webhook-event-type": "nfts.create.succeeded",
    },
  });
});

test("publish options fill attempt and correlation id when the headers lack them", () => {
  const options = publishOptions({ ...message, headers: {} });
  assert.equal(options.headers["x-webhook-attempt"], "3");
  assert.equal(options.headers["x-webhook-correlation-id"], "evt_1");
  assert.equal(options.headers["x-webhook-event-type"], "nfts.create.succeeded");
  assert.ok(Math.abs(options.timestamp - Date.now() / 1000) < 5);
});

test("channel closes read as what went wrong", () => {
  const cases: [{ code?: unknown; message: string }, string][] = [
    [
      {
        code: 404,
        message:
          "Channel closed by server: 404 (NOT-FOUND) with message \"NOT_FOUND - no exchange 'x' in vhost '/'\"",
      },
      'the exchange "x" does not exist on the broker',
    ],
    [
      {
        code: 403,
        message:
          'Channel closed by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - write access denied"',
      },
      'the broker refused access to exchange "x" (ACCESS_REFUSED - write access denied)',
    ],
    [
      {
        code: 406,
        message: 'Channel closed by server: 406 (PRECONDITION-FAILED) with message "too big"',
      },
      "the broker refused the message (too big)",
    ],
    [{ code: 541, message: "boom" }, "the broker closed the channel (boom)"],
  ];
  for (const [error, expected] of cases) assert.equal(describeChannelClose(error, "x"), expected);
});

test("unroutable messages name the exchange and routing key (or the queue)", () => {
  assert.equal(
    describeUnroutable("x", "a.b"),
    'no queue is bound to exchange "x" with routing key "a.b"',
  );
  assert.match(describeUnroutable("", "orders"), /^no queue named "orders" exists/);
});

test("connect errors read as what went wrong", () => {
  const err = (message: string, code?: string) => Object.assign(new Error(message), { code });
  const cases: [unknown, string | RegExp][] = [
    [err("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED"), "connection refused"],
    [err("connect ETIMEDOUT"), "timed out after 1500 ms"],
    [
      err("h resolves to 10.0.0.1: private", "ERR_SSRF_BLOCKED"),
      "blocked: h resolves to 10.0.0.1: private",
    ],
    [err("getaddrinfo ENOTFOUND nowhere.invalid", "ENOTFOUND"), /^could not resolve host/],
    [
      err(
        'Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused"',
      ),
      "the broker refused the connection (ACCESS_REFUSED - Login was refused)",
    ],
    [err("Socket closed abruptly during opening handshake"), /during the handshake/],
    [
      err("self-signed certificate", "DEPTH_ZERO_SELF_SIGNED_CERT"),
      /^DEPTH_ZERO_SELF_SIGNED_CERT: /,
    ],
  ];
  for (const [error, expected] of cases) {
    const text = describeConnectError(error, 1500);
    if (typeof expected === "string") assert.equal(text, expected);
    else assert.match(text, expected);
  }
});

test("a message in Original's body carries x-app-uid as a header too", () => {
  const options = publishOptions({
    ...message,
    eventType: "wallet.created",
    headers: { ...message.headers, "x-app-uid": "app_01" },
  });
  assert.equal(options.headers["x-app-uid"], "app_01");
  assert.equal(publishOptions(message).headers["x-app-uid"], undefined, "only when it has one");
});

import { createHash } from "node:crypto";
import { test } from "node:test";
import assert from "node:assert/strict";
import type { HostOwner } from "../../src/core/policy/ssrf-policy.js";
import type { OutboundMessage } from "../../src/destinations/destination.js";
import {
  awsSqsHostRegion,
  BATCH_ENTRY_ID,
  BATCH_MAX_BYTES,
  BATCH_MAX_ENTRIES,
  batchEntry,
  batchOutcomes,
  checkSqsSettings,
  classifySqsEntryError,
  classifySqsError,
  endpointOwner,
  isFifoQueueUrl,
  messageGroupId,
  payloadBytes,
  sendMessageInput,
  sqsHosts,
  type BatchEntryFailure,
  type SqsSettings,
} from "../../src/destinations/sqs/policy.js";

const AWS_QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";
const base: SqsSettings = {
  queueUrl: AWS_QUEUE,
  region: "us-east-1",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

test("checkSqsSettings accepts and rejects configs with messages naming the field", () => {
  const cases: [string, Partial<SqsSettings>, RegExp | null][] = [
    ["AWS queue", {}, null],
    ["FIFO queue", { queueUrl: `${AWS_QUEUE}.fifo` }, null],
    ["FIFO queue with a group", { queueUrl: `${AWS_QUEUE}.fifo`, messageGroup: "eventType" }, null],
    [
      "eu-west-3",
      { region: "eu-west-3", queueUrl: "https://sqs.eu-west-3.amazonaws.com/123456789012/q" },
      null,
    ],
    [
      "GovCloud",
      {
        region: "us-gov-west-1",
        queueUrl: "https://sqs.us-gov-west-1.amazonaws.com/123456789012/q",
      },
      null,
    ],
    [
      "China",
      { region: "cn-north-1", queueUrl: "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q" },
      null,
    ],
    [
      "legacy regional host",
      { region: "eu-west-1", queueUrl: "https://eu-west-1.queue.amazonaws.com/123456789012/q" },
      null,
    ],
    ["legacy global host", { queueUrl: "https://queue.amazonaws.com/123456789012/q" }, null],
    [
      "custom endpoint",
      { endpoint: "http://127.0.0.1:4566", queueUrl: "http://127.0.0.1:4566/000000000000/q" },
      null,
    ],
    [
      "custom endpoint with another queue host",
      {
        endpoint: "http://localhost:4566",
        queueUrl: "http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/q.fifo",
      },
      null,
    ],
    ["bad region", { region: "US-EAST-1" }, /^destination\.region must be an AWS region/],
    ["region typo", { region: "us-east" }, /^destination\.region/],
    [
      "not a URL",
      { queueUrl: "orders" },
      /^destination\.queueUrl must be an absolute URL such as https:\/\/sqs\.us-east-1/,
    ],
    ["ftp URL", { queueUrl: "ftp://sqs.us-east-1.amazonaws.com/1/q" }, /queueUrl must use https/],
    [
      "not an AWS host",
      { queueUrl: "https://example.com/123456789012/orders" },
      /^destination\.queueUrl must be an SQS queue URL such as https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/orders; example\.com is not an AWS SQS host/,
    ],
    [
      "look-alike host",
      { queueUrl: "https://sqs.us-east-1.amazonaws.com.evil.com/123456789012/q" },
      /is not an AWS SQS host/,
    ],
    [
      "China host for a non-China region",
      { queueUrl: "https://sqs.us-east-1.amazonaws.com.cn/123456789012/q" },
      /is not an AWS SQS host/,
    ],
    [
      "http to AWS",
      { queueUrl: "http://sqs.us-east-1.amazonaws.com/123456789012/q" },
      /\(https:\/\/, not http:\/\/\)/,
    ],
    [
      "no account id",
      { queueUrl: "https://sqs.us-east-1.amazonaws.com/orders" },
      /the path is \/<12-digit account id>\/<queue name>/,
    ],
    ["no path", { queueUrl: "https://sqs.us-east-1.amazonaws.com/" }, /must be an SQS queue URL/],
    [
      "region mismatch",
      { region: "eu-west-1" },
      /^destination\.queueUrl is a queue in us-east-1 but destination\.region is eu-west-1$/,
    ],
    [
      "queue name with a dot",
      { queueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/my.queue" },
      /names the queue "my\.queue": a queue name is 1 to 80 characters/,
    ],
    [
      "queue name too long",
      { queueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${"q".repeat(81)}` },
      /a queue name is 1 to 80 characters/,
    ],
    [
      "FIFO name too long",
      { queueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${"q".repeat(76)}.fifo` },
      /names the FIFO queue/,
    ],
    [
      "80-character FIFO name",
      { queueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${"q".repeat(75)}.fifo` },
      null,
    ],
    ["query string", { queueUrl: `${AWS_QUEUE}?x=1` }, /queueUrl must not have a query string/],
    [
      "credentials in the URL",
      { queueUrl: "https://a:b@sqs.us-east-1.amazonaws.com/123456789012/q" },
      /queueUrl must not contain a username or password/,
    ],
    ["endpoint not a URL", { endpoint: "localhost:4566" }, /^destination\.endpoint must use https/],
    ["endpoint garbage", { endpoint: "::" }, /^destination\.endpoint must be an absolute URL/],
    [
      "endpoint with credentials",
      { endpoint: "http://u:p@localhost:4566" },
      /^destination\.endpoint must not contain a username or password/,
    ],
    [
      "messageGroup on a standard queue",
      { messageGroup: "endpoint" },
      /^destination\.messageGroup applies only to FIFO queues .*; remove it for orders$/,
    ],
    [
      "unknown messageGroup",
      { queueUrl: `${AWS_QUEUE}.fifo`, messageGroup: "tenant" as never },
      /^destination\.messageGroup must be one of endpoint, collection, eventType$/,
    ],
    ["access key with spaces", { accessKeyId: "AKIA 123" }, /^destination\.accessKeyId must be/],
    [
      "secret with a newline",
      { secretAccessKey: "abc\n" },
      /^destination\.secretAccessKey must be an AWS secret access key/,
    ],
  ];
  for (const [name, change, expected] of cases) {
    const result = checkSqsSettings({ ...base, ...change });
    if (expected === null) assert.equal(result, null, name);
    else assert.match(result ?? "(accepted)", expected, name);
  }
});

test("awsSqsHostRegion recognises only AWS's SQS hosts", () => {
  const cases: [string, string | null][] = [
    ["sqs.us-east-1.amazonaws.com", "us-east-1"],
    ["SQS.EU-WEST-3.AMAZONAWS.COM", "eu-west-3"],
    ["sqs-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"],
    ["sqs.cn-north-1.amazonaws.com.cn", "cn-north-1"],
    ["cn-northwest-1.queue.amazonaws.com.cn", "cn-northwest-1"],
    ["ap-southeast-2.queue.amazonaws.com", "ap-southeast-2"],
    ["queue.amazonaws.com", "us-east-1"],
    ["sqs.cn-north-1.amazonaws.com", null],
    ["sqs.us-east-1.amazonaws.com.cn", null],
    ["ec2-10-0-0-1.compute-1.amazonaws.com", null],
    ["vpce-1a2b.sqs.us-east-1.vpce.amazonaws.com", null],
    ["s3.us-east-1.amazonaws.com", null],
    ["sqs.us-east-1.amazonaws.com.evil.com", null],
    ["sqs.not-a-region.amazonaws.com", null],
    ["localhost", null],
    ["127.0.0.1", null],
  ];
  for (const [host, region] of cases) assert.equal(awsSqsHostRegion(host), region, host);
});

test("sqsHosts names the custom endpoint's host; without one the SDK picks AWS's", () => {
  const cases: [Partial<SqsSettings>, string[]][] = [
    [{}, []],
    [{ queueUrl: "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q" }, []],
    [{ endpoint: "http://127.0.0.1:4566", queueUrl: "http://127.0.0.1:4566/0/q" }, ["127.0.0.1"]],
    [{ endpoint: "https://SQS.Internal.Example:8443" }, ["sqs.internal.example"]],
    [{ endpoint: "http://[::1]:4566" }, ["::1"]],
    // Nothing is exempt from the guard: an AWS host as endpoint is checked too.
    [{ endpoint: "https://sqs.us-east-1.amazonaws.com" }, ["sqs.us-east-1.amazonaws.com"]],
    [
      { endpoint: "https://vpce-1a2b.sqs.us-east-1.vpce.amazonaws.com" },
      ["vpce-1a2b.sqs.us-east-1.vpce.amazonaws.com"],
    ],
    // The queue URL's host is never dialed (the SDK sends to the region's endpoint).
    [{ queueUrl: "https://example.com/123456789012/q" }, []],
    [{ endpoint: "not a url" }, []],
  ];
  for (const [change, hosts] of cases) {
    assert.deepEqual(sqsHosts({ ...base, ...change }), hosts, JSON.stringify(change));
  }
});

test("endpointOwner: AWS's rule when the SDK picks the host or the endpoint is AWS's", () => {
  const cases: [Partial<SqsSettings>, HostOwner][] = [
    [{}, "aws"],
    [{ region: "us-iso-east-1" }, "aws"],
    [{ endpoint: "https://sqs.us-east-1.amazonaws.com" }, "aws"],
    [{ endpoint: "https://sqs-fips.us-gov-west-1.amazonaws.com" }, "aws"],
    [{ endpoint: "http://127.0.0.1:4566" }, "tenant"],
    [{ endpoint: "https://vpce-1a2b.sqs.us-east-1.vpce.amazonaws.com" }, "tenant"],
    [{ endpoint: "https://sqs.us-east-1.amazonaws.com.evil.example" }, "tenant"],
  ];
  for (const [change, owner] of cases) {
    assert.equal(endpointOwner({ ...base, ...change }), owner, JSON.stringify(change));
  }
});

const message: OutboundMessage = {
  eventId: "evt_01",
  eventType: "nfts.create.succeeded",
  attempt: 2,
  endpointId: "ep_01",
  body: '{"type":"nfts.create.succeeded","data":{"name":"Ünïcode ✓","collection":{"id":"col_01"}}}',
  headers: {
    "webhook-id": "evt_01",
    "webhook-timestamp": "1700000000",
    "webhook-signature": "v1,abc v1,def",
    "svix-id": "evt_01",
    "svix-timestamp": "1700000000",
    "svix-signature": "v1,abc v1,def",
    "x-webhook-attempt": "2",
    "x-webhook-correlation-id": "evt_01",
    "x-webhook-event-type": "nfts.create.succeeded",
  },
};

test("sendMessageInput carries the body as is and six string attributes", () => {
  const input = sendMessageInput(base, message);
  assert.equal(input.QueueUrl, AWS_QUEUE);
  assert.equal(input.MessageBody, message.body);
  assert.deepEqual(input.MessageAttributes, {
    "webhook-id": { DataType: "String", StringValue: "evt_01" },
    "webhook-timestamp": { DataType: "String", StringValue: "1700000000" },
    "webhook-signature": { DataType: "String", StringValue: "v1,abc v1,def" },
    "x-webhook-attempt": { DataType: "String", StringValue: "2" },
    "x-webhook-correlation-id": { DataType: "String", StringValue: "evt_01" },
    "x-webhook-event-type": { DataType: "String", StringValue: "nfts.create.succeeded" },
  });
  assert.equal(input.MessageGroupId, undefined);
  assert.equal(input.MessageDeduplicationId, undefined);
});

test("sendMessageInput skips empty attributes (SQS rejects them)", () => {
  const headers = { ...message.headers, "x-webhook-correlation-id": "" };
  delete (headers as Record<string, string | undefined>)["x-webhook-attempt"];
  const input = sendMessageInput(base, { ...message, headers });
  assert.deepEqual(Object.keys(input.MessageAttributes).sort(), [
    "webhook-id",
    "webhook-signature",
    "webhook-timestamp",
    "x-webhook-event-type",
  ]);
});

const inCollection = (id: string) => JSON.stringify({ data: { collection: { id } } });

test("FIFO queues get the event id as deduplication id and a group per messageGroup", () => {
  const fifo = { ...base, queueUrl: `${AWS_QUEUE}.fifo` };
  const cases: [SqsSettings["messageGroup"], Partial<OutboundMessage>, string][] = [
    [undefined, {}, "ep_01"],
    ["endpoint", {}, "ep_01"],
    ["collection", {}, "col_01"],
    ["collection", { body: "{}" }, "ep_01"],
    ["eventType", {}, "nfts.create.succeeded"],
    // Keys SQS would refuse (spaces, non-ASCII, > 128 characters) become their SHA-256.
    [
      "collection",
      { body: inCollection("has space") },
      "47b5c36fc0b017ba576f10f988d0cbcbc78256dab5de0e4689980898e7c715e3",
    ],
    ["collection", { body: inCollection("x".repeat(128)) }, "x".repeat(128)],
    [
      "collection",
      { body: inCollection("x".repeat(129)) },
      createHash("sha256").update("x".repeat(129)).digest("hex"),
    ],
  ];
  for (const [messageGroup, change, group] of cases) {
    const input = sendMessageInput({ ...fifo, messageGroup }, { ...message, ...change });
    assert.equal(input.MessageGroupId, group, `${messageGroup}`);
    assert.equal(input.MessageDeduplicationId, "evt_01");
    assert.equal(messageGroupId(messageGroup ?? "endpoint", { ...message, ...change }), group);
  }
  assert.equal(isFifoQueueUrl(fifo.queueUrl), true);
  assert.equal(isFifoQueueUrl(AWS_QUEUE), false);
});

/** An SDK service error as @aws-sdk/client-sqs throws it. */
function serviceError(
  name: string,
  status: number,
  extra: { Code?: string; fault?: "client" | "server"; attempts?: number; message?: string } = {},
) {
  return Object.assign(new Error(extra.message ?? `${name} happened`), {
    name,
    ...(extra.Code ? { Code: extra.Code } : {}),
    $fault: extra.fault ?? (status >= 500 ? "server" : "client"),
    $metadata: { httpStatusCode: status, attempts: extra.attempts ?? 1 },
  });
}

const errno = (code: string, message: string, more: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...more });

test("classifySqsError turns SDK and network errors into statusCode and a clear message", () => {
  const queueUrl = "https://sqs.us-east-1.amazonaws.com/123456789012/orders";
  const cases: [string, unknown, number | null, RegExp][] = [
    [
      "throttling",
      serviceError("ThrottlingException", 400, { attempts: 3, message: "Rate exceeded" }),
      400,
      /^SQS throttled the request \(ThrottlingException: Rate exceeded\): tried 3 times$/,
    ],
    [
      "query-protocol throttling code",
      serviceError("RequestThrottled", 403, { Code: "RequestThrottled" }),
      403,
      /^SQS throttled the request \(RequestThrottled/,
    ],
    ["KMS throttling", serviceError("KmsThrottled", 400), 400, /^SQS throttled the request/],
    ["429", serviceError("Unknown", 429), 429, /^SQS throttled the request/],
    ...[
      "AccessDenied",
      "AccessDeniedException",
      "InvalidClientTokenId",
      "SignatureDoesNotMatch",
      "UnrecognizedClientException",
    ].map((name): [string, unknown, number | null, RegExp] => [
      name,
      serviceError(name, name === "AccessDenied" ? 403 : 400),
      name === "AccessDenied" ? 403 : 400,
      new RegExp(
        `^SQS refused the credentials \\(${name}: ${name} happened\\): check accessKeyId, secretAccessKey and the queue policy$`,
      ),
    ]),
    [
      "missing queue (JSON protocol)",
      serviceError("QueueDoesNotExist", 400, { Code: "AWS.SimpleQueueService.NonExistentQueue" }),
      400,
      /^the queue does not exist: https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/orders$/,
    ],
    [
      "missing queue (query protocol)",
      serviceError("AWS.SimpleQueueService.NonExistentQueue", 400),
      400,
      /^the queue does not exist: /,
    ],
    ["KMS key", serviceError("KmsDisabled", 400), 400, /^SQS could not use the queue's KMS key/],
    [
      "500",
      serviceError("InternalError", 500, { attempts: 3, message: "We encountered an error" }),
      500,
      /^SQS failed \(500 InternalError: We encountered an error\): tried 3 times$/,
    ],
    ["503", serviceError("ServiceUnavailable", 503), 503, /^SQS failed \(503 ServiceUnavailable/],
    [
      "bad parameter",
      serviceError("InvalidParameterValue", 400, { message: "Value too long" }),
      400,
      /^SQS rejected the request \(400 InvalidParameterValue: Value too long\)$/,
    ],
    ["410 is never gone", serviceError("Gone", 410), null, /^SQS rejected the request \(410 Gone/],
    [
      "2xx that is not SQS",
      serviceError("SyntaxError", 200, { message: "Unexpected token <" }),
      null,
      /^the endpoint answered 200 but not as SQS does/,
    ],
    [
      "HTML error page",
      serviceError("SyntaxError", 404, {
        message: `Unexpected token '<'\n  Deserialization error: to see the raw response...`,
      }),
      404,
      /^the endpoint answered 404 but not as SQS does \(Unexpected token '<'\)$/,
    ],
    [
      "SSRF guard",
      Object.assign(new Error("localhost resolves to 127.0.0.1: loopback"), {
        code: "ERR_SSRF_BLOCKED",
      }),
      null,
      /^blocked: localhost resolves to 127\.0\.0\.1: loopback$/,
    ],
    [
      "connection refused",
      errno("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:9", {
        address: "127.0.0.1",
        port: 9,
      }),
      null,
      /^connection refused by 127\.0\.0\.1:9$/,
    ],
    [
      "connection refused on every address",
      Object.assign(new AggregateError([errno("ECONNREFUSED", "x", { address: "::1", port: 9 })]), {
        code: "ECONNREFUSED",
      }),
      null,
      /^connection refused by ::1:9$/,
    ],
    [
      "reset, renamed TimeoutError by the SDK",
      Object.assign(errno("ECONNRESET", "socket hang up"), { name: "TimeoutError" }),
      null,
      /^connection reset \(socket hang up\)$/,
    ],
    [
      "abort",
      Object.assign(new Error("Request aborted"), { name: "AbortError" }),
      null,
      /^timed out after 1500 ms$/,
    ],
    [
      "connect timeout",
      Object.assign(new Error("did not establish a connection"), { name: "TimeoutError" }),
      null,
      /^timed out \(did not establish a connection\)$/,
    ],
    [
      "DNS",
      errno("ENOTFOUND", "getaddrinfo ENOTFOUND sqs.example"),
      null,
      /^could not resolve the SQS host/,
    ],
    [
      "TLS",
      errno("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify"),
      null,
      /^TLS error \(UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    ],
    [
      "MD5 mismatch",
      new Error("InvalidChecksumError"),
      null,
      /^the MD5 of the message body SQS answered with does not match/,
    ],
    [
      "MD5 mismatch in a batch",
      new Error("Invalid MD5 checksum on messages: 7b1c9e2a, 0d4f1a3b"),
      null,
      /^the MD5 of the message body SQS answered with does not match/,
    ],
    ["anything else", new Error("boom"), null, /^boom$/],
    ["not even an Error", "weird", null, /^weird$/],
  ];
  for (const [name, error, statusCode, text] of cases) {
    const result = classifySqsError(error, { queueUrl, timeoutMs: 1500 });
    assert.equal(result.statusCode, statusCode, name);
    assert.match(result.error, text, name);
  }
});

test("batch limits: 10 entries and 256 KiB of bodies and attributes, counted in UTF-8 bytes", () => {
  assert.equal(BATCH_MAX_ENTRIES, 10);
  assert.equal(BATCH_MAX_BYTES, 262_144);
  const cases: [string, Parameters<typeof payloadBytes>[0], number][] = [
    ["empty", { MessageBody: "", MessageAttributes: {} }, 0],
    ["ASCII body", { MessageBody: "hello", MessageAttributes: {} }, 5],
    ["non-ASCII body", { MessageBody: "Ü✓🦄", MessageAttributes: {} }, 2 + 3 + 4],
    [
      "attribute name, type and value",
      {
        MessageBody: "b",
        MessageAttributes: { "webhook-id": { DataType: "String", StringValue: "évt" } },
      },
      1 + 10 + 6 + 4,
    ],
  ];
  for (const [name, input, bytes] of cases) assert.equal(payloadBytes(input), bytes, name);
  const input = sendMessageInput(base, message);
  const attributes = Object.entries(input.MessageAttributes).reduce(
    (sum, [name, a]) => sum + name.length + a.DataType.length + a.StringValue.length,
    0,
  );
  // The body has two 2-byte characters and one 3-byte one; the attributes are ASCII.
  assert.equal(payloadBytes(input), message.body.length + 1 + 1 + 2 + attributes);
  assert.equal(payloadBytes(input), Buffer.byteLength(message.body) + attributes);
});

test("batchEntry: the SendMessage input as is, with the index as Id", () => {
  const standard = sendMessageInput(base, message);
  assert.deepEqual(batchEntry(standard, 3), {
    Id: "3",
    MessageBody: standard.MessageBody,
    MessageAttributes: standard.MessageAttributes,
  });
  const fifo = sendMessageInput(
    { ...base, queueUrl: `${AWS_QUEUE}.fifo`, messageGroup: "eventType" },
    message,
  );
  assert.deepEqual(batchEntry(fifo, 0), {
    Id: "0",
    MessageBody: fifo.MessageBody,
    MessageAttributes: fifo.MessageAttributes,
    MessageDeduplicationId: "evt_01",
    MessageGroupId: "nfts.create.succeeded",
  });
  const ids = Array.from({ length: BATCH_MAX_ENTRIES }, (_, i) => batchEntry(standard, i).Id);
  assert.equal(new Set(ids).size, BATCH_MAX_ENTRIES);
  for (const id of ids) assert.match(id, BATCH_ENTRY_ID);
});

test("classifySqsEntryError: a Failed[] entry as classifySqsError classifies a whole call", () => {
  const queueUrl = AWS_QUEUE;
  const cases: [string, BatchEntryFailure, number, string][] = [
    [
      "sender's fault",
      {
        Id: "2",
        SenderFault: true,
        Code: "InvalidParameterValue",
        Message:
          "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
      },
      400,
      "SQS rejected the message (InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.)",
    ],
    [
      "SQS's fault",
      {
        Id: "0",
        SenderFault: false,
        Code: "InternalError",
        Message: "We encountered an internal error",
      },
      500,
      "SQS failed to store the message (InternalError: We encountered an internal error)",
    ],
    [
      "unavailable",
      { Id: "0", SenderFault: false, Code: "ServiceUnavailable", Message: "Try again" },
      500,
      "SQS failed to store the message (ServiceUnavailable: Try again)",
    ],
    [
      "KMS throttling (SQS's fault)",
      { Id: "1", SenderFault: false, Code: "KMS.ThrottlingException", Message: "Rate exceeded" },
      500,
      "SQS throttled the message (KMS.ThrottlingException: Rate exceeded)",
    ],
    [
      "throttling",
      { Id: "1", SenderFault: true, Code: "RequestThrottled", Message: "slow down" },
      400,
      "SQS throttled the message (RequestThrottled: slow down)",
    ],
    [
      "KMS key refused",
      { Id: "1", SenderFault: true, Code: "KMS.AccessDeniedException", Message: "not allowed" },
      400,
      "SQS refused the credentials (KMS.AccessDeniedException: not allowed): check accessKeyId, secretAccessKey and the queue policy",
    ],
    [
      "KMS key disabled",
      { Id: "1", SenderFault: true, Code: "KmsDisabled", Message: "key disabled" },
      400,
      "SQS could not use the queue's KMS key (KmsDisabled: key disabled)",
    ],
    [
      "missing queue",
      { Id: "1", SenderFault: true, Code: "AWS.SimpleQueueService.NonExistentQueue" },
      400,
      `the queue does not exist: ${AWS_QUEUE}`,
    ],
    [
      "no message",
      { Id: "1", SenderFault: true, Code: "InvalidMessageContents" },
      400,
      "SQS rejected the message (InvalidMessageContents)",
    ],
    [
      "message repeats the code",
      {
        Id: "1",
        SenderFault: true,
        Code: "InvalidMessageContents",
        Message: "InvalidMessageContents",
      },
      400,
      "SQS rejected the message (InvalidMessageContents)",
    ],
    [
      "no code",
      { Id: "1", SenderFault: true, Message: "Something is off\n  more lines" },
      400,
      "SQS rejected the message (Something is off)",
    ],
    ["nothing said", { Id: "1" }, 400, "SQS rejected the message (no error code)"],
  ];
  for (const [name, entry, statusCode, error] of cases) {
    assert.deepEqual(classifySqsEntryError(entry, { queueUrl }), { statusCode, error }, name);
  }
});

test("batchOutcomes: each entry's MessageId or failure, by Id", () => {
  const queueUrl = AWS_QUEUE;
  const missing = {
    statusCode: null,
    error:
      "the endpoint answered SendMessageBatch without a result for this message, not as SQS does",
  };
  const refused = {
    statusCode: 400,
    error: "SQS rejected the message (InvalidParameterValue: too long)",
  };
  const bad = { Id: "1", SenderFault: true, Code: "InvalidParameterValue", Message: "too long" };
  const cases: [string, Parameters<typeof batchOutcomes>[0], number, unknown[]][] = [
    [
      "all stored, in any order",
      {
        Successful: [
          { Id: "1", MessageId: "m1" },
          { Id: "0", MessageId: "m0" },
        ],
      },
      2,
      [{ messageId: "m0" }, { messageId: "m1" }],
    ],
    [
      "one refused",
      {
        Successful: [
          { Id: "0", MessageId: "m0" },
          { Id: "2", MessageId: "m2" },
        ],
        Failed: [bad],
      },
      3,
      [{ messageId: "m0" }, refused, { messageId: "m2" }],
    ],
    ["all refused", { Failed: [{ ...bad, Id: "0" }, bad] }, 2, [refused, refused]],
    ["no MessageId", { Successful: [{ Id: "0" }] }, 1, [{ messageId: "(none)" }]],
    [
      "an entry left out",
      { Successful: [{ Id: "0", MessageId: "m0" }] },
      2,
      [{ messageId: "m0" }, missing],
    ],
    ["an empty answer", {}, 2, [missing, missing]],
    [
      "Ids that are not ours",
      {
        Successful: [
          { Id: "2", MessageId: "x" },
          { Id: "01", MessageId: "x" },
          { Id: "-1", MessageId: "x" },
          { Id: "0.0", MessageId: "x" },
          { MessageId: "x" },
        ],
      },
      2,
      [missing, missing],
    ],
    // Said to have failed and to be stored: failed, so it is retried (at-least-once).
    ["both", { Successful: [{ Id: "1", MessageId: "m1" }], Failed: [bad] }, 2, [missing, refused]],
    [
      "said twice",
      {
        Successful: [
          { Id: "0", MessageId: "a" },
          { Id: "0", MessageId: "b" },
        ],
      },
      1,
      [{ messageId: "a" }],
    ],
  ];
  for (const [name, answer, count, outcomes] of cases) {
    assert.deepEqual(batchOutcomes(answer, count, { queueUrl }), outcomes, name);
  }
});

test("a message in Original's body carries x-app-uid as an attribute too", () => {
  const original = {
    ...message,
    eventType: "asset.minted",
    headers: { ...message.headers, "x-app-uid": "app_01" },
  };
  const input = sendMessageInput(base, original);
  assert.deepEqual(input.MessageAttributes["x-app-uid"], {
    DataType: "String",
    StringValue: "app_01",
  });
  assert.ok(Object.keys(input.MessageAttributes).length <= 10, "SQS takes 10 attributes at most");
});

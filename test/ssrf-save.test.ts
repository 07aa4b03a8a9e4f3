// The SSRF check when an endpoint is saved, with DNS stubbed inside each test: the host judged
// is the one that will be connected to (for SQS on AWS, the endpoint the SDK picks for the
// region), and a refusal says the name resolves to a blocked address without saying which.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { parseAllowList } from "../src/core/policy/ssrf-policy.js";
import { DestinationRegistry } from "../src/destinations/registry.js";
import { startTestHerald, type TestHerald } from "./helpers/herald.js";
import { awsSdkEnvironment, stubDns } from "./helpers/stub-network.js";

const NEVER = "never allowed for AWS's own hosts";
const ADD_RANGE = "add its range to HERALD_ALLOW_PRIVATE_NETWORKS to allow it";

const sqsOnAws = (region: string) => ({
  type: "sqs",
  queueUrl: `https://sqs.${region}.amazonaws.com/123456789012/orders`,
  region,
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
});

// [destination, answer (null: does not resolve), allow-list, reason (null: accepted)]
const CASES: [Record<string, unknown>, string[] | null, string, string | null][] = [
  [
    sqsOnAws("us-iso-east-1"),
    ["127.0.0.1"],
    "127.0.0.0/8",
    `destination.region: sqs.us-iso-east-1.c2s.ic.gov resolves to a blocked address (a loopback address, ${NEVER})`,
  ],
  [
    sqsOnAws("us-isob-east-1"),
    ["169.254.169.254"],
    "",
    `destination.region: sqs.us-isob-east-1.sc2s.sgov.gov resolves to a blocked address (a link-local address, ${NEVER})`,
  ],
  [
    sqsOnAws("eu-west-3"),
    ["10.0.1.5"],
    "",
    `destination.region: sqs.eu-west-3.amazonaws.com resolves to a blocked address (a private address); ${ADD_RANGE}`,
  ],
  [sqsOnAws("eu-west-3"), ["10.0.1.5"], "10.0.0.0/8", null],
  [sqsOnAws("eu-west-3"), ["52.46.128.10"], "", null],
  // AWS's host not resolving now is not the tenant's to fix; the sockets are guarded anyway.
  [sqsOnAws("us-iso-east-1"), null, "", null],
  [
    { ...sqsOnAws("us-east-1"), endpoint: "http://sqs-emulator.internal:4566" },
    ["127.0.0.1"],
    "",
    `destination.endpoint: sqs-emulator.internal resolves to a blocked address (a loopback address); ${ADD_RANGE}`,
  ],
  [
    { ...sqsOnAws("us-east-1"), endpoint: "http://sqs-emulator.internal:4566" },
    ["127.0.0.1"],
    "127.0.0.0/8",
    null,
  ],
  [
    { ...sqsOnAws("us-east-1"), endpoint: "https://sqs.us-east-1.amazonaws.com" },
    ["127.0.0.1"],
    "127.0.0.0/8",
    `destination.endpoint: sqs.us-east-1.amazonaws.com resolves to a blocked address (a loopback address, ${NEVER})`,
  ],
  [
    { type: "https", url: "https://hooks.internal.example/webhook" },
    ["93.184.215.14", "10.0.0.7"],
    "",
    `destination.url: hooks.internal.example resolves to a blocked address (a private address); ${ADD_RANGE}`,
  ],
  [
    { type: "amqp", url: "amqps://herald:pw@broker.internal.example/prod", exchange: "webhooks" },
    ["fd00::7"],
    "",
    `destination: broker.internal.example resolves to a blocked address (a unique-local address); ${ADD_RANGE}`,
  ],
];

for (const [destination, answer, allowText, reason] of CASES) {
  const where = String(destination.endpoint ?? destination.url ?? destination.region);
  test(`saving ${destination.type} ${where} resolving to ${answer ?? "nothing"} with allow-list "${allowText}"`, async (t) => {
    awsSdkEnvironment(t, {});
    stubDns(t, () => answer);
    const registry = new DestinationRegistry(parseAllowList(allowText));
    const verdict = await registry.check(destination as { type: string });
    if (reason === null) return assert.equal(verdict.ok, true, JSON.stringify(verdict));
    assert.deepEqual(verdict, { ok: false, reason });
  });
}

let h: TestHerald;
before(async () => {
  h = await startTestHerald();
});
after(() => h.stop());

test("the API answers 400 for a blocked destination, without the address it resolved to", async (t) => {
  awsSdkEnvironment(t, {});
  // The test server allow-lists loopback: AWS's host is refused there all the same.
  const answers: Record<string, string> = {
    "sqs.us-iso-east-1.c2s.ic.gov": "127.0.0.1",
    "hooks.internal.example": "10.0.0.7",
  };
  stubDns(t, (host) => (answers[host] ? [answers[host]] : null));
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { destination: sqsOnAws("us-iso-east-1") },
      /^destination\.region: sqs\.us-iso-east-1\.c2s\.ic\.gov resolves to a blocked address \(a loopback address/,
    ],
    [
      { url: "https://hooks.internal.example/webhook" },
      /hooks\.internal\.example resolves to a blocked address \(a private address\)/,
    ],
  ];
  for (const [body, message] of cases) {
    const res = await h.api("POST", "/webhooks/endpoints", body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.message, message);
    for (const address of Object.values(answers)) {
      assert.ok(!res.body.message.includes(address), res.body.message);
    }
  }
});

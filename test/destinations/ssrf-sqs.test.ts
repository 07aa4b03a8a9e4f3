// The SSRF guard on the SQS destination's real sockets: the AWS SDK (real client) dials the
// endpoint it picks for the region's partition, not the queue URL's host; DNS is stubbed inside
// each test and every connection attempt is recorded.
import { test, before, after, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { parseAllowList } from "../../src/core/policy/ssrf-policy.js";
import type { OutboundMessage } from "../../src/destinations/destination.js";
import { createGuardedLookup } from "../../src/destinations/guarded-lookup.js";
import { sqsDestination, type SqsConfig } from "../../src/destinations/sqs/sqs-destination.js";
import { SQS_TEST_CREDENTIALS, startSqsServer, type SqsTestServer } from "../helpers/sqs-server.js";
import {
  awsSdkEnvironment,
  listenIfPossible,
  recordConnections,
  stubDns,
} from "../helpers/stub-network.js";

const NONE = parseAllowList("");
const LOOPBACK = parseAllowList("127.0.0.0/8,::1/128");
const NEVER = "never allowed for AWS's own hosts";
const QUEUE = "herald-ssrf";

let sqs: SqsTestServer;
before(async () => {
  sqs = await startSqsServer({ queues: [QUEUE] });
});
after(() => sqs.stop());

const message = (): OutboundMessage => ({
  eventId: `evt_ssrf_${Date.now()}`,
  eventType: "nfts.create.succeeded",
  attempt: 1,
  endpointId: "ep_ssrf",
  body: '{"type":"nfts.create.succeeded"}',
  headers: { "webhook-id": "evt_ssrf" },
});

/** An SQS destination on AWS: no custom endpoint, so the SDK picks the host from the region. */
const onAws = (region: string): SqsConfig => ({
  type: "sqs",
  queueUrl: `https://sqs.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}/123456789012/orders`,
  region,
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
});

/** Delivers once through a fresh sender, its DNS answering every name with `addresses`. */
async function deliverResolvingTo(
  t: TestContext,
  config: SqsConfig,
  addresses: string[],
  allow = LOOPBACK,
) {
  const asked = stubDns(t, () => addresses);
  const attempts = recordConnections(t);
  const sender = sqsDestination.open(allow);
  try {
    const result = await sender.deliver(config, message(), 5_000);
    return { result, asked, attempts };
  } finally {
    await sender.close();
  }
}

// [region, FIPS, dual-stack, the host the SDK dials]
const SDK_HOSTS: [string, boolean, boolean, string][] = [
  ["us-iso-east-1", false, false, "sqs.us-iso-east-1.c2s.ic.gov"],
  ["us-isob-east-1", false, false, "sqs.us-isob-east-1.sc2s.sgov.gov"],
  ["eu-isoe-west-1", false, false, "sqs.eu-isoe-west-1.cloud.adc-e.uk"],
  ["us-isof-south-1", false, false, "sqs.us-isof-south-1.csp.hci.ic.gov"],
  ["us-iso-east-1", true, false, "sqs-fips.us-iso-east-1.c2s.ic.gov"],
  ["us-isof-south-1", false, true, "sqs.us-isof-south-1.api.aws.hci.ic.gov"],
  ["cn-north-1", false, false, "sqs.cn-north-1.amazonaws.com.cn"],
  ["cn-north-1", false, true, "sqs.cn-north-1.api.amazonwebservices.com.cn"],
  ["us-east-1", true, false, "sqs-fips.us-east-1.amazonaws.com"],
  ["us-east-1", false, true, "sqs.us-east-1.api.aws"],
  ["us-gov-west-1", true, true, "sqs-fips.us-gov-west-1.api.aws"],
];

for (const [region, fips, dualStack, host] of SDK_HOSTS) {
  const mode = [fips && "FIPS", dualStack && "dual-stack"].filter(Boolean).join(", ");
  test(`${region}${mode ? ` (${mode})` : ""}: ${host} resolving to loopback is refused, even allow-listed; nothing connects`, async (t) => {
    awsSdkEnvironment(t, { fips, dualStack });
    const port443 = await listenIfPossible(443);
    t.after(() => port443?.close());
    const { result, asked, attempts } = await deliverResolvingTo(t, onAws(region), ["127.0.0.1"]);
    assert.deepEqual(attempts, [], "no connection was attempted");
    assert.deepEqual(result, {
      statusCode: null,
      error: `blocked: ${host} resolves to a blocked address (a loopback address, ${NEVER})`,
      retryAfter: null,
      responseBody: null,
    });
    assert.deepEqual(asked, [host], "the guard saw the host the SDK really dials");
    assert.equal(port443?.accepted() ?? 0, 0, "nothing reached 127.0.0.1:443");
  });
}

test("one loopback answer among public ones refuses AWS's host", async (t) => {
  awsSdkEnvironment(t, {});
  const run = await deliverResolvingTo(t, onAws("us-iso-east-1"), ["52.46.128.10", "127.0.0.1"]);
  assert.match(run.result.error ?? "", /^blocked: sqs\.us-iso-east-1\.c2s\.ic\.gov resolves to a/);
  assert.deepEqual(run.attempts, []);
});

// [answer, allow-list, the kind of range refused]: link-local (instance metadata) and
// unspecified addresses are never allowed to AWS's hosts; private ones only when allow-listed.
const AWS_REFUSALS: [string, string, string][] = [
  ["10.0.1.5", "", "a private address); add its range to HERALD_ALLOW_PRIVATE_NETWORKS"],
  ["10.0.1.5", "192.168.0.0/16", "a private address); add its range to"],
  ["169.254.169.254", "169.254.0.0/16", `a link-local address, ${NEVER})`],
  ["fe80::1", "fe80::/10", `a link-local address, ${NEVER})`],
  ["0.0.0.0", "0.0.0.0/0", `an unspecified address, ${NEVER})`],
  ["::ffff:127.0.0.1", "0.0.0.0/0,::/0", `a loopback address in IPv4-mapped form, ${NEVER})`],
];

for (const [address, allowText, kind] of AWS_REFUSALS) {
  test(`AWS's SQS host resolving to ${address} with allow-list "${allowText}" is refused`, async (t) => {
    awsSdkEnvironment(t, {});
    const allow = parseAllowList(allowText);
    const run = await deliverResolvingTo(t, onAws("eu-west-3"), [address], allow);
    const host = "sqs.eu-west-3.amazonaws.com";
    const error = run.result.error ?? "(delivered)";
    assert.ok(error.startsWith(`blocked: ${host} resolves to a blocked address (${kind}`), error);
    assert.ok(!error.includes(address), "the resolved address is not told");
    assert.deepEqual(run.attempts, []);
  });
}

test("AWS's host may resolve to an allow-listed private address (a VPC endpoint)", async (t) => {
  stubDns(t, () => ["10.0.1.5"]);
  const lookup = (allowText: string) =>
    new Promise<unknown>((resolve) =>
      createGuardedLookup(parseAllowList(allowText), "aws")(
        "sqs.eu-west-3.amazonaws.com",
        { all: true },
        (error, addresses) => resolve(error ? error.message : addresses),
      ),
    );
  assert.deepEqual(await lookup("10.0.0.0/8"), [{ address: "10.0.1.5", family: 4 }]);
  assert.match(String(await lookup("")), /resolves to a blocked address \(a private address\)/);
  // The same lookup never lets AWS's host reach loopback, allow-listed or not.
  stubDns(t, () => ["127.0.0.1"]);
  assert.match(String(await lookup("127.0.0.0/8")), /\(a loopback address, never allowed/);
});

test("a custom endpoint's name goes through the same guard: refused, or reached when allow-listed", async (t) => {
  const endpoint = `http://sqs-emulator.internal:${sqs.port}`;
  const config: SqsConfig = {
    type: "sqs",
    queueUrl: sqs.queueUrl(QUEUE),
    region: sqs.region,
    ...SQS_TEST_CREDENTIALS,
    endpoint,
  };
  const refused = await deliverResolvingTo(t, config, ["127.0.0.1"], NONE);
  assert.equal(
    refused.result.error,
    "blocked: sqs-emulator.internal resolves to a blocked address (a loopback address); add its range to HERALD_ALLOW_PRIVATE_NETWORKS to allow it",
  );
  assert.deepEqual(refused.attempts, []);

  const reached = await deliverResolvingTo(t, config, ["127.0.0.1"], LOOPBACK);
  assert.equal(reached.result.error, null);
  assert.ok(reached.asked.includes("sqs-emulator.internal"));
  assert.ok(reached.attempts.includes(`127.0.0.1:${sqs.port}`), reached.attempts.join(", "));
  assert.equal((await sqs.receive(sqs.queueUrl(QUEUE))).length, 1);
});

test("an IP-literal endpoint is judged before connecting", async (t) => {
  const config: SqsConfig = {
    type: "sqs",
    queueUrl: sqs.queueUrl(QUEUE),
    region: sqs.region,
    ...SQS_TEST_CREDENTIALS,
    endpoint: `http://[::ffff:127.0.0.1]:${sqs.port}`,
  };
  const run = await deliverResolvingTo(t, config, [], NONE);
  assert.match(run.result.error ?? "", /^blocked: ::ffff:7f00:1 is a loopback address/);
  assert.deepEqual(run.attempts, []);
});

import assert from "node:assert/strict";
import { createPublicKey, verify } from "node:crypto";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { connectConsumer, type BrokerConsumer } from "./helpers/amqp-broker.js";
import { startTestHerald, type TestHerald } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";
import {
  SQS_TEST_CREDENTIALS,
  SQS_TEST_REGION,
  startSqsServer,
  type SqsTestServer,
} from "./helpers/sqs-server.js";

// Endpoints created with "signing": "ed25519": Herald signs with v1a; a receiver verifies with
// node:crypto and nothing but the whpk_ public key the API shows. HTTPS, SQS and RabbitMQ.

let h: TestHerald;
before(async () => {
  h = await startTestHerald({ HERALD_DELIVERY_TIMEOUT_MS: "2000" });
});
after(async () => {
  await h.stop();
});

const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

/** The receiver's check, written here: one `v1a,` signature against one `whpk_` key. */
function verifiesWith(publicKey: string, signature: string, id: string, ts: string, body: string) {
  const [version, sig] = signature.split(",");
  if (version !== "v1a" || !sig) return false;
  const key = createPublicKey({
    key: Buffer.concat([SPKI_ED25519, Buffer.from(publicKey.slice("whpk_".length), "base64")]),
    format: "der",
    type: "spki",
  });
  return verify(null, Buffer.from(`${id}.${ts}.${body}`), key, Buffer.from(sig, "base64"));
}

interface Signed {
  id: string;
  timestamp: string;
  signatures: string[];
  body: string;
}

/** Which of `publicKeys` each signature verifies with (index, or -1). */
function verifiedBy(signed: Signed, publicKeys: string[]): number[] {
  return signed.signatures.map((s) =>
    publicKeys.findIndex((k) => verifiesWith(k, s, signed.id, signed.timestamp, signed.body)),
  );
}

function fromRequest(req: { headers: Record<string, unknown>; body: string }): Signed {
  return {
    id: String(req.headers["webhook-id"]),
    timestamp: String(req.headers["webhook-timestamp"]),
    signatures: String(req.headers["webhook-signature"]).split(" "),
    body: req.body,
  };
}

async function publish(type: string, data: unknown): Promise<string> {
  const res = await h.api("POST", "/events", { type, data });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

async function createEndpoint(body: Record<string, unknown>) {
  const res = await h.api("POST", "/webhooks/endpoints", body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

test("an ed25519 endpoint: whpk_ on create, get and list; a real delivery verifies with it", async () => {
  const receiver = await Receiver.start();
  try {
    const created = await createEndpoint({
      url: receiver.url + "/hook",
      eventTypes: ["ed.first"],
      signing: "ed25519",
    });
    assert.equal(created.signing, "ed25519");
    assert.match(created.publicKey, /^whpk_[A-Za-z0-9+/]{43}=$/);
    assert.match(created.secret, /^whsk_[A-Za-z0-9+/]{86}==$/);
    const got = (await h.api("GET", `/webhooks/endpoints/${created.id}`)).body;
    assert.equal(got.publicKey, created.publicKey);
    assert.equal(got.signing, "ed25519");
    assert.equal(got.secret, undefined, "the endpoint never shows its secret key");
    const listed = (await h.api("GET", "/webhooks/endpoints?limit=100")).body.data;
    assert.equal(listed.find((e: any) => e.id === created.id).publicKey, created.publicKey);
    const revealed = (await h.api("GET", `/webhooks/endpoints/${created.id}/secret`)).body;
    assert.deepEqual(revealed, { secret: created.secret, publicKey: created.publicKey });

    const eventId = await publish("ed.first", { tokenId: "42" });
    await receiver.waitFor(1);
    const req = receiver.requests[0]!;
    assert.equal(req.headers["webhook-id"], eventId);
    assert.match(String(req.headers["webhook-signature"]), /^v1a,[A-Za-z0-9+/]{86}==$/);
    const signed = fromRequest(req);
    assert.deepEqual(verifiedBy(signed, [created.publicKey]), [0]);
    assert.deepEqual(
      verifiedBy({ ...signed, body: signed.body.replace("42", "43") }, [created.publicKey]),
      [-1],
    );
    assert.equal(req.json.id, eventId);
    // HMAC libraries find no v1 signature to accept.
    assert.throws(() =>
      new Webhook("whsec_" + Buffer.alloc(32, 7).toString("base64")).verify(req.body, {
        "webhook-id": signed.id,
        "webhook-timestamp": signed.timestamp,
        "webhook-signature": signed.signatures.join(" "),
      }),
    );
  } finally {
    await receiver.close();
  }
});

test("rotation: a new key pair; during the grace period both keys sign, each verifying alone", async () => {
  const receiver = await Receiver.start();
  try {
    const created = await createEndpoint({
      url: receiver.url + "/hook",
      eventTypes: ["ed.rotate"],
      signing: "ed25519",
    });
    const rotated = await h.api("POST", `/webhooks/endpoints/${created.id}/secret/rotate`, {});
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.match(rotated.body.secret, /^whsk_/);
    assert.match(rotated.body.publicKey, /^whpk_/);
    assert.notEqual(rotated.body.publicKey, created.publicKey);
    const got = (await h.api("GET", `/webhooks/endpoints/${created.id}`)).body;
    assert.equal(got.publicKey, rotated.body.publicKey);
    assert.equal(got.signing, "ed25519");

    await publish("ed.rotate", { n: 1 });
    await receiver.waitFor(1);
    const signed = fromRequest(receiver.requests[0]!);
    assert.equal(signed.signatures.length, 2, signed.signatures.join(" "));
    for (const s of signed.signatures) assert.match(s, /^v1a,/);
    // Newest first: the first verifies with the new key only, the second with the old.
    assert.deepEqual(verifiedBy(signed, [rotated.body.publicKey, created.publicKey]), [0, 1]);

    // A supplied whsk_ key is taken, its public key derived.
    const own = await h.api("POST", `/webhooks/endpoints/${created.id}/secret/rotate`, {
      secret: rotated.body.secret,
    });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(own.body, rotated.body);
  } finally {
    await receiver.close();
  }
});

test("hmac to ed25519 by rotation: v1a with the new key and v1 with the old secret meanwhile", async () => {
  const receiver = await Receiver.start();
  try {
    const created = await createEndpoint({
      url: receiver.url + "/hook",
      eventTypes: ["ed.switch"],
    });
    assert.equal(created.signing, "hmac");
    assert.equal(created.publicKey, undefined);
    const rotated = await h.api("POST", `/webhooks/endpoints/${created.id}/secret/rotate`, {
      signing: "ed25519",
    });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    assert.equal((await h.api("GET", `/webhooks/endpoints/${created.id}`)).body.signing, "ed25519");
    await publish("ed.switch", {});
    await receiver.waitFor(1);
    const req = receiver.requests[0]!;
    const signed = fromRequest(req);
    assert.deepEqual(
      signed.signatures.map((s) => s.split(",")[0]),
      ["v1a", "v1"],
    );
    assert.deepEqual(verifiedBy(signed, [rotated.body.publicKey]), [0, -1]);
    const headers = {
      "webhook-id": signed.id,
      "webhook-timestamp": signed.timestamp,
      "webhook-signature": signed.signatures.join(" "),
    };
    assert.deepEqual(new Webhook(created.secret).verify(req.body, headers), req.json);
  } finally {
    await receiver.close();
  }
});

test("a supplied whsk_ key on create; bad input is a 400 {error, message}, never a 5xx", async () => {
  const receiver = await Receiver.start();
  try {
    await refusals(receiver.url);
  } finally {
    await receiver.close();
  }
});

async function refusals(base: string) {
  const source = await createEndpoint({ url: `${base}/a`, signing: "ed25519" });
  const own = await createEndpoint({
    url: `${base}/b`,
    signing: "ed25519",
    secret: source.secret,
  });
  assert.equal(own.secret, source.secret);
  assert.equal(own.publicKey, source.publicKey);

  const whsec = "whsec_" + Buffer.alloc(32, 3).toString("base64");
  const seed = Buffer.from(source.secret.slice(5), "base64").subarray(0, 32);
  const cases: Array<[string, string, unknown, RegExp]> = [
    ["POST", "/webhooks/endpoints", { url: base, signing: "rsa" }, /signing/],
    ["POST", "/webhooks/endpoints", { url: base, signing: 1 }, /signing/],
    ["POST", "/webhooks/endpoints", { url: base, signing: "ed25519", secret: whsec }, /whsk_/],
    [
      "POST",
      "/webhooks/endpoints",
      { url: base, signing: "ed25519", secret: "whsk_" + seed.toString("base64") },
      /whsk_/,
    ],
    ["POST", "/webhooks/endpoints", { url: base, secret: source.secret }, /whsec_/],
    ["PATCH", `/webhooks/endpoints/${own.id}`, { signing: "hmac" }, /signing|additional/],
    ["POST", `/webhooks/endpoints/${own.id}/secret/rotate`, { secret: whsec }, /whsk_/],
    ["POST", `/webhooks/endpoints/${own.id}/secret/rotate`, { signing: "dsa" }, /signing/],
    [
      "POST",
      `/webhooks/endpoints/${own.id}/secret/rotate`,
      { signing: "hmac", secret: source.secret },
      /whsec_/,
    ],
  ];
  for (const [method, path, body, message] of cases) {
    const res = await h.api(method, path, body);
    const what = `${method} ${path} ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`;
    assert.equal(res.status, 400, what);
    assert.equal(res.body.error, true, what);
    assert.match(res.body.message, message, what);
  }
  const unknown = await h.api("POST", "/webhooks/endpoints/nope/secret/rotate", {
    signing: "ed25519",
  });
  assert.equal(unknown.status, 404);
  // Nothing changed by the refused rotations.
  assert.equal((await h.api("GET", `/webhooks/endpoints/${own.id}`)).body.publicKey, own.publicKey);
}

test("SQS and RabbitMQ: the same v1a signature, verified with the endpoint's whpk_", async () => {
  const sqs: SqsTestServer = await startSqsServer();
  const broker: BrokerConsumer = await connectConsumer();
  try {
    const queueUrl = await sqs.createQueue(`ed25519-${Date.now()}`);
    const queue = await createEndpoint({
      destination: {
        type: "sqs",
        queueUrl,
        region: SQS_TEST_REGION,
        ...SQS_TEST_CREDENTIALS,
        endpoint: sqs.endpoint,
      },
      eventTypes: ["ed.queues"],
      signing: "ed25519",
    });
    const collector = await broker.collect({ bindingKey: "ed.#" });
    const exchange = await createEndpoint({
      destination: {
        type: "amqp",
        url: "amqp://guest:guest@127.0.0.1:5672",
        exchange: collector.exchange,
      },
      eventTypes: ["ed.queues"],
      signing: "ed25519",
    });
    const eventId = await publish("ed.queues", { n: 2 });

    let messages: Awaited<ReturnType<SqsTestServer["receive"]>> = [];
    for (let i = 0; i < 100 && messages.length === 0; i++) {
      messages = await sqs.receive(queueUrl);
      if (messages.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    const message = messages[0]!;
    const attr = (k: string) => String(message.MessageAttributes?.[k]?.StringValue);
    const fromSqs: Signed = {
      id: attr("webhook-id"),
      timestamp: attr("webhook-timestamp"),
      signatures: attr("webhook-signature").split(" "),
      body: message.Body!,
    };
    assert.equal(fromSqs.id, eventId);
    assert.deepEqual(verifiedBy(fromSqs, [queue.publicKey, exchange.publicKey]), [0]);

    await collector.waitForIds([eventId]);
    const amqp = collector.messages.find((m) => m.properties.messageId === eventId)!;
    const headers = amqp.properties.headers as Record<string, unknown>;
    const fromAmqp = fromRequest({ headers, body: amqp.content.toString("utf8") });
    assert.deepEqual(verifiedBy(fromAmqp, [queue.publicKey, exchange.publicKey]), [1]);
  } finally {
    await sqs.stop();
    await broker.close();
  }
});

import assert from "node:assert/strict";
import Database from "better-sqlite3";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SecretBox } from "../src/core/runtime/secret-box.js";
import { startTestHerald, type TestHerald } from "./helpers/herald.js";

// Endpoints with SQS and AMQP destinations through the API: what is accepted, what is refused
// and why, and that credentials are masked in every answer and sealed at rest.

const SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const AMQP_PASSWORD = "s3cr3t-broker-password";

const sqs = (fields: Record<string, unknown> = {}) => ({
  type: "sqs",
  queueUrl: "https://sqs.eu-west-3.amazonaws.com/123456789012/orders",
  region: "eu-west-3",
  accessKeyId: ACCESS_KEY_ID,
  secretAccessKey: SECRET_ACCESS_KEY,
  ...fields,
});
const amqp = (fields: Record<string, unknown> = {}) => ({
  type: "amqp",
  url: `amqp://herald:${AMQP_PASSWORD}@127.0.0.1:5672/%2f`,
  exchange: "webhooks",
  ...fields,
});

let h: TestHerald;
before(async () => {
  h = await startTestHerald();
});
after(async () => {
  await h.stop();
});

async function create(body: Record<string, unknown>) {
  const res = await h.api("POST", "/webhooks/endpoints", body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; secret: string; url: string; destination: any };
}

test("an SQS endpoint: its own secret, the queue URL as url, credentials masked everywhere", async () => {
  const created = await create({ destination: sqs(), eventTypes: ["nfts.create.succeeded"] });
  assert.match(created.secret, /^whsec_/);
  assert.equal(created.url, "https://sqs.eu-west-3.amazonaws.com/123456789012/orders");
  const expected = {
    type: "sqs",
    queueUrl: "https://sqs.eu-west-3.amazonaws.com/123456789012/orders",
    region: "eu-west-3",
    accessKeyId: "****MPLE",
    secretAccessKey: "****",
  };
  assert.deepEqual(created.destination, expected);
  const read = await h.api("GET", `/webhooks/endpoints/${created.id}`);
  assert.deepEqual(read.body.destination, expected);
  const listed = await h.api("GET", "/webhooks/endpoints?limit=250");
  const inList = listed.body.data.find((e: { id: string }) => e.id === created.id);
  assert.deepEqual(inList.destination, expected);
  for (const answer of [created, read.body, listed.body]) {
    const text = JSON.stringify(answer);
    assert.ok(!text.includes(SECRET_ACCESS_KEY) && !text.includes(ACCESS_KEY_ID));
  }
  const secret = await h.api("GET", `/webhooks/endpoints/${created.id}/secret`);
  assert.equal(secret.body.secret, created.secret);
});

test("an AMQP endpoint: the broker password is masked; routing key kept", async () => {
  const created = await create({ destination: amqp({ routingKey: "herald.events" }) });
  assert.match(created.secret, /^whsec_/);
  assert.equal(created.destination.type, "amqp");
  assert.equal(created.destination.exchange, "webhooks");
  assert.equal(created.destination.routingKey, "herald.events");
  assert.ok(!JSON.stringify(created).includes(AMQP_PASSWORD));
  assert.ok(!created.url.includes(AMQP_PASSWORD));
  assert.match(created.destination.url, /^amqp:\/\/herald:\*\*\*\*@127\.0\.0\.1:5672/);
});

test("an HTTPS endpoint given as url or as destination is the same endpoint", async () => {
  const byUrl = await create({ url: "https://8.8.8.8/hook" });
  const byDestination = await create({ destination: { type: "https", url: "https://8.8.8.8/h" } });
  assert.deepEqual(byUrl.destination, { type: "https", url: "https://8.8.8.8/hook" });
  assert.deepEqual(byDestination.destination, { type: "https", url: "https://8.8.8.8/h" });
  assert.equal(byDestination.url, "https://8.8.8.8/h");
});

test("credentials are sealed at rest: not in the database files in the clear", async () => {
  await create({ destination: sqs() });
  await create({ destination: amqp() });
  const files = readdirSync(h.dataDir).filter((f) => f.startsWith("herald.db"));
  assert.ok(files.length > 0);
  for (const file of files) {
    const bytes = readFileSync(join(h.dataDir, file)).toString("latin1");
    assert.ok(!bytes.includes(SECRET_ACCESS_KEY), `${file} holds the SQS secret in the clear`);
    assert.ok(!bytes.includes(AMQP_PASSWORD), `${file} holds the broker password in the clear`);
  }
});

const refused: Array<{ name: string; body: unknown; message: string }> = [
  { name: "neither url nor destination", body: {}, message: "url or destination is required" },
  {
    name: "both url and destination",
    body: { url: "https://8.8.8.8/", destination: sqs() },
    message: "either url or destination, not both",
  },
  {
    name: "unknown destination type",
    body: { destination: { type: "kafka", brokers: "x" } },
    message: "destination",
  },
  {
    name: "SQS without a region",
    body: { destination: { ...sqs(), region: undefined } },
    message: "region",
  },
  {
    name: "SQS with a malformed region",
    body: { destination: sqs({ region: "Europe" }) },
    message: "destination.region",
  },
  {
    name: "SQS queue URL that is not a queue URL",
    body: { destination: sqs({ queueUrl: "https://sqs.eu-west-3.amazonaws.com/orders" }) },
    message: "destination.queueUrl",
  },
  {
    name: "SQS with an unknown field",
    body: { destination: sqs({ sessionToken: "x" }) },
    message: 'unknown field "sessionToken"',
  },
  {
    name: "SQS message group on a standard queue",
    body: { destination: sqs({ messageGroup: "collection" }) },
    message: "messageGroup",
  },
  {
    name: "SQS custom endpoint on a private address",
    body: { destination: sqs({ endpoint: "http://10.1.2.3:9324" }) },
    message: "private address",
  },
  {
    name: "SQS custom endpoint over plain http to a public host",
    body: { destination: sqs({ endpoint: "http://1.1.1.1:9324" }) },
    message: "destination.endpoint: https:// is required",
  },
  {
    name: "SQS custom endpoint on an AWS host with a port",
    body: { destination: sqs({ endpoint: "http://sqs.us-east-1.amazonaws.com:8080" }) },
    message: "destination.endpoint on an AWS SQS host must be https:// without a port",
  },
  {
    name: "AMQP with an http URL",
    body: { destination: amqp({ url: "http://127.0.0.1:5672" }) },
    message: "destination.url",
  },
  {
    name: "AMQP exchange with a space",
    body: { destination: amqp({ exchange: "web hooks" }) },
    message: "destination.exchange",
  },
  {
    name: "AMQP broker on a private address",
    body: { destination: amqp({ url: "amqp://192.168.1.10:5672" }) },
    message: "private address",
  },
  {
    name: "HTTPS destination with ftp",
    body: { destination: { type: "https", url: "ftp://8.8.8.8/" } },
    message: "destination.url must use https://",
  },
];

for (const { name, body, message } of refused) {
  test(`400 for ${name}`, async () => {
    const res = await h.api("POST", "/webhooks/endpoints", body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error, true);
    assert.ok(
      String(res.body.message).includes(message),
      `"${res.body.message}" lacks "${message}"`,
    );
  });
}

test("PATCH moves an endpoint to another destination; a bare url only fits an HTTPS one", async () => {
  const endpoint = await create({ url: "https://8.8.8.8/hook" });
  const moved = await h.api("PATCH", `/webhooks/endpoints/${endpoint.id}`, {
    destination: sqs(),
  });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.equal(moved.body.destination.type, "sqs");
  assert.equal(moved.body.url, "https://sqs.eu-west-3.amazonaws.com/123456789012/orders");
  const bareUrl = await h.api("PATCH", `/webhooks/endpoints/${endpoint.id}`, {
    url: "https://8.8.4.4/",
  });
  assert.equal(bareUrl.status, 400);
  assert.match(bareUrl.body.message, /delivers to sqs; change destination instead/);
  const bad = await h.api("PATCH", `/webhooks/endpoints/${endpoint.id}`, {
    destination: sqs({ region: "nowhere" }),
  });
  assert.equal(bad.status, 400);
  const unchanged = await h.api("GET", `/webhooks/endpoints/${endpoint.id}`);
  assert.equal(unchanged.body.destination.region, "eu-west-3");
  const back = await h.api("PATCH", `/webhooks/endpoints/${endpoint.id}`, {
    destination: { type: "https", url: "https://8.8.4.4/" },
  });
  assert.deepEqual(back.body.destination, { type: "https", url: "https://8.8.4.4/" });
  // The signing secret belongs to the endpoint, whatever its destination.
  const secret = await h.api("GET", `/webhooks/endpoints/${endpoint.id}/secret`);
  assert.equal(secret.body.secret, endpoint.secret);
});

test("the OpenAPI document describes every destination type", async () => {
  const res = await h.api("GET", "//openapi.json");
  const text = JSON.stringify(res.body);
  for (const field of ["queueUrl", "secretAccessKey", "exchange", "routingKey", "messageGroup"])
    assert.ok(text.includes(field), `openapi.json lacks ${field}`);
});

test("500 random destination bodies: never a 5xx, every refusal a JSON error", async () => {
  let seed = 20261201;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const values = [
    "",
    "x",
    "us-east-1",
    "eu-west-3",
    "https://sqs.us-east-1.amazonaws.com/123456789012/q",
    "https://sqs.us-east-1.amazonaws.com/123456789012/q.fifo",
    "http://127.0.0.1:1",
    "http://[::1]:9324",
    "http://0x7f.1/",
    "amqp://guest:guest@127.0.0.1:1/%2f",
    "amqps://u:p@[fe80::1%25eth0]:5671/v",
    "amqp://a:b@10.0.0.1",
    "amq.topic",
    "web hooks",
    "é".repeat(300),
    "\u0000",
    "collection",
    "eventType",
    "endpoint",
    "ftp://x/",
    null,
    0,
    -1,
    1e308,
    true,
    [],
    {},
  ];
  const fields = [
    "type",
    "url",
    "queueUrl",
    "region",
    "accessKeyId",
    "secretAccessKey",
    "endpoint",
    "messageGroup",
    "exchange",
    "routingKey",
    "extra",
  ];
  const statuses = new Map<number, number>();
  const endpoint = await create({ url: "https://8.8.8.8/fuzz", eventTypes: ["fuzz.nobody"] });
  for (let i = 0; i < 500; i++) {
    const destination: Record<string, unknown> = {
      type: pick(["https", "sqs", "amqp", "kafka", 7]),
    };
    for (const field of fields) if (random() < 0.6) destination[field] = pick(values);
    const res =
      i % 2 === 0
        ? await h.api("POST", "/webhooks/endpoints", { destination, eventTypes: ["fuzz.nobody"] })
        : await h.api("PATCH", `/webhooks/endpoints/${endpoint.id}`, { destination });
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    assert.ok(
      res.status < 500,
      `${res.status} for ${JSON.stringify(destination)}: ${JSON.stringify(res.body)}`,
    );
    if (res.status >= 400) {
      assert.equal(res.body.error, true);
      assert.equal(typeof res.body.message, "string");
      assert.ok(!/at \w+ \(|node_modules/.test(res.body.message), "no stack trace");
    }
  }
  assert.ok((statuses.get(400) ?? 0) > 100, `statuses ${JSON.stringify([...statuses])}`);
});

test("an endpoint sealed under another master key still lists, saying so", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "herald-rekeyed-"));
  try {
    const first = await startTestHerald({
      HERALD_DATA_DIR: dataDir,
      HERALD_MASTER_KEY: "a".repeat(64),
    });
    const created = await first.api("POST", "/webhooks/endpoints", { destination: amqp() });
    assert.equal(created.status, 201);
    const https = await first.api("POST", "/webhooks/endpoints", { url: "https://8.8.8.8/" });
    await first.stop();
    // A process with another key cannot start on this data dir, but a value may have been
    // sealed under another key before the check existed: one is put in place here.
    const db = new Database(join(dataDir, "herald.db"));
    const foreign = new SecretBox(Buffer.from("b".repeat(64), "hex")).seal(JSON.stringify(amqp()));
    db.prepare("UPDATE endpoints SET destination_enc = ? WHERE id = ?").run(
      foreign,
      created.body.id,
    );
    db.close();
    const second = await startTestHerald({
      HERALD_DATA_DIR: dataDir,
      HERALD_MASTER_KEY: "a".repeat(64),
    });
    try {
      const listed = await second.api("GET", "/webhooks/endpoints");
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const byId = new Map(listed.body.data.map((e: any) => [e.id, e]));
      assert.match(
        (byId.get(created.body.id) as any).destination.error,
        /another HERALD_MASTER_KEY/,
      );
      assert.deepEqual((byId.get(https.body.id) as any).destination, {
        type: "https",
        url: "https://8.8.8.8/",
      });
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

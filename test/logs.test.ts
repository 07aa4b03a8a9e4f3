import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startChildHerald } from "./helpers/child-herald.js";
import {
  apiClient,
  eventually,
  TEST_ADMIN_TOKEN,
  TEST_API_KEY,
  TEST_ORIGINAL,
} from "./helpers/herald.js";
import { sdkClient, sdkToken } from "./helpers/original.js";
import { Receiver } from "./helpers/receiver.js";

// The logs of a whole run at debug level (every request logged): each API line carries its
// request id (the one returned as x-request-id), and no secret Herald was given or made appears:
// API keys, the admin token, the master key, signing secrets (old and rotated), SQS and AMQP
// credentials, Original's key, secret and tokens.

test("a full run at debug level: request ids on API lines, no secret in the logs", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "herald-logs-"));
  const masterKey = randomBytes(32).toString("hex");
  const receiver = await Receiver.start((_req, i) => ({ status: i === 0 ? 500 : 200 }));
  const herald = await startChildHerald({
    dataDir,
    env: {
      HERALD_LOG_LEVEL: "debug",
      HERALD_API_KEY: TEST_API_KEY,
      HERALD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      HERALD_MASTER_KEY: masterKey,
      HERALD_ORIGINAL_API_KEY: TEST_ORIGINAL.apiKey,
      HERALD_ORIGINAL_API_SECRET: TEST_ORIGINAL.apiSecret,
      HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
      HERALD_RETRY_SCHEDULE: "0.05,0.1",
    },
  });
  const secrets: string[] = [TEST_API_KEY, TEST_ADMIN_TOKEN, masterKey, TEST_ORIGINAL.apiSecret];
  try {
    const api = apiClient(herald.url, TEST_API_KEY);
    const https = await api("POST", "/webhooks/endpoints", { url: `${receiver.url}/logs` });
    assert.equal(https.status, 201);
    secrets.push(https.body.secret);
    const rotated = await api("POST", `/webhooks/endpoints/${https.body.id}/secret/rotate`, {});
    secrets.push(rotated.body.secret);
    const sqsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const sqs = await api("POST", "/webhooks/endpoints", {
      destination: {
        type: "sqs",
        queueUrl: "https://sqs.eu-west-3.amazonaws.com/123456789012/orders",
        region: "eu-west-3",
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: sqsSecret,
      },
    });
    assert.equal(sqs.status, 201, JSON.stringify(sqs.body));
    const amqpPassword = "amqp-pass-0123456789";
    const amqp = await api("POST", "/webhooks/endpoints", {
      destination: {
        type: "amqp",
        url: `amqp://herald:${amqpPassword}@127.0.0.1:1/%2f`,
        exchange: "webhooks",
      },
    });
    assert.equal(amqp.status, 201, JSON.stringify(amqp.body));
    secrets.push(sqsSecret, amqpPassword, sqs.body.secret, amqp.body.secret);
    const admin = apiClient(herald.url, null);
    const project = await admin(
      "POST",
      "/admin/projects",
      { name: "logs" },
      { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    );
    assert.equal(project.status, 201, JSON.stringify(project.body));
    secrets.push(project.body.apiKey, project.body.original.apiSecret);
    const token = await sdkToken();
    secrets.push(token);
    const original = sdkClient(() => herald.url);
    assert.equal((await original("POST", "/user", { email: "logs@example.com" })).status, 201);
    const published = await api(
      "POST",
      "/events",
      { type: "logs.test", data: { n: 1 } },
      { "x-request-id": "caller-id-42" },
    );
    assert.equal(published.headers["x-request-id"], "caller-id-42");
    // The first attempt fails (500) and is retried: the dispatcher logs at debug too.
    await eventually(() => receiver.requests.length >= 2, { timeoutMs: 60_000 });
    // A request that fails authentication, and a malformed one.
    await apiClient(herald.url, "hk_wrong_key_0123456789")("GET", "/webhooks/endpoints");
    await api("POST", "/events", "{not json");
    await herald.kill("SIGTERM");

    const lines = herald
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = lines.filter((line) => "req" in line || "res" in line);
    assert.ok(requestLines.length >= 20, `requests are logged at debug (${requestLines.length})`);
    for (const line of requestLines)
      assert.ok(typeof line.reqId === "string" && line.reqId !== "", JSON.stringify(line));
    assert.ok(
      requestLines.some((line) => line.reqId === "caller-id-42"),
      "the caller's request id is the one logged",
    );
    const logs = herald.output();
    for (const secret of secrets)
      assert.ok(!logs.includes(secret), `${secret.slice(0, 10)}… is not in the logs`);
  } finally {
    await herald.kill("SIGKILL");
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

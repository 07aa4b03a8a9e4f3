import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startChildHerald } from "./helpers/child-herald.js";
import { TEST_ORIGINAL } from "./helpers/herald.js";
import { originalClient, sdkToken } from "./helpers/original.js";

// Original's Python SDK sends `api_key` and `api_secret` as query parameters on every call, and
// every client sends a bearer token: none of them may reach the logs, even at debug level, where
// each request is logged, nor an answer (a 404 used to echo the URL).

test("at debug level, no Original secret, key or token appears in the logs or in a 404", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "herald-logs-"));
  const herald = await startChildHerald({
    dataDir,
    env: {
      HERALD_LOG_LEVEL: "debug",
      HERALD_ORIGINAL_API_KEY: TEST_ORIGINAL.apiKey,
      HERALD_ORIGINAL_API_SECRET: TEST_ORIGINAL.apiSecret,
    },
  });
  try {
    const token = await sdkToken();
    const python = originalClient(
      () => herald.url,
      async () => ({ "X-API-KEY": TEST_ORIGINAL.apiKey, Authorization: `Bearer ${token}` }),
    );
    const query = `api_key=${TEST_ORIGINAL.apiKey}&api_secret=${TEST_ORIGINAL.apiSecret}`;
    const created = await python("POST", `/user?${query}`, { email: "logs@example.com" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const missing = await python("GET", `/nothing?${query}`);
    assert.equal(missing.status, 404);
    assert.doesNotMatch(JSON.stringify(missing.body), /api_secret/);
    await herald.kill();
    const logs = herald.output();
    assert.match(logs, /incoming request/, "requests are logged at debug");
    for (const secret of [TEST_ORIGINAL.apiSecret, TEST_ORIGINAL.apiKey, token])
      assert.ok(!logs.includes(secret), `${secret.slice(0, 8)}… is not in the logs`);
  } finally {
    await herald.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

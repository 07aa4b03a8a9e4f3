// `--role`: a process runs the API, the webhook worker, the chain module, or any mix of them.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { parseRoles } from "../src/config.js";
import { eventually, startTestHerald } from "./helpers/herald.js";
import { Receiver } from "./helpers/receiver.js";

test("parseRoles: a comma-separated subset of api, worker, chain", () => {
  assert.deepEqual(parseRoles("api,worker,chain"), ["api", "worker", "chain"]);
  assert.deepEqual(parseRoles(" chain , api "), ["api", "chain"]);
  assert.throws(() => parseRoles(""), /at least one/);
  assert.throws(() => parseRoles("api,web"), /"web" is not a role/);
});

test("an api-only process accepts events and delivers none; a worker on the same data delivers them", async () => {
  const receiver = await Receiver.start();
  const dataDir = mkdtempSync(join(tmpdir(), "herald-roles-"));
  try {
    const api = await startTestHerald({ HERALD_DATA_DIR: dataDir, HERALD_ROLE: "api" });
    await api.api("POST", "/webhooks/endpoints", { url: receiver.url });
    const published = await api.api("POST", "/events", { type: "wallet.created", data: {} });
    assert.equal(published.status, 201);
    await sleep(500);
    assert.equal(receiver.requests.length, 0, "no worker: nothing delivered");
    assert.equal(await api.herald.chainModule.runner("local"), undefined);
    await api.stop();

    // SQLite serves one process at a time: the worker takes over the same data dir.
    const worker = await startTestHerald({ HERALD_DATA_DIR: dataDir, HERALD_ROLE: "worker" });
    const health = await worker.api("GET", "//health");
    assert.equal(health.status, 200);
    assert.equal((await worker.api("GET", "/webhooks/endpoints")).status, 404, "no API here");
    const delivered = await eventually(() => receiver.requests[0], { message: "the delivery" });
    assert.equal(delivered.headers["webhook-id"], published.body.id);
    await worker.stop();
  } finally {
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

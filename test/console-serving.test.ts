import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import Fastify, { type FastifyInstance } from "fastify";
import { consoleRoutes } from "../src/api/console.js";

// How Herald serves the console's build: files, deep links, caching and security headers.

let dir: string;
let app: FastifyInstance;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "herald-console-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>Herald console</title>");
  writeFileSync(join(dir, "assets", "main-abc123.js"), "console.log(1)");
  app = Fastify();
  await app.register(consoleRoutes, { dir });
});
after(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

test("/console redirects to /console/, which is the app with a strict CSP", async () => {
  const bare = await app.inject("/console");
  assert.equal(bare.statusCode, 302);
  assert.equal(bare.headers.location, "/console/");
  const index = await app.inject("/console/");
  assert.equal(index.statusCode, 200);
  assert.match(index.body, /Herald console/);
  assert.match(String(index.headers["content-security-policy"]), /default-src 'self'/);
  assert.match(String(index.headers["content-security-policy"]), /frame-ancestors 'none'/);
  assert.equal(index.headers["x-content-type-options"], "nosniff");
  assert.equal(index.headers["cache-control"], "no-cache");
});

test("deep links get the app; hashed assets are cached for good; a missing file is a 404", async () => {
  const deep = await app.inject("/console/endpoints/0197-abc?status=failed");
  assert.equal(deep.statusCode, 200);
  assert.match(deep.body, /Herald console/);
  assert.match(String(deep.headers["content-security-policy"]), /default-src 'self'/);
  const asset = await app.inject("/console/assets/main-abc123.js");
  assert.equal(asset.statusCode, 200);
  assert.match(String(asset.headers["cache-control"]), /immutable/);
  const missing = await app.inject("/console/assets/gone.js");
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().error, true);
});

test("without a build, /console/ says how to build it", async () => {
  const empty = mkdtempSync(join(tmpdir(), "herald-console-empty-"));
  const bare = Fastify();
  try {
    await bare.register(consoleRoutes, { dir: empty });
    const res = await bare.inject("/console/");
    assert.equal(res.statusCode, 404);
    assert.match(res.json().message, /npm run build:console/);
  } finally {
    await bare.close();
    rmSync(empty, { recursive: true, force: true });
  }
});

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { CLIENT_TYPES, DOCUMENT, renderClientTypes, renderDocument } from "../scripts/openapi.mjs";
import { startTestHerald, type TestHerald } from "./helpers/herald.js";

// The checked-in OpenAPI document and the types generated from it (the console's, the typed
// client's) are what the server serves at /openapi.json: a route's schema cannot change without
// them.

const STALE = "is stale: run `npm run openapi` and commit the result";

let h: TestHerald;
let served: any;

before(async () => {
  h = await startTestHerald();
  const res = await h.api("GET", "//openapi.json");
  assert.equal(res.status, 200);
  served = res.body;
});
after(async () => {
  await h.stop();
});

test("docs/openapi.json is the document the server serves", async () => {
  const expected = await renderDocument(served);
  assert.ok(readFileSync(DOCUMENT, "utf8") === expected, `docs/openapi.json ${STALE}`);
});

test("packages/client/src/schema.gen.ts is generated from that document", async () => {
  const expected = await renderClientTypes(served);
  assert.ok(
    readFileSync(CLIENT_TYPES, "utf8") === expected,
    `packages/client/src/schema.gen.ts ${STALE}`,
  );
});

test("every operation has a tag, a summary, an operationId and response schemas", () => {
  const ids = new Set<string>();
  for (const [path, item] of Object.entries<any>(served.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const name = `${method.toUpperCase()} ${path}`;
      assert.ok(op.tags?.length, `${name} has a tag`);
      assert.ok(op.summary, `${name} has a summary`);
      assert.ok(op.operationId, `${name} has an operationId`);
      assert.ok(!ids.has(op.operationId), `${name}: operationId ${op.operationId} is unique`);
      ids.add(op.operationId);
      const ok = Object.entries<any>(op.responses).filter(([code]) => code.startsWith("2"));
      assert.ok(ok.length > 0, `${name} documents its success`);
      for (const [code, response] of ok) {
        const described =
          code === "204" ||
          response.content?.["application/json"]?.schema ||
          // GET /events/stream: server-sent events.
          response.content?.["text/event-stream"]?.schema;
        assert.ok(described, `${name} ${code} has a schema`);
        assert.notEqual(
          response.description,
          "Default Response",
          `${name} ${code} says what it is`,
        );
      }
    }
  }
});

test("every reference resolves to a component", () => {
  const refs = JSON.stringify(served).match(/"\$ref":"[^"]*"/g) ?? [];
  assert.ok(refs.length > 0);
  for (const ref of new Set(refs)) {
    const name = /#\/components\/schemas\/([^"]+)"$/.exec(ref)?.[1];
    assert.ok(name && served.components.schemas[name], `${ref} resolves`);
  }
});

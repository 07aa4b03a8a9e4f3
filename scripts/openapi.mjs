// Writes the OpenAPI document, docs/openapi.json, and the types generated from it: the typed
// client's, packages/client/src/schema.gen.ts (the console takes its types from the client).
// Run `npm run openapi` after changing a route's schema: test/openapi.test.ts fails while any of
// them differs from what the server serves.
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import * as prettier from "prettier";

const root = fileURLToPath(new URL("..", import.meta.url));
export const DOCUMENT = fileURLToPath(new URL("../docs/openapi.json", import.meta.url));
export const CLIENT_TYPES = fileURLToPath(
  new URL("../packages/client/src/schema.gen.ts", import.meta.url),
);

const GENERATED =
  "// Generated from docs/openapi.json by `npm run openapi` (scripts/openapi.mjs): do not edit.\n";
const CLIENT_HEADER =
  GENERATED + "// index.ts re-exports them with the client (@herald/client).\n\n";

async function format(text, file) {
  const options = await prettier.resolveConfig(file);
  return prettier.format(text, { ...options, filepath: file });
}

/** The document as checked in: the served key order, printed as prettier prints JSON. */
export function renderDocument(document) {
  return format(JSON.stringify(document, null, 2), DOCUMENT);
}

/** openapi-typescript's `paths`, `components` and `operations`, under a header, formatted. */
async function renderTypes(document, header, file) {
  const ast = await openapiTS(document, { silent: true });
  return format(header + astToString(ast), file);
}

/** The typed client's types (packages/client). */
export function renderClientTypes(document) {
  return renderTypes(document, CLIENT_HEADER, CLIENT_TYPES);
}

/** The document of a server built in this process (nothing listens; no service is called). */
export async function buildDocument() {
  const { buildServer } = await import("../src/api/server.ts");
  const { createLogger } = await import("../src/logger.ts");
  // Routes only hold on to the services until a request comes: none will.
  const unused = {};
  const app = await buildServer({
    log: createLogger("silent"),
    logLevel: "silent",
    adminToken: null,
    projects: unused,
    endpoints: unused,
    events: unused,
    actions: unused,
    collections: unused,
    nfts: unused,
    wallets: unused,
    chainStatus: unused,
  });
  await app.ready();
  const document = app.swagger();
  await app.close();
  return document;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const document = await buildDocument();
  for (const [file, text] of [
    [DOCUMENT, await renderDocument(document)],
    [CLIENT_TYPES, await renderClientTypes(document)],
  ]) {
    writeFileSync(file, text);
    process.stderr.write(`wrote ${relative(root, file)}\n`);
  }
}

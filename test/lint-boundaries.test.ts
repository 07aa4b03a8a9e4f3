// The boundaries of docs/architecture.md are lint rules (eslint.boundaries.js): each case lints
// one import, as if written in the file named, and expects the rule to fail or pass.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ESLint } from "eslint";

const root = new URL("..", import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

/** The boundary rules that fail on `code` placed at `file`. */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${file}` });
  return result!.messages
    .filter(
      (m) => m.ruleId === "import-x/no-restricted-paths" || m.ruleId === "no-restricted-imports",
    )
    .map((m) => m.message);
}

const cases: Array<[file: string, code: string, expected: RegExp | null]> = [
  // core imports no adapter, no library of one, and not the composition root
  ["src/core/webhooks/x.ts", 'import "../../store/sqlite/sqlite-store.js";', /core defines ports/],
  ["src/core/webhooks/x.ts", 'import "../../api/server.js";', /core defines ports/],
  ["src/core/chain/x.ts", 'import "../../chain/families.js";', /core defines ports/],
  ["src/core/x.ts", 'import "../app.js";', /core defines ports/],
  ["src/core/policy/x.ts", 'import "fastify";', /no HTTP framework/],
  ["src/core/policy/x.ts", 'import "pg";', /no HTTP framework/],
  ["src/core/policy/x.ts", 'import "viem";', /no HTTP framework/],
  ["src/core/policy/x.ts", 'import "@aws-sdk/client-sqs";', /no HTTP framework/],
  ["src/core/ports/x.ts", 'import "@opentelemetry/api";', /no HTTP framework/],
  ["src/core/ports/x.ts", 'import "../../observability/tracing.js";', /core defines ports/],
  ["src/core/policy/x.ts", 'import "../runtime/ids.js";', null],
  // api and chain never import each other; nothing below the root imports it
  ["src/api/x.ts", 'import "../chain/chain-module.js";', /the api calls core/],
  ["src/api/resources/x.ts", 'import "../../store/rows.js";', /the api calls core/],
  ["src/chain/x.ts", 'import "../api/server.js";', /the chain module calls core/],
  ["src/api/x.ts", 'import "../app.js";', /composition root|the api calls core/],
  ["src/dispatcher/x.ts", 'import "../app.js";', /composition root|the dispatcher/],
  ["src/api/x.ts", 'import "../core/webhooks/events.js";', null],
  ["src/cli/x.ts", 'import "../app.js";', null],
  // a chain family is reached only through the registry
  ["src/chain/chain-module.ts", 'import "./evm/evm-runner.js";', /through its adapter/],
  ["src/chain/solana/x.ts", 'import "../evm/address.js";', /through its adapter/],
  ["src/chain/families.ts", 'import "./evm/adapter.js";', null],
  ["src/chain/evm/x.ts", 'import "./address.js";', null],
  // stores, destinations, the console
  ["src/store/sqlite/x.ts", 'import "../../destinations/registry.js";', /implements core's Store/],
  [
    "src/destinations/sqs/x.ts",
    'import "../../dispatcher/attempt.js";',
    /implements one interface/,
  ],
  [
    "console/src/x.ts",
    'import "../../src/core/interfaces.js";',
    /only through the public HTTP API/,
  ],
  // the benchmarks use Herald's public entry point only
  ["bench/x.ts", 'import "../src/app.js";', /public entry point/],
  ["bench/bullmq/x.ts", 'import "../../src/core/runtime/ids.js";', /public entry point/],
  ["bench/x.ts", 'import "../src/index.js";', null],
  // a package in packages/ is published alone: no import of the server, console or tests
  ["packages/receiver/src/x.ts", 'import "../../../src/index.js";', /published on its own/],
  ["packages/client/src/x.ts", 'import "../../../console/src/format.js";', /published on its own/],
  ["packages/receiver/src/x.ts", 'import "node:crypto";', null],
];

for (const [file, code, expected] of cases) {
  test(`${file}: ${code} → ${expected ? "refused" : "allowed"}`, async () => {
    const found = await violations(file, code);
    if (expected === null) assert.deepEqual(found, []);
    else
      assert.ok(
        found.some((m) => expected.test(m)),
        `expected ${expected}, got ${JSON.stringify(found)}`,
      );
  });
}

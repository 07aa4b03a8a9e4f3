// Runs every test file under test/ with Node's test runner, TypeScript loaded by tsx.
// Usage: npm test [-- file-or-substring ...]
//
// Two rounds: the files first, two at a time; then the files that measure latency against a
// bound (isolation, fairness), one at a time, so a neighbouring test's CPU does not decide them.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { buildHerald } from "./build-herald.mjs";

const root = new URL("..", import.meta.url).pathname;
const TIMED = [
  "test/isolation.test.ts",
  "test/isolation-at-scale.test.ts",
  "test/publish-fairness.test.ts",
];

// The longest files start first, so that the two slots end together (a long file started last
// would run alone at the end).
const LONGEST_FIRST = [
  "test/scale-out.test.ts",
  "test/store/postgres-store.test.ts",
  "test/master-key-sqlite.test.ts",
  "test/cli.test.ts",
  "test/master-key-postgres.test.ts",
  "test/chain/restart.test.ts",
  "test/cli-backup.test.ts",
  "test/chain/embedded-journal.test.ts",
  "test/compat/original-assets.test.ts",
  "test/compat/crossmint-minting.test.ts",
];
const rank = (file) => {
  const i = LONGEST_FIRST.indexOf(file);
  return i === -1 ? LONGEST_FIRST.length : i;
};

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith(".test.ts") ? [relative(root, path)] : [];
  });
}

const filters = process.argv.slice(2);
const files = findTests(join(root, "test"))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort()
  .sort((a, b) => rank(a) - rank(b));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ")}`);
  process.exit(1);
}

function run(batch, concurrency) {
  if (batch.length === 0) return Promise.resolve(0);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--test",
      `--test-concurrency=${concurrency}`,
      "--test-reporter=spec",
      ...batch,
    ],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, HERALD_LOG_LEVEL: process.env.HERALD_LOG_LEVEL ?? "silent" },
    },
  );
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve(signal ? 1 : (code ?? 1)));
  });
}

// Tests that start Herald as its own process run the build, as `npm start` does.
buildHerald({ quiet: true });
const first = await run(
  files.filter((f) => !TIMED.includes(f)),
  Number(process.env.HERALD_TEST_CONCURRENCY ?? 2),
);
const timed = await run(
  files.filter((f) => TIMED.includes(f)),
  1,
);
process.exit(first !== 0 ? first : timed);

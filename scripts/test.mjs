// Runs every test file under test/ with Node's test runner, TypeScript loaded by tsx.
// Usage: npm test [-- file-or-substring ...]
//
// Two rounds: the files first, two at a time (HERALD_TEST_CONCURRENCY), with the files that mostly
// wait on a chain's blocks beside them in a lane of their own; then the files that measure
// latency against a bound (isolation, fairness), one at a time, so a neighbouring test's CPU
// does not decide them.
//
// Each file runs as `node --import tsx --test-reporter=spec <file>`: one process per file, as
// `node --test` would start, but in the order given here (`node --test` sorts its files by
// name, so the longest files would start last and run alone at the end). A file's output is
// printed once it is done, so the two files running at once do not interleave; the end of the
// run lists the slowest files and the totals.
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
// would run alone at the end); the files not listed are short. Ordered by what each took in a
// whole run on the shared 2-core machine (scale-out the longest by far).
// Files that mostly wait on a node's 2-second blocks (little CPU): each runs in a lane of its
// own beside the two, from the start, rather than hold one of them for minutes.
const WAITING = ["test/chain/signer-pool.test.ts"];
const LONGEST_FIRST = [
  "test/scale-out.test.ts",
  "test/chain/restart.test.ts",
  "test/master-key-postgres.test.ts",
  "test/cli.test.ts",
  "test/listen.test.ts",
  "test/logs.test.ts",
  "test/api-validation.test.ts",
  "test/postgres-herald.test.ts",
  "test/master-key-sqlite.test.ts",
  "test/chain/named-chains.test.ts",
  "test/chain/watcher.test.ts",
  "test/chain/poison-jobs.test.ts",
  "test/chain/embedded-restart.test.ts",
  "test/solana/solana-restart.test.ts",
  "test/compat/original-rewards.test.ts",
  "test/chain/minting-e2e.test.ts",
  "test/solana/rpc-cluster.test.ts",
  "test/solana/crossmint-solana.test.ts",
  "test/crash.test.ts",
  "test/store/postgres-store.test.ts",
  "test/compat/crossmint-wallets.test.ts",
  "test/operations.test.ts",
  "test/compat/original-users.test.ts",
  "test/chain/http-node.test.ts",
  "test/console-e2e.test.ts",
  "test/openapi.test.ts",
  "test/chain/reorg.test.ts",
  "test/compat/crossmint-minting.test.ts",
  "test/client-errors.test.ts",
  "test/destinations-api.test.ts",
  "test/cli-backup.test.ts",
  "test/tracing.test.ts",
  "test/destinations-delivery.test.ts",
  "test/delivery.test.ts",
  "test/chain/embedded-journal.test.ts",
  "test/tenancy.test.ts",
  "test/retention.test.ts",
  "test/compat/original-assets.test.ts",
  "test/chain/mint-batch.test.ts",
  "test/chain/fee-ceiling.test.ts",
  "test/chain/block-receipts.test.ts",
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

const env = { ...process.env, HERALD_LOG_LEVEL: process.env.HERALD_LOG_LEVEL ?? "silent" };
const COUNTS = ["tests", "suites", "pass", "fail", "cancelled", "skipped", "todo"];
const totals = Object.fromEntries(COUNTS.map((name) => [name, 0]));
/** @type {{ file: string, ms: number, ok: boolean }[]} */
const results = [];

/** Runs one file; prints its output once it is done; resolves to whether it passed. */
function runFile(file) {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "--test-reporter=spec", file], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      const ms = Date.now() - started;
      const ok = code === 0 && signal === null;
      for (const name of COUNTS) {
        const count = new RegExp(`^ℹ ${name} (\\d+)$`, "m").exec(output);
        if (count) totals[name] += Number(count[1]);
      }
      results.push({ file, ms, ok });
      const how = ok ? "✔" : `✖ (exit ${signal ?? code})`;
      process.stdout.write(`\n▶ ${file}\n${output}${how} ${file} (${(ms / 1000).toFixed(1)} s)\n`);
      resolve(ok);
    });
  });
}

/** Runs `batch`, `concurrency` files at a time, in order; resolves to whether all passed. */
async function run(batch, concurrency) {
  const queue = [...batch];
  let ok = true;
  const slot = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) ok = (await runFile(file)) && ok;
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, slot));
  return ok;
}

// Tests that start Herald as its own process run the build, as `npm start` does.
buildHerald({ quiet: true });
const startedAt = Date.now();
const waiting = run(
  files.filter((f) => WAITING.includes(f)),
  1,
);
const first = await run(
  files.filter((f) => !TIMED.includes(f) && !WAITING.includes(f)),
  Number(process.env.HERALD_TEST_CONCURRENCY ?? 2),
);
const waited = await waiting;
const timed = await run(
  files.filter((f) => TIMED.includes(f)),
  1,
);

const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 15);
console.log(`\nslowest files:`);
for (const { file, ms } of slowest)
  console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`);
console.log("");
for (const name of COUNTS) console.log(`ℹ ${name} ${totals[name]}`);
console.log(`ℹ files ${results.length}`);
console.log(`ℹ duration_ms ${Date.now() - startedAt}`);
const failed = results.filter((r) => !r.ok);
if (failed.length > 0) {
  console.log(`\n✖ failed files:`);
  for (const { file } of failed) console.log(`  ${file}`);
}
process.exit(first && waited && timed ? 0 : 1);

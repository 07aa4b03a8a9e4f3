// `npm run check`: the type-checks (src and tests, bench, console), lint and format check, two
// at a time (each is single-threaded); each one's output is printed whole when it ends, and
// the check fails if any of them does.
import { spawn } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const bin = (name) => `${root}node_modules/.bin/${name}`;
// Longest first, so that the two lanes end at about the same time.
const CHECKS = [
  ["types: src and tests", bin("tsc"), ["-p", "tsconfig.json", "--noEmit"]],
  ["types: bench", bin("tsc"), ["-p", "bench/tsconfig.json", "--noEmit"]],
  ["format", bin("prettier"), ["--check", "--log-level", "warn", "."]],
  ["lint", bin("eslint"), ["."]],
  ["types: console", bin("tsc"), ["-p", "console/tsconfig.json", "--noEmit"]],
  ["lockfile: npm ci", process.execPath, [`${root}scripts/lock-platform-binaries.mjs`, "--check"]],
];
const LANES = 2;

function run([name, command, args]) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => (output += String(error)));
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const ok = code === 0;
      process.stdout.write(`${ok ? "✔" : "✖"} ${name} (${seconds} s)\n${output}`);
      resolve(ok);
    });
  });
}

const queue = [...CHECKS];
const results = [];
await Promise.all(
  Array.from({ length: LANES }, async () => {
    while (queue.length > 0) results.push(await run(queue.shift()));
  }),
);
process.exit(results.every(Boolean) ? 0 : 1);

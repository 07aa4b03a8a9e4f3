// Compiles src/ to dist/ with tsc when any source is newer than the build: `npm start` runs the
// build, and so do the tests that start Herald as a separate process (test/helpers/child-herald).
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { newest } from "./newest.mjs";

const root = new URL("..", import.meta.url).pathname;
export const HERALD_MAIN = join(root, "dist", "cli", "main.js");

export function buildHerald({ quiet = false } = {}) {
  const sources = Math.max(
    newest(join(root, "src")),
    statSync(join(root, "tsconfig.json")).mtimeMs,
    statSync(join(root, "tsconfig.build.json")).mtimeMs,
  );
  if (existsSync(HERALD_MAIN) && statSync(HERALD_MAIN).mtimeMs >= sources) return;
  if (!quiet) process.stderr.write("building Herald…\n");
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
    { stdio: "inherit" },
  );
}

// `node scripts/build-herald.mjs [--quiet]`
if (process.argv[1] === new URL(import.meta.url).pathname) {
  buildHerald({ quiet: process.argv.includes("--quiet") });
}

// Builds the console (console/, React + Vite) into dist/console when any of its sources is
// newer than the build (the typed client it calls Herald with, packages/client/src, included);
// a no-op otherwise. Used by `npm start` and `npm test`.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { newest } from "./newest.mjs";

const root = new URL("..", import.meta.url).pathname;
const sources = join(root, "console");
const client = join(root, "packages", "client", "src");
const stamp = join(root, "dist", "console", "index.html");

export function buildConsole({ quiet = false, force = false } = {}) {
  if (
    !force &&
    existsSync(stamp) &&
    statSync(stamp).mtimeMs >= Math.max(newest(sources), newest(client))
  ) {
    return;
  }
  if (!quiet) process.stderr.write("building the console…\n");
  execFileSync(
    process.execPath,
    [
      join(root, "node_modules/vite/bin/vite.js"),
      "build",
      "--config",
      join(sources, "vite.config.ts"),
      "--logLevel",
      quiet ? "warn" : "info",
    ],
    { cwd: root, stdio: "inherit" },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildConsole({
    quiet: process.argv.includes("--quiet"),
    force: process.argv.includes("--force"),
  });
}

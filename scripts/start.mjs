// `npm start [-- flags]`: builds if any source is newer than the build, then runs `herald start`.
import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { newest } from "./newest.mjs";

const root = new URL("..", import.meta.url).pathname;
const stamp = join(root, "dist", "cli", "main.js");

// The collection contract is compiled with solc-js; a no-op when its sources are unchanged.
const { buildContracts } = await import("./build-contracts.mjs");
await buildContracts({ quiet: true });
// The console's single-page app, served at /console; a no-op when its sources are unchanged.
const { buildConsole } = await import("./build-console.mjs");
buildConsole({ quiet: true });

const sources = Math.max(newest(join(root, "src")), statSync(join(root, "tsconfig.json")).mtimeMs);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
  process.stderr.write("building Herald…\n");
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
    {
      stdio: "inherit",
    },
  );
}
process.argv = [process.argv[0], stamp, "start", ...process.argv.slice(2)];
await import(stamp);

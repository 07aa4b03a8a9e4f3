// Keeps package-lock.json installable with `npm ci` when a package ships its native code as
// per-platform optional dependencies (litesvm-linux-x64-gnu, litesvm-darwin-arm64, …) and the
// registry this lockfile was made from lacks some of them: npm then leaves them out of the lock,
// and `npm ci` refuses it ("Missing: litesvm-darwin-arm64@ from lock file"). Each missing one is
// written in with the platform its name says, so npm skips it everywhere else.
//   node scripts/lock-platform-binaries.mjs          add what is missing
//   node scripts/lock-platform-binaries.mjs --check  fail if anything is missing (npm run check)
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const PLATFORM = /-(darwin|linux|win32)-(x64|arm64|ia32)(?:-(gnu|musl|msvc))?$/;

function entryFor(name, version) {
  const [, os, cpu, abi] = PLATFORM.exec(name);
  const tarball = name.split("/").at(-1);
  return {
    version,
    resolved: `https://registry.npmjs.org/${name}/-/${tarball}-${version}.tgz`,
    cpu: [cpu],
    ...(abi === "gnu" || abi === "musl" ? { libc: [abi === "gnu" ? "glibc" : "musl"] } : {}),
    optional: true,
    os: [os],
  };
}

const missing = [];
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    if (!PLATFORM.test(name)) continue;
    // Installed beside the package or hoisted to the top, as npm would.
    const nested = `${key}/node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    missing.push([`node_modules/${name}`, entryFor(name, version)]);
  }
}

if (process.argv.includes("--check")) {
  if (missing.length > 0) {
    const names = missing.map(([key]) => key.slice("node_modules/".length)).join(", ");
    console.error(
      `package-lock.json lacks ${names}: \`npm ci\` would refuse it; ` +
        "run node scripts/lock-platform-binaries.mjs",
    );
    process.exit(1);
  }
  process.exit(0);
}
for (const [key, entry] of missing) lock.packages[key] = entry;
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => a.localeCompare(b, "en")),
);
writeFileSync(path, JSON.stringify({ ...lock, packages: sorted }, null, 2) + "\n");
console.log(`package-lock.json: ${missing.length} platform package(s) written in`);

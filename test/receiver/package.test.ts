// @herald/receiver is publishable on its own: its package.json, a build of its sources alone
// that plain Node loads, and no import of anything but its own files and Node's builtins.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";

const root = new URL("../../packages/receiver/", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

test("package.json: @herald/receiver 0.1.0, ESM, exports, files, Apache-2.0, no dependencies", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(pkg.name, "@herald/receiver");
  assert.equal(pkg.version, "0.1.0");
  assert.equal(pkg.type, "module");
  assert.equal(pkg.license, "Apache-2.0");
  assert.deepEqual(pkg.exports["."], { types: "./dist/index.d.ts", default: "./dist/index.js" });
  assert.deepEqual(pkg.files, ["dist", "README.md"]);
  assert.equal(pkg.dependencies, undefined);
  for (const driver of ["better-sqlite3", "pg", "ioredis"])
    assert.equal(pkg.peerDependenciesMeta[driver].optional, true, driver);
  assert.ok(readFileSync(join(root, "README.md"), "utf8").length > 1000);
});

test("the sources import only their own files and node: builtins (drivers are passed in)", () => {
  for (const file of sources(join(root, "src"))) {
    const text = readFileSync(file, "utf8");
    const specifiers = [
      ...text.matchAll(/^(?:import|export)\s(?:[^;"]*?\sfrom\s)?"([^"]+)";/gm),
    ].map((m) => m[1]!);
    assert.ok(specifiers.length > 0 || file.endsWith("types.ts"), file);
    for (const specifier of specifiers) {
      if (specifier.startsWith("node:")) continue;
      const relative = specifier.startsWith("./") || specifier.startsWith("../");
      const target = resolve(dirname(file), specifier);
      assert.ok(relative && target.startsWith(join(root, "src")), `${file} imports ${specifier}`);
    }
  }
});

test("it builds on its own (tsconfig.build.json) and plain Node loads the build", () => {
  const out = mkdtempSync(join(tmpdir(), "receiver-build-"));
  try {
    execFileSync(
      process.execPath,
      [
        new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname,
        "-p",
        join(root, "tsconfig.build.json"),
        "--outDir",
        out,
      ],
      { stdio: "pipe" },
    );
    assert.ok(statSync(join(out, "index.d.ts")).isFile());
    const names = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(join(out, "index.js"))});
         const { secretKey, publicKey } = m.generateKeyPair();
         const headers = m.signHeaders(secretKey, "msg_1", new Date(), "{}");
         if (m.verifyWebhook({ publicKey }, headers, "{}").id !== "msg_1") throw new Error("verify");
         console.log(Object.keys(m).sort().join(" "));`,
      ],
      { encoding: "utf8", cwd: out },
    );
    for (const name of [
      "createReceiver",
      "nodeHandler",
      "expressWebhooks",
      "fastifyWebhooks",
      "fetchHandler",
      "PostgresStore",
      "RedisStore",
      "SqliteStore",
      "MemoryStore",
      "WebhookVerificationError",
      "generateKeyPair",
      "signV1",
      "signV1a",
    ])
      assert.ok(names.split(" ").includes(name), name);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

// Compiles every Solidity file under src/chain/evm/contracts with solc-js into
// src/chain/evm/artifacts/<ContractName>.json = {contractName, abi, bytecode, solcVersion, sourceHash}.
//
// Usage: node scripts/build-contracts.mjs [--force] [--quiet]
//   or, from another script: `const { buildContracts } = await import("./build-contracts.mjs");
//   await buildContracts();` → {built, artifacts: paths, ms}; throws on compile errors.
//
// A no-op (no solc load, a few ms) when the artifacts' sourceHash matches the current sources,
// compiler version, settings and OpenZeppelin version. Artifacts are generated: never edit them.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const contractsDir = join(root, "src", "chain", "evm", "contracts");
const artifactsDir = join(root, "src", "chain", "evm", "artifacts");
const manifestPath = join(artifactsDir, "_build.json");
const require = createRequire(join(root, "package.json"));

/** Bump when the artifact format or this script's output changes, so old artifacts rebuild. */
const FORMAT = 1;

const settings = {
  // Explicit rather than solc's default (prague in 0.8.30): the bytecode does not move when the
  // compiler's default does, and cancun runs on every EVM chain Herald targets as well as EDR.
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 200 },
};

function findSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findSources(path);
    return entry.name.endsWith(".sol") ? [path] : [];
  });
}

/** Source unit names are paths relative to the contracts folder, with forward slashes. */
function unitName(path) {
  return relative(contractsDir, path).split(sep).join("/");
}

function packageVersion(name) {
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")).version;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so a concurrent reader never sees half a file. */
function writeAtomic(path, text) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Resolves imports that are not one of our sources: packages from node_modules, then our folder. */
function findImport(path) {
  try {
    if (path.startsWith("@") || !path.startsWith(".")) {
      const fromPackages = tryResolve(path);
      if (fromPackages) return { contents: readFileSync(fromPackages, "utf8") };
    }
    const local = resolve(contractsDir, path);
    if (local.startsWith(contractsDir + sep) && existsSync(local)) {
      return { contents: readFileSync(local, "utf8") };
    }
    return { error: `import not found: ${path}` };
  } catch (error) {
    return { error: `import ${path}: ${error.message}` };
  }
}

function tryResolve(path) {
  try {
    return require.resolve(path);
  } catch {
    return undefined;
  }
}

/**
 * Builds the artifacts if they are missing or stale.
 * @param {{ force?: boolean, quiet?: boolean }} [options]
 * @returns {Promise<{ built: boolean, artifacts: string[], ms: number }>}
 */
export async function buildContracts({ force = false, quiet = false } = {}) {
  const started = performance.now();
  const log = quiet ? () => {} : (line) => process.stderr.write(`${line}\n`);
  const files = findSources(contractsDir).sort();
  if (files.length === 0) throw new Error(`no .sol files under ${contractsDir}`);

  const sources = Object.fromEntries(
    files.map((file) => [unitName(file), { content: readFileSync(file, "utf8") }]),
  );
  const solcVersion = packageVersion("solc");
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify({
      format: FORMAT,
      solcVersion,
      openzeppelin: packageVersion("@openzeppelin/contracts"),
      settings,
    }),
  );
  for (const [name, { content }] of Object.entries(sources)) hash.update(`\0${name}\0${content}`);
  const sourceHash = `sha256:${hash.digest("hex")}`;

  const manifest = readJson(manifestPath);
  if (!force && manifest?.sourceHash === sourceHash) {
    const paths = manifest.contracts.map((name) => join(artifactsDir, `${name}.json`));
    if (paths.every((path) => readJson(path)?.sourceHash === sourceHash)) {
      return { built: false, artifacts: paths, ms: performance.now() - started };
    }
  }

  const solc = require("solc");
  const input = {
    language: "Solidity",
    sources,
    settings: {
      ...settings,
      outputSelection: Object.fromEntries(
        Object.keys(sources).map((name) => [name, { "*": ["abi", "evm.bytecode.object"] }]),
      ),
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const problems = output.errors ?? [];
  for (const problem of problems.filter((p) => p.severity !== "error")) {
    log(problem.formattedMessage ?? problem.message);
  }
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) {
    const text = errors.map((e) => e.formattedMessage ?? e.message).join("\n");
    throw new Error(`solc ${solcVersion} failed to compile the contracts:\n${text}`);
  }

  mkdirSync(artifactsDir, { recursive: true });
  const written = [];
  for (const [unit, contracts] of Object.entries(output.contracts ?? {})) {
    for (const [contractName, compiled] of Object.entries(contracts)) {
      const bytecode = compiled.evm?.bytecode?.object ?? "";
      if (bytecode.length === 0) continue; // abstract contracts and interfaces deploy nothing
      if (written.includes(contractName)) {
        throw new Error(`two contracts are named ${contractName} (the second in ${unit})`);
      }
      const artifact = {
        contractName,
        abi: compiled.abi,
        bytecode: `0x${bytecode}`,
        solcVersion: solc.version(),
        sourceHash,
      };
      writeAtomic(
        join(artifactsDir, `${contractName}.json`),
        `${JSON.stringify(artifact, null, 2)}\n`,
      );
      written.push(contractName);
    }
  }
  // Artifacts of contracts that no longer exist must not linger.
  for (const name of readdirSync(artifactsDir)) {
    const stale = name.endsWith(".json") && !written.includes(name.slice(0, -".json".length));
    if (stale && name !== "_build.json") rmSync(join(artifactsDir, name), { force: true });
  }
  writeAtomic(manifestPath, `${JSON.stringify({ sourceHash, contracts: written }, null, 2)}\n`);
  const ms = performance.now() - started;
  log(`compiled ${written.join(", ")} with solc ${solcVersion} in ${Math.round(ms)} ms`);
  return { built: true, artifacts: written.map((n) => join(artifactsDir, `${n}.json`)), ms };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  try {
    await buildContracts({ force: args.includes("--force"), quiet: args.includes("--quiet") });
  } catch (error) {
    process.stderr.write(`build-contracts: ${error.message}\n`);
    process.exit(1);
  }
}

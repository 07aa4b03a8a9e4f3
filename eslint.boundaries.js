// The house's boundaries (docs/architecture.md), as lint rules: `npm run lint` fails when a
// layer imports one it must not. test/lint-boundaries.test.ts lints a violation of each rule.
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

/** Libraries that belong to one adapter: core names none of them. */
const ADAPTER_LIBRARIES = [
  "fastify",
  "@fastify/*",
  "ajv",
  "ajv-formats",
  "@sinclair/typebox",
  "pg",
  "better-sqlite3",
  "viem",
  "viem/*",
  "hardhat",
  "hardhat/*",
  "@solana/*",
  "litesvm",
  "undici",
  "@aws-sdk/*",
  "@smithy/*",
  "amqplib",
  "pino",
  "@opentelemetry/*",
];

const LAYERS = ["api", "chain", "store", "dispatcher", "destinations", "cli"];
const ROOT = ["./src/app.ts", "./src/config.ts"];
const layer = (name) => `./src/${name}`;
const others = (...allowed) => LAYERS.filter((name) => !allowed.includes(name)).map(layer);

/** For each layer, what it may not import (its own folder and core are always allowed). */
const zones = [
  {
    target: layer("core"),
    from: [...LAYERS.map(layer), ...ROOT, "./src/logger.ts", "./src/observability"],
    message:
      "core defines ports; adapters and the composition root depend on it, never the reverse",
  },
  {
    target: layer("api"),
    // The API shows destination settings' schemas (destinations/registry.ts).
    from: [...others("api", "destinations"), ...ROOT],
    message: "the api calls core; it never reaches into chain, store, dispatcher or the root",
  },
  {
    target: layer("chain"),
    from: [...others("chain"), ...ROOT],
    message: "the chain module calls core; it never reaches into the api, store or the root",
  },
  {
    target: layer("store"),
    from: [...others("store"), ...ROOT],
    message: "a store implements core's Store port and knows no other layer",
  },
  {
    target: layer("dispatcher"),
    from: [...others("dispatcher", "destinations"), ...ROOT],
    message: "the dispatcher delivers through destinations; it knows no other layer",
  },
  {
    target: layer("destinations"),
    from: [...others("destinations"), ...ROOT],
    message: "a destination implements one interface and knows no other layer",
  },
  {
    target: "./src/!(app.ts|cli)/**",
    from: ROOT.slice(0, 1),
    message: "nothing below the composition root imports it",
  },
  // A chain family is one folder: the others, and the family-neutral chain code, never see it.
  // Only the registry (src/chain/families.ts) names the families.
  {
    target: "./src/chain/!(evm)/**",
    from: "./src/chain/evm",
    message: "a chain family is reached through its adapter (src/chain/families.ts), not its files",
  },
  {
    target: "./src/chain/!(families).ts",
    from: "./src/chain/evm",
    message: "a chain family is reached through its adapter (src/chain/families.ts), not its files",
  },
  {
    target: "./src/chain/!(solana)/**",
    from: "./src/chain/solana",
    message: "a chain family is reached through its adapter (src/chain/families.ts), not its files",
  },
  {
    target: "./src/chain/!(families).ts",
    from: "./src/chain/solana",
    message: "a chain family is reached through its adapter (src/chain/families.ts), not its files",
  },
  {
    target: "./console",
    from: "./src",
    message: "the console talks to Herald only through the public HTTP API",
  },
  {
    target: "./packages",
    from: ["./src", "./console", "./test", "./bench"],
    message:
      "a package in packages/ is published on its own: it never imports Herald's server, console or tests",
  },
  {
    target: "./bench",
    from: "./src",
    except: ["./index.ts"],
    message: "bench/ uses Herald only through its public entry point, src/index.ts",
  },
];

export default [
  {
    files: ["src/**/*.ts", "console/**/*.{ts,tsx}", "bench/**/*.ts", "packages/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: ["./tsconfig.json", "./console/tsconfig.json", "./bench/tsconfig.json"],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      "import-x/no-restricted-paths": ["error", { zones }],
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ADAPTER_LIBRARIES,
              message: "core knows no HTTP framework, SQL driver, chain library, logger or tracer",
            },
          ],
        },
      ],
    },
  },
];

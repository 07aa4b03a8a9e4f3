import { parseRetrySchedule, DEFAULT_RETRY_SCHEDULE } from "./core/policy/retry-policy.js";
import { CHAIN_ADAPTERS } from "./chain/families.js";
import { parseChains, type ChainInfo } from "./core/chain/chains.js";
import { parseMasterKey } from "./core/runtime/secret-box.js";
import { parseAllowList, type AllowList } from "./core/policy/ssrf-policy.js";
import { tracingSettings, type TracingSettings } from "./observability/tracing-settings.js";

// Every setting once: its environment variable, its flag, its default and its parser.
// `herald start --help`, the README table and validation all come from this list.

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  databaseSchema: string;
  apiKey: string | null;
  originalApiKey: string | null;
  originalApiSecret: string | null;
  retrySchedule: number[];
  deliveryTimeoutMs: number;
  allowPrivateNetworks: AllowList;
  allowPrivateNetworksText: string;
  masterKey: string | null;
  adminToken: string | null;
  metricsToken: string | null;
  metrics: boolean;
  publicUrl: string | null;
  logLevel: string;
  concurrency: number;
  endpointConcurrency: number;
  autoDisableAfterMs: number;
  secretGraceMs: number;
  sqliteSynchronous: "NORMAL" | "FULL";
  chains: ChainInfo[];
  roles: Role[];
  /** 0: keep everything. */
  retentionDays: number;
  /** `herald start --no-migrate`: refuse a schema with pending migrations instead. */
  migrate: boolean;
  /** Webhooks carry their attempt's `traceparent` header (with tracing on). */
  tracePropagation: boolean;
  /** From the standard OTEL_* variables; null: tracing is off. */
  tracing: TracingSettings | null;
}

/** What a process does: serve the API, deliver webhooks, run the chain module. */
export const ROLES = ["api", "worker", "chain"] as const;
export type Role = (typeof ROLES)[number];

export function parseRoles(text: string): Role[] {
  const roles = text
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  if (roles.length === 0) throw new Error(`must name at least one of ${ROLES.join(", ")}`);
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new Error(`"${role}" is not a role; roles are ${ROLES.join(", ")}`);
    }
  }
  return ROLES.filter((role) => roles.includes(role));
}

export class ConfigError extends Error {}

interface Setting {
  key: keyof Config;
  env: string;
  flag: string;
  description: string;
  default: string | null;
  parse: (value: string) => unknown;
}

function integer(min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < min || n > max)
      throw new Error(`must be a whole number from ${min} to ${max}, got "${v}"`);
    return n;
  };
}

function oneOf<T extends string>(...values: T[]) {
  return (v: string) => {
    const upper = v.trim();
    const match = values.find((x) => x.toLowerCase() === upper.toLowerCase());
    if (!match) throw new Error(`must be one of ${values.join(", ")}, got "${v}"`);
    return match;
  };
}

const text = (v: string) => v;

function boolean(v: string): boolean {
  const lower = v.trim().toLowerCase();
  if (lower === "true" || lower === "1") return true;
  if (lower === "false" || lower === "0" || lower === "") return false;
  throw new Error(`must be true or false, got "${v}"`);
}

export const SETTINGS: Setting[] = [
  {
    key: "port",
    env: "PORT",
    flag: "--port",
    description: "listen port",
    default: "8080",
    parse: integer(0, 65535),
  },
  {
    key: "host",
    env: "HOST",
    flag: "--host",
    description: "listen address",
    default: "127.0.0.1",
    parse: text,
  },
  {
    key: "dataDir",
    env: "HERALD_DATA_DIR",
    flag: "--data-dir",
    description: "embedded store and generated keys",
    default: "./.herald",
    parse: text,
  },
  {
    key: "databaseUrl",
    env: "HERALD_DATABASE_URL",
    flag: "--database-url",
    description: "postgres://… selects PostgreSQL; unset: SQLite in the data dir",
    default: null,
    parse: (v) => {
      if (v === "") return null;
      if (!/^postgres(ql)?:\/\//.test(v)) throw new Error("must be a postgres:// URL");
      return v;
    },
  },
  {
    key: "databaseSchema",
    env: "HERALD_DATABASE_SCHEMA",
    flag: "--database-schema",
    description: "PostgreSQL schema holding Herald's tables (several Heralds can share a database)",
    default: "public",
    parse: (v) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(v)) {
        throw new Error("must be a plain identifier: letters, digits and _, at most 63");
      }
      return v;
    },
  },
  {
    key: "apiKey",
    env: "HERALD_API_KEY",
    flag: "--api-key",
    description: "ensures a project `default` opened by this key",
    default: null,
    parse: (v) => {
      if (v === "") return null;
      if (v.length < 16) throw new Error("must be at least 16 characters");
      return v;
    },
  },
  {
    key: "originalApiKey",
    env: "HERALD_ORIGINAL_API_KEY",
    flag: "--original-api-key",
    description:
      "with HERALD_ORIGINAL_API_SECRET: ensures project `default` has this Original key pair",
    default: null,
    parse: (v) => {
      if (v === "") return null;
      if (!/^[\x21-\x7e]{8,200}$/.test(v))
        throw new Error("must be 8-200 printable characters without spaces");
      return v;
    },
  },
  {
    key: "originalApiSecret",
    env: "HERALD_ORIGINAL_API_SECRET",
    flag: "--original-api-secret",
    description: "the secret that signs the Original API's tokens (HS256) for that key",
    default: null,
    parse: (v) => {
      if (v === "") return null;
      if (v.length < 16 || v.length > 500) throw new Error("must be 16-500 characters");
      return v;
    },
  },
  {
    key: "retrySchedule",
    env: "HERALD_RETRY_SCHEDULE",
    flag: "--retry-schedule",
    description: "seconds before each retry, comma-separated",
    default: DEFAULT_RETRY_SCHEDULE.join(","),
    parse: parseRetrySchedule,
  },
  {
    key: "deliveryTimeoutMs",
    env: "HERALD_DELIVERY_TIMEOUT_MS",
    flag: "--delivery-timeout-ms",
    description: "per-attempt timeout",
    default: "15000",
    parse: integer(1, 300_000),
  },
  {
    key: "allowPrivateNetworks",
    env: "HERALD_ALLOW_PRIVATE_NETWORKS",
    flag: "--allow-private-networks",
    description: "CIDRs exempt from the SSRF guard, comma-separated",
    default: "",
    parse: parseAllowList,
  },
  {
    key: "masterKey",
    env: "HERALD_MASTER_KEY",
    flag: "--master-key",
    description:
      "32-byte key (base64 or hex) encrypting secrets at rest; unset: generated into the data dir",
    default: null,
    parse: (v) => {
      if (v === "") return null;
      parseMasterKey(v);
      return v;
    },
  },
  {
    key: "adminToken",
    env: "HERALD_ADMIN_TOKEN",
    flag: "--admin-token",
    description: "enables the admin routes",
    default: null,
    parse: (v) => {
      if (v === "") return null;
      if (v.length < 16) throw new Error("must be at least 16 characters");
      return v;
    },
  },
  {
    key: "metrics",
    env: "HERALD_METRICS",
    flag: "--metrics",
    description: "`false`: no Prometheus metrics (/metrics answers 404), nothing counted",
    default: "true",
    parse: boolean,
  },
  {
    key: "metricsToken",
    env: "HERALD_METRICS_TOKEN",
    flag: "--metrics-token",
    description: "/metrics asks for Authorization: Bearer <token>; unset: /metrics is open",
    default: null,
    parse: (v) => {
      if (v === "") return null;
      if (v.length < 16) throw new Error("must be at least 16 characters");
      return v;
    },
  },
  {
    key: "publicUrl",
    env: "HERALD_PUBLIC_URL",
    flag: "--public-url",
    description: "base URL in `resource` links; unset: http://HOST:PORT",
    default: null,
    parse: (v) => {
      if (v === "") return null;
      try {
        return new URL(v).toString().replace(/\/$/, "");
      } catch {
        throw new Error(`must be an absolute URL, got "${v}"`);
      }
    },
  },
  {
    key: "logLevel",
    env: "HERALD_LOG_LEVEL",
    flag: "--log-level",
    description: "fatal, error, warn, info, debug, trace or silent",
    default: "info",
    parse: oneOf("fatal", "error", "warn", "info", "debug", "trace", "silent"),
  },
  {
    key: "concurrency",
    env: "HERALD_CONCURRENCY",
    flag: "--concurrency",
    description: "attempts in flight at once, over all endpoints (mostly waiting on sockets)",
    default: "1024",
    parse: integer(1, 10_000),
  },
  {
    key: "endpointConcurrency",
    env: "HERALD_ENDPOINT_CONCURRENCY",
    flag: "--endpoint-concurrency",
    description: "attempts in flight at once to one endpoint, at most (its limit adapts)",
    default: "64",
    parse: integer(1, 10_000),
  },
  {
    key: "autoDisableAfterMs",
    env: "HERALD_AUTO_DISABLE_AFTER",
    flag: "--auto-disable-after",
    description: "seconds of nothing but failures before an endpoint is disabled",
    default: String(5 * 24 * 3600),
    parse: (v) => integer(1, 10 ** 9)(v) * 1000,
  },
  {
    key: "secretGraceMs",
    env: "HERALD_SECRET_GRACE",
    flag: "--secret-grace",
    description: "seconds a rotated-out secret keeps signing",
    default: String(24 * 3600),
    parse: (v) => integer(0, 10 ** 8)(v) * 1000,
  },
  {
    key: "chains",
    env: "HERALD_CHAINS",
    flag: "--chains",
    description:
      'chains as JSON: [{"name", "family"? (evm), "rpcUrl" or "rpcUrls", "chainId", "confirmations"?, "finality"?, "privateKey" or "privateKeys" or "signers"?, "maxPendingPerSigner"?, "mintBatch"?, "signerBalanceLow"?, "maxFeePerGas"?, "replaceAfterMs"?}]; a name Crossmint documents (polygon, base, …) needs only rpcUrl; an entry named "local" (no rpcUrl) sets the embedded chain\'s confirmations and finality',
    default: "",
    parse: (text: string) => parseChains(text, CHAIN_ADAPTERS),
  },
  {
    key: "sqliteSynchronous",
    env: "HERALD_SQLITE_SYNCHRONOUS",
    flag: "--sqlite-synchronous",
    description: "NORMAL survives process crashes; FULL also power loss",
    default: "NORMAL",
    parse: oneOf("NORMAL", "FULL"),
  },
  {
    key: "retentionDays",
    env: "HERALD_RETENTION_DAYS",
    flag: "--retention-days",
    description:
      "days events, their deliveries and attempts are kept once delivered (0: forever); idempotency keys are kept 24 h",
    default: "30",
    parse: integer(0, 36_500),
  },
  {
    key: "roles",
    env: "HERALD_ROLE",
    flag: "--role",
    description:
      "what this process runs, comma-separated: api (HTTP API), worker (webhook delivery), chain (chain module)",
    default: ROLES.join(","),
    parse: parseRoles,
  },
  {
    key: "tracePropagation",
    env: "HERALD_TRACE_PROPAGATION",
    flag: "--trace-propagation",
    description:
      "true: webhooks carry a traceparent header (their attempt's span; needs tracing, OTEL_EXPORTER_OTLP_ENDPOINT)",
    default: "false",
    parse: boolean,
  },
];

/** Flags win over the environment, which wins over defaults. The first bad value stops start-up. */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  flags: Record<string, string | undefined>,
): Config {
  const config: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    // commander hands flags over camel-cased: --data-dir arrives as dataDir.
    const flagName = setting.flag
      .replace(/^--/, "")
      .replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const raw = flags[flagName] ?? env[setting.env] ?? setting.default;
    const source = flags[flagName] !== undefined ? setting.flag : setting.env;
    if (raw === null) {
      config[setting.key] = null;
      continue;
    }
    try {
      config[setting.key] = setting.parse(raw);
    } catch (error) {
      // Some parsers already name the setting (their errors are also read outside config).
      let message = (error as Error).message;
      if (message.startsWith(`${setting.env}: `)) message = message.slice(setting.env.length + 2);
      throw new ConfigError(`${source}: ${message}`);
    }
    if (setting.key === "allowPrivateNetworks") config.allowPrivateNetworksText = raw;
  }
  if ((config.originalApiKey === null) !== (config.originalApiSecret === null)) {
    throw new ConfigError(
      "HERALD_ORIGINAL_API_KEY and HERALD_ORIGINAL_API_SECRET: give both, or neither",
    );
  }
  try {
    config.tracing = tracingSettings(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  // commander's `--no-migrate` arrives as `migrate: false`.
  config.migrate = (flags as Record<string, unknown>).migrate !== false;
  return config as unknown as Config;
}

// Herald started for one benchmark configuration, and stopped without leftovers.
//   SQLite: one process with every role (api, worker, chain), as `herald start` runs by default.
//   PostgreSQL with W workers: one `api` process (it migrates a fresh schema), then W `worker`
//   processes on the same schema; each process has its own data dir and the same master key.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { startChildHerald, type ChildHerald } from "./child.js";

export type ClusterConfig =
  { store: "sqlite" } | { store: "postgres"; workers: number; databaseUrl: string };

export interface ClusterSettings {
  apiKey: string;
  /** Per process: attempts in flight, and in flight to one endpoint (unset: Herald's defaults). */
  concurrency?: number;
  endpointConcurrency?: number;
  /** The Original key pair of the default project (HERALD_ORIGINAL_API_KEY and _SECRET). */
  original?: { apiKey: string; apiSecret: string };
  /** More environment for every process (the OTEL_* variables of the tracing phase). */
  env?: Record<string, string>;
}

export interface Cluster {
  /** The API's base URL. */
  url: string;
  /** Short name in progress bars and the report: "SQLite", "PostgreSQL W=2". */
  label: string;
  /** Processes delivering webhooks. */
  workers: number;
  /** SIGTERM to every process, then the schema dropped and the data dirs removed. */
  stop(): Promise<void>;
}

/** Clusters started and not yet stopped, so an interrupted run can still clean up. */
const running = new Set<Cluster>();

/** Stops every cluster still running (Ctrl-C during a measurement). */
export async function stopAllClusters(): Promise<void> {
  await Promise.all([...running].map((cluster) => cluster.stop()));
}

export const clusterLabel = (config: ClusterConfig) =>
  config.store === "sqlite" ? "SQLite" : `PostgreSQL W=${config.workers}`;

export async function startCluster(
  config: ClusterConfig,
  settings: ClusterSettings,
): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), "herald-bench-"));
  const base = {
    HERALD_API_KEY: settings.apiKey,
    HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
    HERALD_LOG_LEVEL: "warn",
    ...(settings.concurrency === undefined
      ? {}
      : { HERALD_CONCURRENCY: String(settings.concurrency) }),
    ...(settings.endpointConcurrency === undefined
      ? {}
      : { HERALD_ENDPOINT_CONCURRENCY: String(settings.endpointConcurrency) }),
    ...(settings.original
      ? {
          HERALD_ORIGINAL_API_KEY: settings.original.apiKey,
          HERALD_ORIGINAL_API_SECRET: settings.original.apiSecret,
        }
      : {}),
    ...settings.env,
  };
  const children: ChildHerald[] = [];
  let dropSchema: (() => Promise<void>) | null = null;
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(children.map((child) => child.stop()));
      await dropSchema?.();
      rmSync(root, { recursive: true, force: true });
      running.delete(cluster);
    })());
  const cluster: Cluster = { url: "", label: clusterLabel(config), workers: 1, stop };
  running.add(cluster);

  try {
    if (config.store === "sqlite") {
      const herald = await startChildHerald(
        { ...base, HERALD_DATA_DIR: root },
        { onSpawn: (child) => children.push(child) },
      );
      cluster.url = herald.url;
      return cluster;
    }

    const schema = `herald_bench_${randomBytes(6).toString("hex")}`;
    dropSchema = () => dropPostgresSchema(config.databaseUrl, schema);
    const env = {
      ...base,
      HERALD_DATABASE_URL: config.databaseUrl,
      HERALD_DATABASE_SCHEMA: schema,
      HERALD_MASTER_KEY: randomBytes(32).toString("hex"),
    };
    const start = (role: string, name: string) =>
      startChildHerald(
        { ...env, HERALD_ROLE: role, HERALD_DATA_DIR: mkdtempSync(join(root, `${name}-`)) },
        { profileName: `pg-w${config.workers}-${name}`, onSpawn: (child) => children.push(child) },
      );
    // The api process first: it creates and migrates the schema; the workers find it ready.
    const api = await start("api", "api");
    await Promise.all(
      Array.from({ length: config.workers }, (_, i) => start("worker", `worker-${i + 1}`)),
    );
    cluster.url = api.url;
    cluster.workers = config.workers;
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export interface PostgresSettings {
  version: string;
  synchronousCommit: string;
  fsync: string;
  walSyncMethod: string;
}

/** What the server commits with: the durability the PostgreSQL rows were measured under. */
export async function postgresSettings(url: string): Promise<PostgresSettings> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const show = async (name: string) =>
      String((await client.query<Record<string, unknown>>(`SHOW ${name}`)).rows[0]?.[name]);
    return {
      version: await show("server_version"),
      synchronousCommit: await show("synchronous_commit"),
      fsync: await show("fsync"),
      walSyncMethod: await show("wal_sync_method"),
    };
  } finally {
    await client.end();
  }
}

/**
 * Flushes the dirty pages the previous configuration left, so its checkpoint does not land in
 * the next one's measurement. Needs a superuser (or pg_checkpoint); skipped when refused.
 */
export async function checkpoint(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("CHECKPOINT");
    return true;
  } catch {
    return false;
  } finally {
    await client.end();
  }
}

import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import type { FastifyInstance } from "fastify";
import { API_PREFIX } from "./api/paths.js";
import { buildServer } from "./api/server.js";
import type { Config } from "./config.js";
import { ConfigError } from "./config.js";
import { ChainModule } from "./chain/chain-module.js";
import { CHAIN_ADAPTERS } from "./chain/families.js";
import { ActionService } from "./core/webhooks/actions.js";
import { ChainObservations } from "./core/chain/chain-observations.js";
import { SignerAlerts } from "./core/chain/signer-alerts.js";
import { ChainStatusService } from "./core/chain/chain-status.js";
import { ChainResults } from "./core/chain/chain-results.js";
import { findChainMismatches } from "./core/chain/chain-identities.js";
import { ChainRegistry } from "./core/chain/chains.js";
import { CollectionService } from "./core/chain/collections.js";
import { NftService } from "./core/chain/nfts.js";
import { WalletService } from "./core/chain/wallets.js";
import { EndpointService } from "./core/webhooks/endpoints.js";
import { EventService } from "./core/webhooks/events.js";
import { ProjectService } from "./core/webhooks/projects.js";
import { OriginalKeys, type OriginalKeyPair } from "./core/original/keys.js";
import { OriginalUserService } from "./core/original/users.js";
import { OriginalAssetService } from "./core/original/assets.js";
import { OriginalRewardService } from "./core/original/rewards.js";
import type { AttemptObserver } from "./dispatcher/attempt.js";
import { HeraldMetrics } from "./observability/metrics.js";
import { Readiness } from "./observability/readiness.js";
import { attemptSpans } from "./observability/attempt-spans.js";
import { traceRequests } from "./observability/http-spans.js";
import { startTracing } from "./observability/tracing.js";
import { NO_TRACE, type TraceContext } from "./core/ports/trace.js";
import type { RequestContext } from "./core/ports/request-context.js";
import { requestFeeCeiling } from "./api/fee-ceiling.js";
import { Retention } from "./core/runtime/retention.js";
import { ProcessLocks, Singleton, type ExclusiveLocks } from "./core/runtime/singleton.js";
import { checkMasterKey, custodialSeed } from "./core/runtime/master-key.js";
import { generateMasterKey, parseMasterKey, SecretBox } from "./core/runtime/secret-box.js";
import { Signals } from "./core/runtime/signals.js";
import { DestinationRegistry } from "./destinations/registry.js";
import { Dispatcher } from "./dispatcher/dispatcher.js";
import { DataDirLock } from "./store/sqlite/data-dir-lock.js";
import { SqliteStore } from "./store/sqlite/sqlite-store.js";
import { PostgresLocks } from "./store/postgres/advisory-locks.js";
import { PostgresStore } from "./store/postgres/postgres-store.js";
import { PostgresSignalBus } from "./store/postgres/signal-bus.js";
import type { Store } from "./core/ports/store.js";

export interface Services {
  config: Config;
  log: Logger;
  store: Store;
  signals: Signals;
  /** Destination types: checks and masking for the API, senders for the dispatcher. */
  destinations: DestinationRegistry;
  projects: ProjectService;
  endpoints: EndpointService;
  events: EventService;
  actions: ActionService;
  chains: ChainRegistry;
  collections: CollectionService;
  wallets: WalletService;
  nfts: NftService;
  chainResults: ChainResults;
  chainObservations: ChainObservations;
  originalKeys: OriginalKeys;
  originalUsers: OriginalUserService;
  originalAssets: OriginalAssetService;
  originalRewards: OriginalRewardService;
}

export interface MasterKey {
  key: Buffer;
  /** Where it comes from, for messages: the setting, or the file in the data dir. */
  source: string;
  /** The file it was read from (null: the setting). */
  path: string | null;
}

/**
 * The master key from the setting, or the one in the data dir, generated on first start
 * (unless `generate` is false: then a missing key is a ConfigError).
 */
export function loadMasterKey(config: Config, { generate = true } = {}): MasterKey {
  if (config.masterKey) {
    try {
      return { key: parseMasterKey(config.masterKey), source: "HERALD_MASTER_KEY", path: null };
    } catch (error) {
      throw new ConfigError(`HERALD_MASTER_KEY: ${(error as Error).message}`);
    }
  }
  const path = join(resolve(config.dataDir), "master.key");
  let source = path;
  if (!existsSync(path)) {
    if (!generate) throw new ConfigError(`HERALD_MASTER_KEY is not set and ${path} does not exist`);
    mkdirSync(resolve(config.dataDir), { recursive: true });
    writeFileSync(path, generateMasterKey() + "\n", { mode: 0o600, flag: "wx" });
    source = `${path} (generated just now)`;
  }
  try {
    return { key: parseMasterKey(readFileSync(path, "utf8")), source, path };
  } catch (error) {
    throw new ConfigError(`HERALD_MASTER_KEY (from ${path}): ${(error as Error).message}`);
  }
}

/**
 * Refuses to go on when the store's secrets are sealed with another key than this process's:
 * every attempt would fail to sign (the first process on a database records its key's check).
 */
export async function requireMasterKey(store: Store, masterKey: MasterKey): Promise<SecretBox> {
  const box = new SecretBox(masterKey.key);
  if ((await checkMasterKey(store, box, Date.now())) === "mismatch") {
    throw new ConfigError(
      `HERALD_MASTER_KEY: this process's master key (from ${masterKey.source}) is not the one ` +
        "the database's secrets are sealed with; give every process the database's key " +
        "(HERALD_MASTER_KEY), or change the database's key with `herald rotate-master-key`",
    );
  }
  return box;
}

export function openStore(config: Config): Store {
  if (config.databaseUrl) {
    return new PostgresStore(config.databaseUrl, { schema: config.databaseSchema });
  }
  return new SqliteStore(join(resolve(config.dataDir), "herald.db"), {
    synchronous: config.sqliteSynchronous,
  });
}

export function publicBaseUrl(config: Config, port: number): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `http://${host === "0.0.0.0" || host === "[::]" ? "localhost" : host}:${port}`;
}

export function createServices(
  config: Config,
  log: Logger,
  store: Store,
  box: SecretBox,
  custodialSecret: Uint8Array,
  baseUrl: () => string,
  /** What events and chain jobs made in a request are stored with (tracing). */
  traces: TraceContext = NO_TRACE,
): Services {
  const signals = new Signals();
  // A request's chain jobs keep its trace and its fee ceiling (x-herald-max-fee-per-gas).
  const request: RequestContext = {
    current: () => traces.current(),
    maxFeePerGas: requestFeeCeiling,
  };
  const destinations = new DestinationRegistry(config.allowPrivateNetworks);
  const apiBase = () => baseUrl() + API_PREFIX;
  const actions = new ActionService(store, signals, apiBase, traces);
  const chains = new ChainRegistry(config.chains, CHAIN_ADAPTERS);
  const collections = new CollectionService(store, chains, signals, actions, apiBase, request);
  const wallets = new WalletService(
    store,
    chains,
    custodialSecret,
    signals,
    (path) => collections.apiUrl(path),
    traces,
  );
  const nfts = new NftService(store, chains, collections, wallets, signals, baseUrl, request);
  const originalUsers = new OriginalUserService(store, chains, wallets);
  return {
    config,
    log,
    store,
    signals,
    projects: new ProjectService(store, box),
    destinations,
    endpoints: new EndpointService(store, box, destinations, signals, config.secretGraceMs, traces),
    events: new EventService(store, signals, traces),
    actions,
    chains,
    collections,
    wallets,
    nfts,
    originalKeys: new OriginalKeys(store, box),
    originalUsers,
    originalAssets: new OriginalAssetService(
      store,
      originalUsers,
      nfts,
      collections,
      wallets,
      chains,
    ),
    originalRewards: new OriginalRewardService(
      store,
      originalUsers,
      wallets,
      chains,
      signals,
      baseUrl,
      request,
    ),
    chainResults: new ChainResults(store, signals, chains),
    chainObservations: new ChainObservations(store, signals, {
      tokenUri: (projectId, collectionId, id) => nfts.metadataUrl(projectId, collectionId, id),
      nftResource: (collectionId, id) => nfts.url(collectionId, id),
    }),
  };
}

export interface RunningHerald {
  services: Services;
  server: FastifyInstance;
  dispatcher: Dispatcher;
  chainModule: ChainModule;
  url: string;
  generatedApiKey: string | null;
  /** The default project's Original key pair, when this start created it. */
  generatedOriginal: OriginalKeyPair | null;
  stop(): Promise<void>;
}

function createDispatcher(
  config: Config,
  log: Logger,
  services: Services,
  box: SecretBox,
  observers: AttemptObserver[],
) {
  const { destinations } = services;
  const dispatcher = new Dispatcher(
    services.store,
    services.signals,
    {
      observers,
      box,
      destinations,
      timeoutMs: config.deliveryTimeoutMs,
      schedule: config.retrySchedule,
      autoDisableMs: config.autoDisableAfterMs,
      leaseOwner: `herald-${process.pid}-${randomBytes(4).toString("hex")}`,
      now: Date.now,
      random: Math.random,
    },
    {
      concurrency: config.concurrency,
      endpointConcurrency: config.endpointConcurrency,
      idlePollMs: 1000,
    },
    log.child({ component: "dispatcher" }),
  );
  return { dispatcher, destinations };
}

function retentionSingleton(
  config: Config,
  log: Logger,
  store: Store,
  locks: ExclusiveLocks,
): Singleton {
  const retentionLog = log.child({ component: "retention" });
  const options = {
    retentionMs: config.retentionDays * 24 * 60 * 60 * 1000,
    batchSize: 1000,
    pauseMs: 20,
    everyMs: 10 * 60 * 1000,
    now: Date.now,
  };
  return new Singleton(
    locks,
    "retention",
    () => {
      const retention = new Retention(store, retentionLog, options);
      return { start: async () => retention.start(), stop: () => retention.stop() };
    },
    retentionLog,
  );
}

function displayUrl(host: string, port: number): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** Opens the store, starts the API and the dispatcher; `stop` undoes it gracefully. */
export async function startHerald(config: Config, log: Logger): Promise<RunningHerald> {
  const masterKey = loadMasterKey(config);
  await refuseChainsOfOtherNodes(config, log);
  const lock = config.databaseUrl ? null : DataDirLock.acquire(resolve(config.dataDir));
  let store: Store | null = null;
  let closeShared: (() => Promise<void>) | null = null;
  // Off (null) unless an OTLP endpoint is configured: then spans of requests, attempts, jobs.
  const tracing = startTracing(config.tracing);
  if (config.tracing) {
    const { origin, pathname } = new URL(config.tracing.url); // no credentials in the log
    log.info({ traces: origin + pathname }, "exporting traces (OTLP/HTTP)");
  }
  try {
    store = openStore(config);
    await prepareSchema(store, config.migrate);
    const box = await requireMasterKey(store, masterKey);
    // Custodial wallets are derived from a seed of their own, kept sealed in the store.
    const custodialSecret = await custodialSeed(store, box, Date.now());
    // One process owns an embedded store: whatever a crash left leased is free. On PostgreSQL
    // other processes hold live leases; a dead one's expire by themselves.
    const released = store.kind === "sqlite" ? await store.releaseAllLeases(Date.now()) : 0;
    if (released > 0)
      log.info({ released }, "resuming deliveries left in flight by the previous run");
    let listeningPort = config.port;
    const services = createServices(
      config,
      log,
      store,
      box,
      custodialSecret,
      () => publicBaseUrl(config, listeningPort),
      tracing?.context,
    );
    const shared = await coordinate(config, store, services.signals, log);
    closeShared = shared.close;
    const { generatedKey, generatedOriginal } = await services.projects.ensureDefault(
      config.apiKey ?? undefined,
      config.originalApiKey && config.originalApiSecret
        ? { apiKey: config.originalApiKey, apiSecret: config.originalApiSecret }
        : undefined,
    );
    const metrics = config.metrics ? new HeraldMetrics(store) : undefined;
    const { dispatcher, destinations } = createDispatcher(config, log, services, box, [
      ...(metrics ? [metrics.attempts] : []),
      ...(tracing ? [attemptSpans(tracing, { propagate: config.tracePropagation })] : []),
    ]);
    const { locks } = shared;
    const chainModule = new ChainModule({
      chains: services.chains,
      store,
      signals: services.signals,
      results: services.chainResults,
      observations: services.chainObservations,
      alerts: new SignerAlerts(store, services.signals),
      ...(metrics ? { metrics } : {}),
      ...(tracing ? { tracer: tracing.work } : {}),
      box,
      locks,
      log,
      dataDir: config.dataDir,
    });
    const abortWaits = new AbortController();
    const roles = new Set(config.roles);
    const readiness = new Readiness(store, [...roles]);
    const server = await buildServer(
      {
        ...services,
        chainStatus: new ChainStatusService(services.chains, store, (chain) =>
          chainModule.runner(chain),
        ),
        logLevel: config.logLevel,
        adminToken: config.adminToken,
        operations: {
          ...(metrics ? { metrics } : {}),
          metricsToken: config.metricsToken,
          readiness,
        },
        ...(tracing ? { instrument: (app: FastifyInstance) => traceRequests(app, tracing) } : {}),
      },
      abortWaits.signal,
      { api: roles.has("api") },
    );
    await server.listen({ port: config.port, host: config.host });
    const address = server.server.address();
    listeningPort = typeof address === "object" && address ? address.port : config.port;
    const retention =
      roles.has("worker") && config.retentionDays > 0
        ? retentionSingleton(config, log, store, locks)
        : null;
    await retention?.start();
    if (roles.has("worker")) dispatcher.start();
    if (roles.has("chain")) await chainModule.start();
    readiness.started = true;

    const opened = store;
    let stopping: Promise<void> | null = null;
    const stop = () =>
      (stopping ??= (async () => {
        readiness.started = false;
        abortWaits.abort();
        await server.close();
        await chainModule.stop();
        await retention?.stop();
        await dispatcher.stop(Math.min(config.deliveryTimeoutMs, 10_000));
        await destinations.close();
        await shared.close();
        await opened.close();
        lock?.release();
        // Last: the spans of everything above are exported.
        await tracing?.shutdown();
      })());
    const url = displayUrl(config.host, listeningPort);
    return {
      services,
      server,
      dispatcher,
      chainModule,
      url,
      generatedApiKey: generatedKey,
      generatedOriginal,
      stop,
    };
  } catch (error) {
    await closeShared?.().catch(() => undefined);
    await store?.close();
    lock?.release();
    await tracing?.shutdown();
    throw error;
  }
}

/**
 * A configured chain whose node answers as another chain stops start-up, in the roles that take
 * work for chains (api accepts it, chain sends it); a node that cannot be asked does not.
 */
async function refuseChainsOfOtherNodes(config: Config, log: Logger): Promise<void> {
  if (!config.roles.some((role) => role === "api" || role === "chain")) return;
  const chains = new ChainRegistry(config.chains, CHAIN_ADAPTERS);
  const mismatches = await findChainMismatches(chains, log);
  if (mismatches.length > 0) throw new ConfigError(`HERALD_CHAINS: ${mismatches.join("; ")}`);
}

/** Applies pending migrations (unless told not to); refuses a schema this code does not fit. */
async function prepareSchema(store: Store, migrate: boolean): Promise<void> {
  if (migrate) await store.migrate();
  const { current, latest } = await store.schemaVersion();
  if (current > latest) {
    throw new ConfigError(
      `the database schema (version ${current}) is newer than this Herald (version ${latest}); upgrade Herald`,
    );
  }
  if (current < latest) {
    throw new ConfigError(
      `the database schema is at version ${current}, this Herald needs ${latest}: run \`herald migrate\` (or start without --no-migrate)`,
    );
  }
}

/**
 * What processes sharing a database coordinate with: exclusive locks for the singleton jobs and
 * a bus carrying wake-ups between them. With the embedded store there is one process.
 */
async function coordinate(config: Config, store: Store, signals: Signals, log: Logger) {
  if (!(store instanceof PostgresStore)) {
    return { locks: new ProcessLocks() as ExclusiveLocks, close: async () => undefined };
  }
  const url = config.databaseUrl!;
  const bus = new PostgresSignalBus(store.pool, url, config.databaseSchema, (error) =>
    log.warn({ err: error }, "signal connection lost; reconnecting"),
  );
  await bus.start();
  const disconnect = signals.connect(bus);
  const locks = new PostgresLocks(url, config.databaseSchema);
  return {
    locks: locks as ExclusiveLocks,
    close: async () => {
      disconnect();
      await bus.close();
      await locks.close();
    },
  };
}

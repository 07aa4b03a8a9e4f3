// npm run bench [-- --events N --endpoints E --store sqlite|postgres|both --workers 1,2,4]:
// Herald's delivery throughput and latency beside the raw HTTP ceiling of the same receiver,
// measured in the same run on the same machine; on request also Herald on PostgreSQL with W
// worker processes and the BullMQ (Redis) baseline, all printed in one table. The SQLite Herald
// also delivers to SQS (local-aws-sqs) and RabbitMQ, each beside its own ceiling
// (--destination-events N, --no-destinations).
//
// The pieces: ceiling.ts (the ceiling), cluster.ts (Herald started for a configuration),
// phases.ts (throughput and latency against a running Herald), destinations.ts (the SQLite
// Herald to SQS and RabbitMQ, each beside its own ceiling), bullmq/ (the BullMQ baseline, in a
// child process), cpu.ts (CPU per process group, from /proc), mints.ts, allocations.ts (Original's
// reward allocations, read against the mints) and mint-ceiling.ts (the chain), report.ts (the
// output).
import { Command, InvalidArgumentError } from "commander";
import type { BullmqBaselineResult } from "./bullmq/baseline.js";
import { runBullmqBaseline } from "./bullmq/in-child.js";
import { measureCeilingFor } from "./ceiling.js";
import { measureDestinations, type DestinationsResult } from "./destinations.js";
import { CpuWindow, measured, type CpuUsage } from "./cpu.js";
import {
  checkpoint,
  clusterLabel,
  postgresSettings,
  startCluster,
  stopAllClusters,
  type Cluster,
  type ClusterConfig,
} from "./cluster.js";
import { measureAllocations } from "./allocations.js";
import { measureChainDrop, printChainDrop } from "./chain-drop.js";
import { measureMintCeiling } from "./mint-ceiling.js";
import { measureBareSolanaMints } from "../src/index.js";
import { measureIsolation, type IsolationResult } from "./isolation.js";
import { measureBatchMints, measureMints, measureSolanaMints } from "./mints.js";
import { measureDeliveries } from "./phases.js";
import { BenchReceiver } from "./receiver.js";
import { measureReceiverPackage } from "./receiver-package.js";
import { measureStoreFloor, type StoreFloorResult } from "./store-floor.js";
import { measureTracing, type TracingResult } from "./tracing.js";
import {
  printComparison,
  printSqliteReport,
  type Measured,
  type MintResult,
  type RunShape,
} from "./report.js";

const workerList = (value: string): number[] => {
  const list = value.split(",").map((w) => Number(w.trim()));
  if (list.length === 0 || list.some((w) => !Number.isInteger(w) || w < 1))
    throw new InvalidArgumentError("a comma-separated list of positive integers, e.g. 1,2,4");
  return list;
};
const eventCount = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("a whole number, 0 or more");
  return n;
};
const storeChoice = (value: string) => {
  if (!["sqlite", "postgres", "both"].includes(value))
    throw new InvalidArgumentError("sqlite, postgres or both");
  return value as "sqlite" | "postgres" | "both";
};

const options = new Command()
  .option("--events <n>", "events to publish", "20000")
  .option("--endpoints <n>", "endpoints each event fans out to", "1")
  .option("--batch <n>", "events per publish request (POST /events/batch); 1: POST /events", "50")
  .option("--publish-concurrency <n>", "publish requests in flight", "8")
  .option("--latency-seconds <n>", "length of the latency phase", "5")
  .option("--mints <n>", "NFTs minted on the embedded chain (0: skip)", "500")
  .option(
    "--chain-drop [n]",
    "only a drop of n mints (default 2000) on a hardhat node with 2-second blocks behind a 16-pending proxy, with 1, 4 and 16 signers",
  )
  .option("--drop-signers <list>", "signer counts of --chain-drop", workerList, [1, 4, 16])
  .option(
    "--receiver",
    "only the receiver library (packages/receiver): µs per webhook of verification and de-dup with each store, beside a bare node:http server",
  )
  .option(
    "--solana-mints <n>",
    "Solana mints on the embedded cluster, read against the bare runtime (default: --mints; 0: skip)",
  )
  .option(
    "--batch-mints <n>",
    "NFTs minted by batch mint, 125 per request, beside the single mints (0: skip)",
    eventCount,
    1000,
  )
  .option(
    "--allocations <n>",
    "Original reward allocations after the single mints, read against them (default: --mints; 0, or --mints 0: skip)",
    eventCount,
  )
  .option(
    "--isolation-neighbours <n>",
    "misbehaving endpoints beside a healthy one in the isolation phase (0: skip the phase)",
    eventCount,
    50,
  )
  .option(
    "--isolation-dead <n>",
    "dead endpoints a healthy one is added beside in the isolation phase",
    eventCount,
    1000,
  )
  .option(
    "--store <store>",
    "sqlite, or postgres / both (SQLite is measured first as the reference, then PostgreSQL)",
    storeChoice,
    "sqlite",
  )
  .option(
    "--workers <list>",
    "PostgreSQL worker processes, one configuration each (beside one api process)",
    workerList,
    [1],
  )
  .option(
    "--database-url <url>",
    "PostgreSQL server (a fresh schema per configuration, dropped afterwards)",
    process.env.HERALD_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
  )
  .option("--baseline", "run the BullMQ (Redis) baseline (default whenever PostgreSQL is measured)")
  .option("--no-baseline", "skip the BullMQ baseline")
  .option("--redis-url <url>", "Redis for the BullMQ baseline", "redis://127.0.0.1:6379")
  .option(
    "--destination-events <n>",
    "events to each of SQS and RabbitMQ, on the SQLite Herald (default: --events, at most 10000)",
    eventCount,
  )
  .option("--no-destinations", "skip the SQS (local-aws-sqs) and RabbitMQ measurements")
  .option(
    "--tracing-events <n>",
    "events delivered with tracing off, then on (OTLP, 100 % sampled), on fresh SQLite Heralds (default: --events, at most 10000; 0: skip)",
    eventCount,
  )
  .option(
    "--amqp-url <url>",
    "RabbitMQ for the AMQP destination",
    process.env.HERALD_BENCH_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
  )
  .parse()
  .opts<{
    chainDrop?: string | true;
    receiver?: boolean;
    dropSigners: number[];
    mints: string;
    batchMints: number;
    solanaMints?: number;
    allocations?: number;
    isolationNeighbours: number;
    isolationDead: number;
    events: string;
    endpoints: string;
    batch: string;
    publishConcurrency: string;
    latencySeconds: string;
    store: "sqlite" | "postgres" | "both";
    workers: number[];
    databaseUrl: string;
    baseline?: boolean;
    redisUrl: string;
    destinationEvents?: number;
    destinations: boolean;
    amqpUrl: string;
    tracingEvents?: number;
  }>();

const BATCH = Math.max(1, Number(options.batch));
const EVENTS = Number(options.events);
const ENDPOINTS = Number(options.endpoints);
const MINTS = Number(options.mints);
const ALLOCATIONS = options.allocations ?? MINTS;
const SOLANA_MINTS = options.solanaMints === undefined ? MINTS : Number(options.solanaMints);
const DESTINATION_EVENTS = options.destinationEvents ?? Math.min(EVENTS, 10_000);
const TRACING_EVENTS = options.tracingEvents ?? Math.min(EVENTS, 10_000);
const CONCURRENCY = 128;
const ENDPOINT_CONCURRENCY = 64;
const EFFECTIVE_CONCURRENCY = Math.min(CONCURRENCY, ENDPOINT_CONCURRENCY * ENDPOINTS);
const API_KEY = "hk_bench_key_0123456789abcdef";
const ORIGINAL = {
  apiKey: "ori_bench_key_0123456789",
  apiSecret: "ori_bench_secret_0123456789abcdef",
};
const WITH_POSTGRES = options.store !== "sqlite";
const WITH_BASELINE = options.baseline ?? WITH_POSTGRES;
const SETTINGS = {
  apiKey: API_KEY,
  concurrency: CONCURRENCY,
  endpointConcurrency: ENDPOINT_CONCURRENCY,
  original: ORIGINAL,
};

/** CPU of one measurement's throughput phase (what bounds deliveries/s), per delivery. */
type CpuRow = { label: string; deliveries: number; usage: CpuUsage };

/** Starts Herald for `config`, runs both phases, and stops it (unless `keep`). */
async function measure(receiver: BenchReceiver, config: ClusterConfig, keep = false) {
  const cluster = await startCluster(config, SETTINGS);
  let done = false;
  try {
    const cpu = new CpuWindow();
    const latencyCpu = new CpuWindow();
    const result = await measureDeliveries({
      url: cluster.url,
      apiKey: API_KEY,
      receiver,
      events: EVENTS,
      endpoints: ENDPOINTS,
      batch: BATCH,
      publishConcurrency: Number(options.publishConcurrency),
      latencySeconds: Number(options.latencySeconds),
      label: WITH_POSTGRES || WITH_BASELINE ? clusterLabel(config) : undefined,
      onPhase: (phase) => {
        if (phase === "throughput") cpu.start();
        if (phase === "latency") {
          cpu.stop();
          latencyCpu.start();
        }
        if (phase === "done") latencyCpu.stop();
      },
    });
    done = true;
    return { cluster, result, cpu: cpu.usage(), latencyCpu: latencyCpu.usage() };
  } finally {
    if (!keep || !done) await cluster.stop();
  }
}

/**
 * SQS and RabbitMQ on `herald` (the SQLite one, after its HTTPS phases), unless skipped;
 * `httpsCpu`: that Herald's CPU in the HTTPS throughput phase, to compare the CPU per delivery.
 */
async function destinationsOn(
  herald: Cluster,
  httpsCpu: CpuUsage | null,
  label?: string,
): Promise<DestinationsResult | null> {
  if (!options.destinations || DESTINATION_EVENTS < 1) return null;
  const result = await measureDestinations({
    url: herald.url,
    apiKey: API_KEY,
    events: DESTINATION_EVENTS,
    batch: BATCH,
    publishConcurrency: Number(options.publishConcurrency),
    concurrency: ENDPOINT_CONCURRENCY,
    amqpUrl: options.amqpUrl,
    label,
  });
  const micros = httpsCpu ? (httpsCpu.byGroup.herald / (EVENTS * ENDPOINTS)) * 1e6 : null;
  return { ...result, httpsMicrosPerDelivery: micros };
}

/**
 * Mints through `herald` (SQLite: it runs the chain role): single mints, then Original's reward
 * allocations (read against the single mints), then batch mints, then the bare chain's rate;
 * each with the machine's CPU meanwhile.
 */
async function mintsOn(herald: Cluster): Promise<MintResult> {
  const single = await measured(() => measureMints(herald.url, API_KEY, MINTS, 50));
  const allocations =
    ALLOCATIONS > 0
      ? await measured(() => measureAllocations(herald.url, API_KEY, ORIGINAL, ALLOCATIONS, 50))
      : null;
  const batch =
    options.batchMints > 0
      ? await measured(() => measureBatchMints(herald.url, API_KEY, options.batchMints))
      : null;
  const solana =
    SOLANA_MINTS > 0
      ? {
          herald: await measured(() => measureSolanaMints(herald.url, API_KEY, SOLANA_MINTS, 50)),
          runtime: await measured(() => measureBareSolanaMints(SOLANA_MINTS, 50)),
        }
      : null;
  const ceiling = await measured(() => measureMintCeiling(MINTS, 50));
  return {
    count: MINTS,
    ceiling: ceiling.result,
    ceilingCpu: ceiling.cpu,
    ...single.result,
    cpu: single.cpu,
    batch: batch && { count: options.batchMints, ...batch.result, cpu: batch.cpu },
    solana: solana && {
      count: SOLANA_MINTS,
      ...solana.herald.result,
      cpu: solana.herald.cpu,
      runtime: solana.runtime.result,
      runtimeCpu: solana.runtime.cpu,
    },
    allocations: allocations && {
      count: ALLOCATIONS,
      ...allocations.result,
      cpu: allocations.cpu,
    },
  };
}

/** Deliveries with tracing off, then on, each on a fresh SQLite Herald (unless skipped). */
async function tracingRun(receiver: BenchReceiver): Promise<TracingResult | null> {
  if (TRACING_EVENTS < 1) return null;
  return measureTracing({
    receiver,
    settings: SETTINGS,
    events: TRACING_EVENTS,
    batch: BATCH,
    publishConcurrency: Number(options.publishConcurrency),
    latencySeconds: Number(options.latencySeconds),
  });
}

/** The isolation phase, on Heralds of its own with their default delivery settings. */
async function isolationRun(): Promise<IsolationResult | null> {
  if (options.isolationNeighbours < 1) return null;
  return measureIsolation({
    apiKey: API_KEY,
    neighbours: options.isolationNeighbours,
    dead: options.isolationDead,
    events: 250,
    rate: 50,
  });
}

/**
 * A plain `npm run bench`: SQLite, then SQS and RabbitMQ and the mints on the same Herald; the
 * report as always, with the destinations' rows.
 */
async function sqliteOnly(receiver: BenchReceiver, shape: RunShape): Promise<void> {
  const { cluster, result, cpu, latencyCpu } = await measure(receiver, { store: "sqlite" }, true);
  let destinations: DestinationsResult | null;
  let mints: MintResult | null;
  try {
    destinations = await destinationsOn(cluster, cpu);
    mints = MINTS > 0 ? await mintsOn(cluster) : null;
  } finally {
    await cluster.stop();
  }
  const tracing = await tracingRun(receiver);
  const isolation = await isolationRun();
  printSqliteReport({
    shape,
    result,
    cpu: { throughput: cpu, latency: latencyCpu },
    mints,
    destinations,
    isolation,
    tracing,
  });
}

/**
 * SQLite, then PostgreSQL with each worker count, each on a fresh Herald (and schema); SQS and
 * RabbitMQ on the SQLite one, after its HTTPS phases.
 */
async function heraldConfigurations(
  receiver: BenchReceiver,
  cpu: CpuRow[],
): Promise<{ herald: Measured[]; destinations: DestinationsResult | null }> {
  const configs: ClusterConfig[] = [{ store: "sqlite" }];
  if (WITH_POSTGRES) {
    for (const workers of options.workers)
      configs.push({ store: "postgres", workers, databaseUrl: options.databaseUrl });
  }
  const measured: Measured[] = [];
  let destinations: DestinationsResult | null = null;
  for (const config of configs) {
    // The previous configuration's dirty pages are flushed now, not during this one.
    if (config.store === "postgres") await checkpoint(config.databaseUrl);
    const sqlite = config.store === "sqlite";
    const { cluster, result, cpu: usage } = await measure(receiver, config, sqlite);
    const label = clusterLabel(config);
    if (sqlite) {
      try {
        destinations = await destinationsOn(cluster, usage, label);
      } finally {
        await cluster.stop();
      }
    }
    const workers = config.store === "sqlite" ? 1 : config.workers;
    measured.push({ store: config.store, label, workers, result });
    if (usage) cpu.push({ label: `Herald ${label}`, deliveries: EVENTS * ENDPOINTS, usage });
  }
  for (const m of destinations?.measurements ?? []) {
    const runs = [
      [m.ceiling, `${m.ceilingName} → ${m.name}`],
      [m.herald, `Herald SQLite → ${m.name}`],
    ] as const;
    for (const [run, label] of runs) {
      if (run?.cpu) cpu.push({ label, deliveries: run.count, usage: run.cpu });
    }
  }
  return { herald: measured, destinations };
}

/**
 * The PostgreSQL store alone (no HTTP, no signing) with 1, 2 and 4 claimers; the best one is
 * the upper bound of Herald on PostgreSQL on this machine, measured in the same run.
 */
async function storeFloorRun(cpu: CpuRow[]): Promise<StoreFloorResult> {
  let best: { result: StoreFloorResult; usage: CpuUsage | null } | null = null;
  for (const claimers of [1, 2, 4]) {
    await checkpoint(options.databaseUrl);
    const window = new CpuWindow();
    const result = await measureStoreFloor(options.databaseUrl, EVENTS * ENDPOINTS, {
      claimers,
      onTimed: (phase) => (phase === "start" ? window.start() : window.stop()),
    });
    if (!best || result.perSecond > best.result.perSecond) best = { result, usage: window.usage() };
  }
  if (best!.usage) {
    cpu.push({
      label: `PostgreSQL store alone (${best!.result.claimers} claimers)`,
      deliveries: best!.result.deliveries,
      usage: best!.usage,
    });
  }
  return best!.result;
}

/** The BullMQ baseline against the same receiver, in a child process as Herald runs. */
async function baselineRun(receiver: BenchReceiver, cpu: CpuRow[]): Promise<BullmqBaselineResult> {
  // Its throughput phase runs from the child's first `reset` to its second (the latency phase's).
  const window = new CpuWindow();
  let resets = 0;
  const onCall = (op: string) => {
    if (op !== "reset") return;
    if (++resets === 1) window.start();
    else if (resets === 2) window.stop();
  };
  const result = await runBullmqBaseline(
    receiver,
    {
      // One job per delivery; with several endpoints every delivery goes to /ep/0.
      events: EVENTS * ENDPOINTS,
      receiverUrl: `${receiver.url}/ep/0`,
      concurrency: ENDPOINT_CONCURRENCY,
      redisUrl: options.redisUrl,
      batch: BATCH,
      publishConcurrency: Number(options.publishConcurrency),
      latencySeconds: Number(options.latencySeconds),
    },
    onCall,
  );
  const usage = window.usage();
  if (usage) cpu.push({ label: "BullMQ baseline", deliveries: result.events, usage });
  return result;
}

async function main() {
  const receiver = new BenchReceiver();
  await receiver.start();
  try {
    const ceilingCpu = new CpuWindow();
    ceilingCpu.start();
    const { rate: ceiling, requests: ceilingCount } = await measureCeilingFor(
      receiver,
      EVENTS * ENDPOINTS,
      EFFECTIVE_CONCURRENCY,
    );
    ceilingCpu.stop();
    const shape: RunShape = {
      events: EVENTS,
      endpoints: ENDPOINTS,
      batch: BATCH,
      publishConcurrency: Number(options.publishConcurrency),
      concurrency: EFFECTIVE_CONCURRENCY,
      ceiling,
      ceilingCount,
      ceilingCpu: ceilingCpu.usage(),
    };
    if (!WITH_POSTGRES && !WITH_BASELINE) return await sqliteOnly(receiver, shape);

    const cpu: CpuRow[] = [];
    const ceilingUsage = ceilingCpu.usage();
    if (ceilingUsage)
      cpu.push({ label: "raw HTTP ceiling", deliveries: ceilingCount, usage: ceilingUsage });
    const postgres = WITH_POSTGRES ? await postgresSettings(options.databaseUrl) : null;
    const storeFloor = WITH_POSTGRES ? await storeFloorRun(cpu) : null;
    const { herald, destinations } = await heraldConfigurations(receiver, cpu);
    const baseline = WITH_BASELINE ? await baselineRun(receiver, cpu) : null;
    const tracing = await tracingRun(receiver);
    let mints: MintResult | null = null;
    if (MINTS > 0) {
      // On SQLite, as in a plain run, on a fresh Herald (the first one is stopped by now).
      const cluster = await startCluster({ store: "sqlite" }, SETTINGS);
      try {
        mints = await mintsOn(cluster);
      } finally {
        await cluster.stop();
      }
    }
    const isolation = await isolationRun();
    printComparison({
      isolation,
      tracing,
      shape,
      herald,
      baseline,
      postgres,
      storeFloor,
      sqliteSynchronous: process.env.HERALD_SQLITE_SYNCHRONOUS ?? "NORMAL",
      mints,
      destinations,
      cpu,
    });
  } finally {
    await receiver.close();
  }
}

// Ctrl-C: Herald's processes stop, and their schemas and data dirs go with them; the errors
// of the measurement cut short are not reported.
let interrupted: Promise<void> | null = null;
process.once("SIGINT", () => {
  console.error("\ninterrupted: stopping Herald, dropping its schemas");
  interrupted = stopAllClusters().finally(() => process.exit(130));
});

/** `--chain-drop`: that measurement alone. */
async function chainDrop(): Promise<void> {
  const mints = options.chainDrop === true ? 2000 : Number(options.chainDrop);
  if (!Number.isInteger(mints) || mints < 1)
    throw new InvalidArgumentError("--chain-drop: a whole number");
  const blockMs = 2_000;
  const rows = await measureChainDrop(
    SETTINGS,
    { mints, signerCounts: options.dropSigners, blockMs, idleSeconds: 60 },
    (line) => console.error(line),
  );
  printChainDrop(rows, blockMs);
}

try {
  if (options.receiver)
    await measureReceiverPackage({ databaseUrl: options.databaseUrl, redisUrl: options.redisUrl });
  else await (options.chainDrop === undefined ? main() : chainDrop());
} catch (error) {
  if (interrupted) await interrupted;
  throw error;
}

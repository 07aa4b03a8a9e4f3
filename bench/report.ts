// What `npm run bench` prints: the SQLite-only report (as it always was), or one table with
// every configuration of the run beside the ceiling and the BullMQ baseline; in both, Herald's
// deliveries to SQS and RabbitMQ as a share of their own ceilings.
import type { BullmqBaselineResult } from "./bullmq/baseline.js";
import type { PostgresSettings } from "./cluster.js";
import { cpuText, type CpuGroup, type CpuUsage } from "./cpu.js";
import type { DestinationMeasurement, DestinationRun, DestinationsResult } from "./destinations.js";
import type { IsolationResult } from "./isolation.js";
import type { PhaseResult } from "./phases.js";
import type { StoreFloorResult } from "./store-floor.js";
import type { TracingResult } from "./tracing.js";
import { fmt } from "./stats.js";

export interface MintRun {
  count: number;
  mintsPerSecond: number;
  p50: number;
  p99: number;
  cpu: CpuUsage | null;
}

export interface MintResult extends MintRun {
  /** The bare chain's mints/s, and the CPU while it was measured. */
  ceiling: number;
  ceilingCpu: CpuUsage | null;
  /** The same chain minted by batch mint (125 per request), on the same Herald; null: skipped. */
  batch: (MintRun & { count: number }) | null;
  /** Original's reward allocations on the same Herald, right after the single mints; null: skipped. */
  allocations: AllocationRun | null;
  /** Solana mints on the embedded cluster, against the bare runtime's rate; null: skipped. */
  solana: (MintRun & { runtime: number; runtimeCpu: CpuUsage | null }) | null;
}

export interface AllocationRun {
  count: number;
  allocationsPerSecond: number;
  p50: number;
  p99: number;
  cpu: CpuUsage | null;
}

export interface RunShape {
  events: number;
  endpoints: number;
  batch: number;
  publishConcurrency: number;
  /** Attempts in flight towards the receiver, per worker process. */
  concurrency: number;
  ceiling: number;
  ceilingCount: number;
  ceilingCpu: CpuUsage | null;
}

/** A measurement's CPU as the row under it: how busy the (shared) machine was meanwhile. */
const cpuRow = (usage: CpuUsage | null): [string, string] => ["  CPU meanwhile", cpuText(usage)];

function mintRows(mints: MintResult | null): Array<[string, string]> {
  if (!mints) return [];
  const latency = (run: { p50: number; p99: number }) =>
    `p50 ${fmt(run.p50, 1)} ms, p99 ${fmt(run.p99, 1)} ms`;
  const rows: Array<[string, string]> = [
    ["bare chain mints (viem → embedded EDR)", `${fmt(mints.ceiling)} mints/s`],
    cpuRow(mints.ceilingCpu),
    [
      `Herald mints, request → webhook (${fmt(mints.count)}, 50 at once)`,
      `${fmt(mints.mintsPerSecond)} mints/s = ${share(mints.mintsPerSecond, mints.ceiling)} of the bare chain; ${latency(mints)}`,
    ],
    cpuRow(mints.cpu),
  ];
  const allocations = mints.allocations;
  if (allocations) {
    const perSecond = allocations.allocationsPerSecond;
    rows.push(
      [
        `Herald Original allocations, request → webhook (${fmt(allocations.count)}, 50 at once)`,
        `${fmt(perSecond)} allocations/s = ${fmt(perSecond / mints.mintsPerSecond, 2)}× single mints ` +
          `(${fmt(mints.mintsPerSecond)} mints/s); ${latency(allocations)}`,
      ],
      cpuRow(allocations.cpu),
    );
  }
  const solana = mints.solana;
  if (solana) {
    rows.push(
      ["bare Solana runtime mints (kit → LiteSVM, Token-2022)", `${fmt(solana.runtime)} mints/s`],
      cpuRow(solana.runtimeCpu),
      [
        `Herald Solana mints, request → webhook (${fmt(solana.count)}, 50 at once)`,
        `${fmt(solana.mintsPerSecond)} mints/s = ${share(solana.mintsPerSecond, solana.runtime)} of the bare runtime; ${latency(solana)}`,
      ],
      cpuRow(solana.cpu),
    );
  }
  const batch = mints.batch;
  if (batch) {
    rows.push(
      [
        `Herald batch mints, request → last webhook (${fmt(batch.count)}, batches of 125 at once)`,
        `${fmt(batch.mintsPerSecond)} mints/s = ${fmt(batch.mintsPerSecond / mints.mintsPerSecond, 2)}× single mints; ${latency(batch)}`,
      ],
      cpuRow(batch.cpu),
    );
  }
  return rows;
}

/** The isolation phase: the healthy endpoint alone and beside its neighbours, then beside the dead. */
export function isolationRows(isolation: IsolationResult | null): Array<[string, string]> {
  if (!isolation) return [];
  const { alone, beside, dead } = isolation;
  const bound = Math.max(3 * alone.p99, 100);
  const within = beside.p99 <= bound ? "within" : "OVER";
  const slowest = Math.max(...dead.firstDeliveries);
  const latency = (l: IsolationResult["alone"]) =>
    `p50 ${fmt(l.p50, 1)} ms, p99 ${fmt(l.p99, 1)} ms, max ${fmt(l.max, 1)} ms ` +
    `(from the publish request: p50 ${fmt(l.fromRequest.p50, 1)}, p99 ${fmt(l.fromRequest.p99, 1)} ms)`;
  return [
    [
      `isolation: healthy endpoint alone (${isolation.events} events at ${isolation.rate}/s)`,
      `accepted → receipt ${latency(alone)}`,
    ],
    cpuRow(alone.cpu),
    [
      `isolation: beside ${isolation.neighbours} that hang, reset or fail`,
      `${latency(beside)}: p99 ${fmt(beside.p99 / alone.p99, 1)}× alone, ${within} the bound of ${fmt(bound)} ms (3× alone or 100 ms)`,
    ],
    cpuRow(beside.cpu),
    [
      `isolation: added beside ${fmt(dead.endpoints)} dead endpoints`,
      `first deliveries ${dead.firstDeliveries.map((w) => fmt(w)).join(", ")} ms: ` +
        `${slowest < 1000 ? "all" : "NOT all"} within a second`,
    ],
    cpuRow(dead.cpu),
  ];
}

/** Deliveries with metrics off (twice: the noise), on, and tracing on (everything sampled). */
function tracingRows(tracing: TracingResult | null | undefined): Array<[string, string]> {
  if (!tracing) return [];
  const { off, on } = tracing;
  const run = (r: TracingResult["off"]) =>
    `${fmt(r.result.deliveryRate)} deliveries/s; latency p50 ${fmt(r.result.latency.p50, 1)} ms, ` +
    `p99 ${fmt(r.result.latency.p99, 1)} ms`;
  const [bare, bareAgain] = tracing.metricsOff;
  const bareRate = (bare.result.deliveryRate + bareAgain.result.deliveryRate) / 2;
  const noise = Math.abs(bare.result.deliveryRate - bareAgain.result.deliveryRate) / bareRate;
  return [
    [`metrics off (${fmt(tracing.events)} events, fresh Herald)`, run(bare)],
    [
      "metrics on, tracing off (the default)",
      `${run(off)}; ${fmt(off.result.deliveryRate / bareRate, 2)}× the metrics-off mean (within ` +
        `the noise below: ${Math.abs(off.result.deliveryRate / bareRate - 1) <= noise ? "yes" : "no"})`,
    ],
    cpuRow(off.cpu),
    [
      "metrics off again (the run-to-run noise)",
      `${run(bareAgain)}; noise ${fmt(noise * 100, 1)} % of the mean`,
    ],
    [
      "tracing on (100 % sampled, OTLP/HTTP JSON)",
      `${run(on)}; ${fmt(on.result.deliveryRate / off.result.deliveryRate, 2)}× tracing off`,
    ],
    cpuRow(on.cpu),
    [
      "  spans exported",
      `${fmt(tracing.spans)}; attempts' ${fmt(tracing.attemptSpans)} of ${fmt(tracing.deliveries)} deliveries`,
    ],
  ];
}

const share = (rate: number, of: number) => `${fmt((rate / of) * 100, 1)} %`;

/** "2 duplicates" and, when there were any, the queue's own redeliveries. */
function duplicatesText(run: DestinationRun): string {
  const redelivered =
    run.redeliveries > 0 ? ` (+ ${run.redeliveries} redelivered by the queue)` : "";
  return `${run.duplicates} duplicate${run.duplicates === 1 ? "" : "s"}${redelivered}`;
}

/** What the destinations were measured with: the endpoints, then the ceilings. */
function destinationsShape(d: DestinationsResult): Array<[string, string]> {
  const paused =
    d.pausedEndpoints > 0
      ? `; its ${d.pausedEndpoints} HTTPS endpoint${d.pausedEndpoints > 1 ? "s" : ""} disabled meanwhile`
      : "";
  return [
    [
      "SQS / RabbitMQ: Herald",
      `${fmt(d.events)} events to one endpoint each (${d.concurrency} in flight), ` +
        `published as above, on the same SQLite Herald${paused}`,
    ],
    [
      "SQS / RabbitMQ: ceilings",
      `the bench itself (a worker thread) sending the same messages as Herald, ` +
        `${d.concurrency} in flight, received the same way, just before and just after ` +
        `Herald's run: the better one counts`,
    ],
  ];
}

const coresOf = (cpu: CpuUsage, group: CpuGroup) => cpu.byGroup[group] / cpu.seconds;

/** "before 1,925, after 1,870 msg/s": the direct runs around Herald's. */
const ceilingRuns = (m: DestinationMeasurement) =>
  m.ceilingRates.length === 2
    ? `before ${fmt(m.ceilingRates[0]!)}, after ${fmt(m.ceilingRates[1]!)}`
    : m.ceilingRates.map((r) => fmt(r)).join(", ");

/** Where the time went: Herald's CPU per delivery, and how busy the bench's event loop was. */
function destinationCpu(m: DestinationMeasurement, https: number | null): string | null {
  const { herald, ceiling } = m;
  if (!herald?.cpu || !ceiling) return null;
  const perDelivery = (herald.cpu.byGroup.herald / herald.count) * 1e6;
  const loop = m.kind === "sqs" ? "local-aws-sqs + receivers" : "consumer";
  return (
    `Herald ${fmt(perDelivery)} µs CPU per delivery` +
    (https !== null ? ` (HTTPS: ${fmt(https)} µs)` : "") +
    `, ${fmt(coresOf(herald.cpu, "herald"), 2)} ` +
    `cores busy (of ${herald.cpu.cores}; the machine ${fmt(herald.cpu.busyCores, 2)}); bench event loop (${loop}) ` +
    `${fmt(herald.loopBusy * 100)} % busy (direct run: ${fmt(ceiling.loopBusy * 100)} %)`
  );
}

/** `SQS (local-aws-sqs) deliveries` → `N deliveries/s = X % of the direct SendMessageBatch rate (M msg/s)`. */
function destinationRows(d: DestinationsResult | null): Array<[string, string]> {
  if (!d) return [];
  const rows = destinationsShape(d);
  for (const m of d.measurements) {
    const label = `${m.name} deliveries${m.kind === "amqp" ? " (durable queue)" : ""}`;
    if (!m.herald || !m.ceiling) {
      rows.push([label, `skipped: ${m.skipped ?? "not measured"}`]);
      continue;
    }
    rows.push([
      label,
      `${fmt(m.herald.perSecond)} deliveries/s = ${share(m.herald.perSecond, m.ceiling.perSecond)} ` +
        `of the ${m.ceilingName} rate (${fmt(m.ceiling.perSecond)} msg/s; ${ceilingRuns(m)}); ` +
        `${duplicatesText(m.herald)}`,
    ]);
    const cpu = destinationCpu(m, d.httpsMicrosPerDelivery ?? null);
    if (cpu) rows.push([`  ${m.name}: CPU`, cpu]);
  }
  return rows;
}

function printRows(rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

export interface SqliteReport {
  shape: RunShape;
  result: PhaseResult;
  /** The machine's CPU during the throughput phase and during the latency phase. */
  cpu: { throughput: CpuUsage | null; latency: CpuUsage | null };
  mints: MintResult | null;
  destinations: DestinationsResult | null;
  isolation: IsolationResult | null;
  /** Deliveries with tracing off and on; null when skipped. */
  tracing: TracingResult | null;
}

/** The report of a plain `npm run bench`: SQLite, one process; each measurement with its CPU. */
export function printSqliteReport(report: SqliteReport) {
  const { shape, result: r, cpu } = report;
  const total = shape.events * shape.endpoints;
  const rows: Array<[string, string]> = [
    ["events × endpoints", `${fmt(shape.events)} × ${shape.endpoints} = ${fmt(total)} deliveries`],
    ["concurrency to the receiver", String(shape.concurrency)],
    ["raw HTTP ceiling (undici → receiver)", `${fmt(shape.ceiling)} req/s`],
    cpuRow(shape.ceilingCpu),
    [
      shape.batch > 1 ? `publish rate (batches of ${shape.batch})` : "publish rate (POST /events)",
      `${fmt(r.publishRate)} events/s`,
    ],
    ["Herald end-to-end deliveries", `${fmt(r.deliveryRate)} deliveries/s`],
    ["Herald / ceiling", `${fmt((r.deliveryRate / shape.ceiling) * 100, 1)} %  (target ≥ 40 %)`],
    cpuRow(cpu.throughput),
    [
      `latency at ${fmt(r.latencyRate)} deliveries/s (half)`,
      `p50 ${fmt(r.latency.p50, 1)} ms, p99 ${fmt(r.latency.p99, 1)} ms, max ${fmt(r.latency.max, 1)} ms  (target p99 < 50 ms)`,
    ],
    cpuRow(cpu.latency),
    ["duplicates (throughput, latency)", `${r.duplicates.throughput}, ${r.duplicates.latency}`],
    ...tracingRows(report.tracing),
    ...destinationRows(report.destinations),
    ...mintRows(report.mints),
    ...isolationRows(report.isolation),
  ];
  console.log("\nHerald benchmark — SQLite store, one process, loopback receiver");
  printRows(rows);
}

export interface Measured {
  store: "sqlite" | "postgres";
  label: string;
  /** Worker processes (SQLite: the one process). */
  workers: number;
  result: PhaseResult;
}

export interface ComparisonReport {
  shape: RunShape;
  herald: Measured[];
  baseline: BullmqBaselineResult | null;
  postgres: PostgresSettings | null;
  /** The PostgreSQL store alone, without HTTP: the bound of every PostgreSQL row. */
  storeFloor: StoreFloorResult | null;
  sqliteSynchronous: string;
  mints: MintResult | null;
  /** SQS and RabbitMQ on the SQLite Herald, each beside its own ceiling; null when skipped. */
  destinations: DestinationsResult | null;
  isolation: IsolationResult | null;
  /** Deliveries with tracing off and on; null when skipped. */
  tracing: TracingResult | null;
  /** CPU during each throughput phase (and the ceiling), where /proc could be read. */
  cpu: Array<{ label: string; deliveries: number; usage: CpuUsage }>;
}

function table(header: string[], rows: string[][], rightAligned: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    "| " +
    cells
      .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(" | ") +
    " |";
  const rule =
    "| " +
    widths.map((w, i) => "-".repeat(w - 1) + (rightAligned[i] ? ":" : "-")).join(" | ") +
    " |";
  return [line(header), rule, ...rows.map(line)];
}

const latencyCell = (p50: number | undefined, p99: number | undefined) =>
  p50 === undefined ? "–" : `${fmt(p50, 1)} / ${fmt(p99 ?? NaN, 1)} ms`;

/** One table: ceiling, SQLite, PostgreSQL per worker count, BullMQ; then the ratio and durability. */
export function printComparison(report: ComparisonReport): void {
  const { shape, herald, baseline, postgres, storeFloor } = report;
  const percent = (rate: number) => `${fmt((rate / shape.ceiling) * 100, 1)} %`;
  const rows: string[][] = [
    [
      "raw HTTP ceiling (undici → receiver)",
      "–",
      String(shape.concurrency),
      "–",
      `${fmt(shape.ceiling)} req/s`,
      "100.0 %",
      "–",
      "–",
    ],
    ...(storeFloor
      ? [
          [
            "PostgreSQL store alone, no HTTP",
            `bench, ${storeFloor.claimers} claimer${storeFloor.claimers > 1 ? "s" : ""}`,
            "–",
            "–",
            fmt(storeFloor.perSecond),
            percent(storeFloor.perSecond),
            "–",
            "–",
          ],
        ]
      : []),
    ...herald.map(({ store, label, workers, result: r }) => [
      `Herald ${label}`,
      store === "sqlite" ? "1 (all roles)" : `1 api + ${workers} worker${workers > 1 ? "s" : ""}`,
      String(shape.concurrency * workers),
      fmt(r.publishRate),
      fmt(r.deliveryRate),
      percent(r.deliveryRate),
      latencyCell(r.latency.p50, r.latency.p99),
      `${r.duplicates.throughput} + ${r.duplicates.latency}`,
    ]),
    ...(report.destinations?.measurements.flatMap((m) =>
      destinationTableRows(m, report.destinations!.concurrency),
    ) ?? []),
    ...(baseline
      ? [
          [
            "BullMQ baseline (Redis)",
            "1 producer + worker",
            String(shape.concurrency),
            fmt(baseline.enqueueRate),
            fmt(baseline.deliveriesPerSecond),
            percent(baseline.deliveriesPerSecond),
            latencyCell(baseline.p50, baseline.p99),
            String(baseline.duplicates),
          ],
        ]
      : []),
  ];
  const total = shape.events * shape.endpoints;
  console.log(
    `\nHerald benchmark — ${fmt(shape.events)} events × ${shape.endpoints} endpoint(s) = ` +
      `${fmt(total)} deliveries per configuration, published in ` +
      (shape.batch > 1 ? `batches of ${shape.batch}` : "single POST /events") +
      `, ${shape.publishConcurrency} requests in flight; loopback receiver in the bench process`,
  );
  const lines = table(
    [
      "configuration",
      "processes",
      "conc.",
      "publish ev/s",
      "deliveries/s",
      "of ceiling",
      "p50 / p99 at half rate",
      "duplicates",
    ],
    rows,
    [false, false, true, true, true, true, true, true],
  );
  for (const line of lines) console.log(line);

  const postgresRows = herald.filter((m) => m.store === "postgres");
  const notes: Array<[string, string]> = [];
  if (report.destinations) {
    notes.push([
      "of ceiling, marked *",
      "the share of that destination's own ceiling (the direct row above it), not of the raw HTTP ceiling",
    ]);
    notes.push(...destinationsShape(report.destinations));
    for (const m of report.destinations.measurements) {
      if (m.skipped) notes.push([m.name, `skipped: ${m.skipped}`]);
      if (m.ceiling) notes.push([`${m.name}: direct runs`, `${ceilingRuns(m)} msg/s`]);
      const cpu = destinationCpu(m, report.destinations.httpsMicrosPerDelivery ?? null);
      if (cpu) notes.push([`${m.name}: CPU`, cpu]);
    }
  }
  if (baseline && postgresRows.length > 0) {
    const best = postgresRows.reduce((a, b) =>
      b.result.deliveryRate > a.result.deliveryRate ? b : a,
    );
    const ratio = best.result.deliveryRate / baseline.deliveriesPerSecond;
    notes.push([
      `Herald PostgreSQL (best: W=${best.workers}) / BullMQ`,
      `${fmt(ratio, 2)}×  (target ≥ 1.5×)`,
    ]);
    if (storeFloor) {
      notes.push([
        "PostgreSQL store alone / BullMQ",
        `${fmt(storeFloor.perSecond / baseline.deliveriesPerSecond, 2)}×  (publish, claim and outcome writes, no HTTP at all: an upper bound for Herald on PostgreSQL here)`,
      ]);
    }
    const bound = cpuBound(report.cpu);
    if (bound) {
      const ratio = bound.perSecond / baseline.deliveriesPerSecond;
      notes.push([
        "CPU bound of Herald PostgreSQL",
        `store alone ${fmt(bound.storeMicros)} µs + raw HTTP ${fmt(bound.httpMicros)} µs = ` +
          `${fmt(bound.storeMicros + bound.httpMicros)} µs of CPU per delivery, on ${bound.cores} cores: ` +
          `at most ${fmt(bound.perSecond)} deliveries/s = ${fmt(ratio, 2)}× BullMQ, before any API, signing or dispatching work`,
      ]);
    }
  }
  notes.push([
    "durability, SQLite",
    `WAL, synchronous=${report.sqliteSynchronous}: ` +
      (report.sqliteSynchronous === "FULL"
        ? "every commit fsynced"
        : "commits survive a process crash; a power loss can lose the last ones (FULL: fsync per commit)"),
  ]);
  if (postgres) {
    const durable = postgres.synchronousCommit === "on" && postgres.fsync === "on";
    notes.push([
      "durability, PostgreSQL",
      `${postgres.version}: synchronous_commit=${postgres.synchronousCommit}, fsync=${postgres.fsync}, ` +
        `wal_sync_method=${postgres.walSyncMethod}` +
        (durable
          ? ": a publish or an outcome batch is acknowledged after its WAL is flushed to disk"
          : ": NOT durable per commit"),
    ]);
  }
  if (baseline) {
    const r = baseline.redis;
    notes.push([
      "durability, BullMQ",
      `Redis ${r.version}, save "${r.save ?? "?"}", appendonly ${r.appendonly ?? "?"}` +
        (r.appendonly === "yes" ? `, appendfsync ${r.appendfsync ?? "?"}` : "") +
        `: ${baseline.note}`,
    ]);
    notes.push([
      "BullMQ",
      `attempts 8, exponential backoff 5 s; ${baseline.failed} failed jobs, ${baseline.failedAttempts} failed attempts; bodies of ${baseline.bodyBytes} bytes`,
    ]);
  }
  notes.push(
    ...tracingRows(report.tracing),
    ...mintRows(report.mints),
    ...isolationRows(report.isolation),
  );
  console.log("");
  printRows(notes);
  printCpu(report.cpu);
}

/** The destination's ceiling row and Herald's row; "of ceiling" is of that ceiling (marked *). */
function destinationTableRows(m: DestinationMeasurement, concurrency: number): string[][] {
  if (!m.herald || !m.ceiling) return [];
  const conc = String(concurrency);
  const redelivered = (run: DestinationRun) =>
    run.redeliveries > 0 ? ` (+${run.redeliveries} redelivered)` : "";
  return [
    [
      `${m.ceilingName} → ${m.name}`,
      "bench (a thread)",
      conc,
      fmt(m.ceiling.sendRate),
      fmt(m.ceiling.perSecond),
      "100.0 % *",
      "–",
      `${m.ceiling.duplicates}${redelivered(m.ceiling)}`,
    ],
    [
      `Herald SQLite → ${m.name}`,
      "1 (all roles)",
      conc,
      fmt(m.herald.sendRate),
      fmt(m.herald.perSecond),
      `${share(m.herald.perSecond, m.ceiling.perSecond)} *`,
      "–",
      `${m.herald.duplicates}${redelivered(m.herald)}`,
    ],
  ];
}

const CPU_COLUMNS: Array<[CpuGroup, string]> = [
  ["bench", "bench (receiver, publisher)"],
  ["herald", "Herald"],
  ["postgres", "PostgreSQL"],
  ["bullmq", "BullMQ process"],
  ["redis", "Redis"],
  ["other", "other"],
];

/**
 * What the CPU allows at best: every delivery needs at least the store's work (the store-alone
 * row: PostgreSQL and the driver) and one HTTP exchange (the ceiling row: client and receiver),
 * on the same cores; Herald's own API, signing and dispatching come on top.
 */
function cpuBound(cpu: ComparisonReport["cpu"]) {
  const total = (row: ComparisonReport["cpu"][number]) =>
    (Object.values(row.usage.byGroup).reduce((a, b) => a + b, 0) / row.deliveries) * 1e6;
  const store = cpu.find((c) => c.label.startsWith("PostgreSQL store alone"));
  const http = cpu.find((c) => c.label === "raw HTTP ceiling");
  if (!store || !http) return null;
  const storeMicros = total(store);
  const httpMicros = total(http);
  const cores = store.usage.cores;
  return { storeMicros, httpMicros, cores, perSecond: (cores * 1e6) / (storeMicros + httpMicros) };
}

/** CPU µs per delivery by process group, and how busy the machine was. */
function printCpu(cpu: ComparisonReport["cpu"]): void {
  if (cpu.length === 0) return;
  const cores = cpu[0]!.usage.cores;
  const used = CPU_COLUMNS.filter(([g]) => cpu.some((c) => c.usage.byGroup[g] > 0.05));
  const perDelivery = (seconds: number, deliveries: number) => fmt((seconds / deliveries) * 1e6);
  const rows = cpu.map(({ label, deliveries, usage }) => {
    const total = used.reduce((sum, [g]) => sum + usage.byGroup[g], 0);
    return [
      label,
      `${fmt(usage.busyCores, 2)} of ${cores}`,
      ...used.map(([g]) => perDelivery(usage.byGroup[g], deliveries)),
      perDelivery(total, deliveries),
    ];
  });
  console.log(
    "\nCPU per delivery in the throughput phase (µs, from /proc), and cores kept busy on average",
  );
  const lines = table(
    ["measurement", "cores busy", ...used.map(([, name]) => name), "total"],
    rows,
    [false, true, ...used.map(() => true), true],
  );
  for (const line of lines) console.log(line);
}

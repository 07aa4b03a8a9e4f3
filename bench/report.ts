// What `npm run bench` prints: the SQLite-only report (as it always was), or one table with
// every configuration of the run beside the ceiling and the BullMQ baseline.
import type { BullmqBaselineResult } from "./bullmq-baseline.js";
import type { PostgresSettings } from "./cluster.js";
import type { CpuGroup, CpuUsage } from "./cpu.js";
import type { PhaseResult } from "./phases.js";
import type { StoreFloorResult } from "./store-floor.js";
import { fmt } from "./stats.js";

export interface MintResult {
  count: number;
  ceiling: number;
  mintsPerSecond: number;
  p50: number;
  p99: number;
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
}

function mintRows(mints: MintResult | null): Array<[string, string]> {
  if (!mints) return [];
  return [
    ["bare chain mints (viem → embedded EDR)", `${fmt(mints.ceiling)} mints/s`],
    [
      `Herald mints, request → webhook (${fmt(mints.count)}, 50 at once)`,
      `${fmt(mints.mintsPerSecond)} mints/s = ${fmt((mints.mintsPerSecond / mints.ceiling) * 100, 1)} % of the bare chain; p50 ${fmt(mints.p50, 1)} ms, p99 ${fmt(mints.p99, 1)} ms`,
    ],
  ];
}

function printRows(rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

/** The report of a plain `npm run bench`: SQLite, one process. */
export function printSqliteReport(shape: RunShape, r: PhaseResult, mints: MintResult | null) {
  const total = shape.events * shape.endpoints;
  const rows: Array<[string, string]> = [
    ["events × endpoints", `${fmt(shape.events)} × ${shape.endpoints} = ${fmt(total)} deliveries`],
    ["concurrency to the receiver", String(shape.concurrency)],
    ["raw HTTP ceiling (undici → receiver)", `${fmt(shape.ceiling)} req/s`],
    [
      shape.batch > 1 ? `publish rate (batches of ${shape.batch})` : "publish rate (POST /events)",
      `${fmt(r.publishRate)} events/s`,
    ],
    ["Herald end-to-end deliveries", `${fmt(r.deliveryRate)} deliveries/s`],
    ["Herald / ceiling", `${fmt((r.deliveryRate / shape.ceiling) * 100, 1)} %  (target ≥ 40 %)`],
    [
      `latency at ${fmt(r.latencyRate)} deliveries/s (half)`,
      `p50 ${fmt(r.latency.p50, 1)} ms, p99 ${fmt(r.latency.p99, 1)} ms, max ${fmt(r.latency.max, 1)} ms  (target p99 < 50 ms)`,
    ],
    ["duplicates (throughput, latency)", `${r.duplicates.throughput}, ${r.duplicates.latency}`],
    ...mintRows(mints),
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
  notes.push(...mintRows(report.mints));
  console.log("");
  printRows(notes);
  printCpu(report.cpu);
}

const CPU_COLUMNS: Array<[CpuGroup, string]> = [
  ["bench", "bench (receiver, publisher)"],
  ["herald", "Herald"],
  ["postgres", "PostgreSQL"],
  ["bullmq", "BullMQ process"],
  ["redis", "Redis"],
  ["other", "other"],
];

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

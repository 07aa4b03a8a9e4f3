// Where the CPU went during a measurement, by process group, read from /proc (Linux only; elsewhere
// `cpuSnapshot` returns null and nothing is reported). On a small machine every process of a
// configuration shares the same cores, so CPU per delivery is what bounds the rate.
import { readFileSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";

export type CpuGroup = "herald" | "postgres" | "redis" | "bullmq" | "bench" | "other";

export interface CpuSnapshot {
  at: number;
  /** utime + stime per pid, in clock ticks, with the pid's group. */
  processes: Map<number, { group: CpuGroup; ticks: number }>;
  /** /proc/stat: all ticks and idle ticks of all cores. */
  total: number;
  idle: number;
}

export interface CpuUsage {
  seconds: number;
  /** Cores' worth kept busy on average (of `cores`), any process. */
  busyCores: number;
  cores: number;
  /** CPU seconds per group. */
  byGroup: Record<CpuGroup, number>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function groupOf(pid: number, cmdline: string): CpuGroup {
  if (pid === process.pid) return "bench";
  if (cmdline.includes("src/cli/main.ts") || cmdline.includes("dist/cli/main.js")) return "herald";
  // The BullMQ baseline's producer and worker: the process bench/bullmq/in-child.ts forks.
  if (cmdline.includes("bench/bullmq/child.ts")) return "bullmq";
  if (cmdline.startsWith("postgres")) return "postgres";
  if (cmdline.startsWith("redis-server") || cmdline.includes("/redis-server")) return "redis";
  return "other";
}

export function cpuSnapshot(): CpuSnapshot | null {
  let stat: string;
  try {
    stat = readFileSync("/proc/stat", "utf8");
  } catch {
    return null;
  }
  const fields = stat.split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const processes = new Map<number, { group: CpuGroup; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const line = readFileSync(`/proc/${pid}/stat`, "utf8");
      // After the command in parentheses: state is field 3; utime and stime are 14 and 15.
      const rest = line.slice(line.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(rest[11]) + Number(rest[12]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      processes.set(pid, { group: groupOf(pid, cmdline), ticks });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return {
    at: performance.now(),
    processes,
    total: fields.reduce((a, b) => a + b, 0),
    idle: (fields[3] ?? 0) + (fields[4] ?? 0),
  };
}

/** CPU used between two snapshots by processes alive at the second (a process gone by then is lost). */
export function cpuUsage(from: CpuSnapshot, to: CpuSnapshot): CpuUsage {
  const byGroup: Record<CpuGroup, number> = {
    herald: 0,
    postgres: 0,
    redis: 0,
    bullmq: 0,
    bench: 0,
    other: 0,
  };
  for (const [pid, { group, ticks }] of to.processes) {
    const before = from.processes.get(pid)?.ticks ?? 0;
    byGroup[group] += Math.max(0, ticks - before) / TICKS_PER_SECOND;
  }
  const cores = availableParallelism();
  const all = to.total - from.total;
  return {
    seconds: (to.at - from.at) / 1000,
    busyCores: all > 0 ? (1 - (to.idle - from.idle) / all) * cores : 0,
    cores,
    byGroup,
  };
}

/** A window opened by `start` and closed by `stop`; `usage` is null off Linux or if not closed. */
export class CpuWindow {
  private from: CpuSnapshot | null = null;
  private to: CpuSnapshot | null = null;

  start(): void {
    this.from = cpuSnapshot();
  }

  stop(): void {
    this.to = cpuSnapshot();
  }

  usage(): CpuUsage | null {
    return this.from && this.to ? cpuUsage(this.from, this.to) : null;
  }
}

/** Runs `work` inside a CPU window: its result, and the CPU of the machine meanwhile. */
export async function measured<T>(
  work: () => Promise<T>,
): Promise<{ result: T; cpu: CpuUsage | null }> {
  const window = new CpuWindow();
  window.start();
  const result = await work();
  window.stop();
  return { result, cpu: window.usage() };
}

/**
 * How busy the machine was during a measurement, for the reader of a shared machine's figures:
 * "CPU 1.62 of 2 cores busy (Herald 0.91, other processes 0.30)".
 */
export function cpuText(usage: CpuUsage | null): string {
  if (!usage || usage.seconds <= 0) return "CPU: not measured (no /proc)";
  const cores = (group: CpuGroup) => usage.byGroup[group] / usage.seconds;
  const fixed = (n: number) => n.toFixed(2);
  return (
    `CPU ${fixed(usage.busyCores)} of ${usage.cores} cores busy ` +
    `(Herald ${fixed(cores("herald"))}, bench ${fixed(cores("bench"))}, ` +
    `other processes ${fixed(cores("other") + cores("postgres") + cores("redis") + cores("bullmq"))})`
  );
}

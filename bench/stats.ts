export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once. */
export async function runPool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";

/** The first seq of a latency phase's events, apart from the throughput phase's 0 … N-1. */
const LATENCY_SEQ_BASE = 1_000_000;

/**
 * A latency phase's sender: `count` events (seq 1,000,000 on), `perTick` at a time, paced to
 * `rate` events per second; `send` gets each tick's seqs and the index of its first. Resolves,
 * once every send has, with when each seq was sent (`performance.now()`).
 */
export async function sendPaced(
  count: number,
  rate: number,
  perTick: number,
  send: (seqs: number[], first: number) => Promise<unknown>,
): Promise<Map<number, number>> {
  const sentAt = new Map<number, number>();
  const started = performance.now();
  const inFlight: Promise<unknown>[] = [];
  for (let first = 0; first < count; first += perTick) {
    const due = started + (first / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const seqs = Array.from(
      { length: Math.min(perTick, count - first) },
      (_, k) => LATENCY_SEQ_BASE + first + k,
    );
    const now = performance.now();
    for (const seq of seqs) sentAt.set(seq, now);
    const sent = send(seqs, first);
    sent.catch(() => {}); // awaited below; a failure now must not go unhandled meanwhile
    inFlight.push(sent);
  }
  await Promise.all(inFlight);
  return sentAt;
}

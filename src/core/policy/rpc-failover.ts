// Which of a chain's RPC nodes to ask, and how long to leave out one that failed. Pure.
//
// A node is up unless it failed recently (left out for its back-off: the `Retry-After` it sent
// with a 429, else 1 s doubling per consecutive failure, at most a minute). A node whose head is
// more than `lagBlocks` behind the highest head seen is lagging: asked only after the others.
// When every node is down, the one that comes back soonest is still asked (never nothing).

export interface NodeHealth {
  /** Left out until then (ms since the epoch); 0: up. */
  downUntil: number;
  /** Consecutive failures. */
  failures: number;
  /** Its latest block number as last read, or null. */
  head: bigint | null;
}

export const DEFAULT_LAG_BLOCKS = 3;
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 60_000;
const MAX_RETRY_AFTER_MS = 300_000;

export function isLagging(head: bigint | null, highest: bigint | null, lagBlocks: number): boolean {
  return head !== null && highest !== null && highest - head > BigInt(lagBlocks);
}

export function highestHead(nodes: readonly NodeHealth[]): bigint | null {
  return nodes.reduce<bigint | null>(
    (max, n) => (n.head !== null && (max === null || n.head > max) ? n.head : max),
    null,
  );
}

/** The nodes' indexes in the order to ask them. */
export function nodeOrder(
  nodes: readonly NodeHealth[],
  now: number,
  lagBlocks = DEFAULT_LAG_BLOCKS,
): number[] {
  const highest = highestHead(nodes);
  const indexes = nodes.map((_, i) => i);
  const up = indexes.filter((i) => nodes[i]!.downUntil <= now);
  const fresh = up.filter((i) => !isLagging(nodes[i]!.head, highest, lagBlocks));
  const lagging = up.filter((i) => isLagging(nodes[i]!.head, highest, lagBlocks));
  if (up.length > 0) return [...fresh, ...lagging];
  const soonest = [...indexes].sort((a, b) => nodes[a]!.downUntil - nodes[b]!.downUntil)[0]!;
  return [soonest];
}

/** How long a node that just failed (its `failures`-th time in a row) is left out. */
export function backoffMs(failures: number, retryAfter: string | null, now: number): number {
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const text = retryAfter.trim();
    const ms = /^\d+$/.test(text) ? Number(text) * 1_000 : Date.parse(text) - now;
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_AFTER_MS);
  }
  const exponent = Math.max(0, Math.min(failures - 1, 16));
  return Math.min(FIRST_BACKOFF_MS * 2 ** exponent, MAX_BACKOFF_MS);
}

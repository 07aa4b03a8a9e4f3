import type { ClaimResult, DedupStore } from "./types.js";

export interface MemoryStoreOptions {
  /** At most this many ids are kept; the oldest go first. Default 100 000. */
  maxEntries?: number;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

/**
 * One process's memory: ids are forgotten on restart and are not shared between processes, so
 * use it for one instance (or tests); a shared store (SQLite, PostgreSQL, Redis) otherwise.
 */
export class MemoryStore implements DedupStore {
  // Insertion order is expiry order for equal TTLs: a record is re-inserted when it changes.
  private readonly entries = new Map<string, { state: "processing" | "done"; expiresAt: number }>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!(this.maxEntries >= 1)) throw new TypeError("maxEntries must be 1 or more");
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  async claim(id: string, ttlMs: number): Promise<ClaimResult> {
    const now = this.now();
    this.sweep(now);
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt > now) return entry.state;
    this.set(id, "processing", now + ttlMs);
    return "claimed";
  }

  async complete(id: string, ttlMs: number): Promise<void> {
    this.set(id, "done", this.now() + ttlMs);
  }

  async release(id: string): Promise<void> {
    if (this.entries.get(id)?.state === "processing") this.entries.delete(id);
  }

  private set(id: string, state: "processing" | "done", expiresAt: number): void {
    this.entries.delete(id);
    this.entries.set(id, { state, expiresAt });
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value!);
  }

  /** Drops expired entries from the front (a few per call: amortized, never a long pause). */
  private sweep(now: number): void {
    let budget = 16;
    for (const [id, entry] of this.entries) {
      if (budget-- === 0 || entry.expiresAt > now) break;
      this.entries.delete(id);
    }
  }
}

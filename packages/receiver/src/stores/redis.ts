import type { ClaimResult, DedupStore } from "./types.js";

/** The part of an ioredis client (or Cluster) this store uses (the caller passes its own). */
export interface RedisLike {
  set(key: string, value: string, px: "PX", ms: number, nx: "NX"): Promise<"OK" | null>;
  set(key: string, value: string, px: "PX", ms: number): Promise<"OK">;
  get(key: string): Promise<string | null>;
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
}

export interface RedisStoreOptions {
  /** Prepended to each webhook id; default `webhook:`. */
  prefix?: string;
}

// Deletes the key only while it is a claim (never a `done` record).
const RELEASE = `if redis.call('get', KEYS[1]) == 'processing' then return redis.call('del', KEYS[1]) end return 0`;

/**
 * Ids as Redis keys with an expiry: a claim is `SET key processing PX ttl NX`. Shared by every
 * process using the same Redis; as durable as that Redis is configured to be.
 */
export class RedisStore implements DedupStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisLike,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? "webhook:";
  }

  async claim(id: string, ttlMs: number): Promise<ClaimResult> {
    const key = this.prefix + id;
    // The key may expire between SET NX and GET: then claim again.
    for (;;) {
      if ((await this.redis.set(key, "processing", "PX", Math.ceil(ttlMs), "NX")) === "OK")
        return "claimed";
      const state = await this.redis.get(key);
      if (state === "processing" || state === "done") return state;
    }
  }

  async complete(id: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + id, "done", "PX", Math.ceil(ttlMs));
  }

  async release(id: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + id);
  }
}

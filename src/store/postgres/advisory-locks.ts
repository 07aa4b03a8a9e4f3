// Exclusive locks between Herald processes: PostgreSQL session-level advisory locks on one
// dedicated connection. The server releases them when that session ends — the process died
// or its connection was cut — and then another process's next try takes them; this process
// is told it lost them (and stops the jobs they guarded) when it notices the connection gone.
import { createHash } from "node:crypto";
import type { ExclusiveLocks } from "../../core/runtime/singleton.js";
import { Session } from "./session.js";

/** The first key of the two-key advisory lock form: "HRL" and 0x10 (see LOCKS in database.ts). */
export const LOCK_CLASS = 0x48524c10;

/** A lock name as the second key: 32 bits of its SHA-256. */
export function lockKey(name: string): number {
  return createHash("sha256").update(name).digest().readInt32BE(0);
}

export class PostgresLocks implements ExclusiveLocks {
  private readonly held = new Set<string>();
  private readonly listeners = new Set<(names: string[]) => void>();
  private readonly session: Session;

  constructor(
    url: string,
    private readonly schema: string,
  ) {
    this.session = new Session(url, schema, {
      connected: async () => undefined,
      lost: () => {
        const names = [...this.held];
        this.held.clear();
        if (names.length > 0) for (const listener of this.listeners) listener(names);
      },
    });
  }

  async tryAcquire(name: string): Promise<boolean> {
    if (this.held.has(name)) return true;
    const client = await this.session.connection();
    const result = await client.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_lock($1, $2) AS ok",
      [LOCK_CLASS, this.key(name)],
    );
    if (result.rows[0]?.ok) this.held.add(name);
    return this.held.has(name);
  }

  async release(name: string): Promise<void> {
    if (!this.held.delete(name)) return;
    const client = await this.session.connection();
    await client.query("SELECT pg_advisory_unlock($1, $2)", [LOCK_CLASS, this.key(name)]);
  }

  onLost(listener: (names: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  /** Advisory locks are the database's, not a schema's: Heralds in other schemas stay apart. */
  key(name: string): number {
    return lockKey(`${this.schema}/${name}`);
  }
}

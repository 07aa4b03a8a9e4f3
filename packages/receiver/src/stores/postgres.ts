import { SWEEP_INTERVAL_MS, tableName, type ClaimResult, type DedupStore } from "./types.js";

/** The part of a `pg` Pool or Client this store uses (the caller passes its own). */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface PostgresStoreOptions {
  /** Default `webhook_receipts` (may be schema-qualified). */
  table?: string;
}

/**
 * Ids in a PostgreSQL table (created on first use): shared by every process of the application.
 * A claim is one `INSERT … ON CONFLICT DO UPDATE … WHERE expired` statement; times are the
 * server's clock.
 */
export class PostgresStore implements DedupStore {
  private readonly table: string;
  private ready: Promise<void> | null = null;
  private lastSweep = 0;

  constructor(
    private readonly db: PgQueryable,
    options: PostgresStoreOptions = {},
  ) {
    this.table = tableName(options.table ?? "webhook_receipts");
  }

  /** Creates the table if missing (done by the first call otherwise). */
  init(): Promise<void> {
    this.ready ??= this.db
      .query(
        `CREATE TABLE IF NOT EXISTS ${this.table} (
          id text PRIMARY KEY,
          state text NOT NULL,
          expires_at timestamptz NOT NULL
        )`,
      )
      .then(
        () => undefined,
        (error: { code?: string }) => {
          // Two processes creating it at once: one of them loses the race on the catalog.
          if (error.code === "23505" || error.code === "42P07") return;
          this.ready = null;
          throw error;
        },
      );
    return this.ready;
  }

  async claim(id: string, ttlMs: number): Promise<ClaimResult> {
    await this.init();
    if (Date.now() - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = Date.now();
      await this.db.query(`DELETE FROM ${this.table} WHERE expires_at <= now()`);
    }
    // The SELECT reads the statement's snapshot: a row another transaction inserted or deleted
    // since may leave it empty; then claim again.
    for (;;) {
      const { rows } = await this.db.query(
        `WITH claimed AS (
           INSERT INTO ${this.table} AS t (id, state, expires_at)
           VALUES ($1, 'processing', now() + $2::float8 * interval '1 millisecond')
           ON CONFLICT (id) DO UPDATE SET state = 'processing', expires_at = EXCLUDED.expires_at
           WHERE t.expires_at <= now()
           RETURNING 'claimed'::text AS state
         )
         SELECT state FROM claimed
         UNION ALL
         SELECT state FROM ${this.table}
         WHERE id = $1 AND expires_at > now() AND NOT EXISTS (SELECT 1 FROM claimed)`,
        [id, ttlMs],
      );
      const row = rows[0] as { state: ClaimResult } | undefined;
      if (row) return row.state;
    }
  }

  async complete(id: string, ttlMs: number): Promise<void> {
    await this.init();
    await this.db.query(
      `INSERT INTO ${this.table} (id, state, expires_at)
       VALUES ($1, 'done', now() + $2::float8 * interval '1 millisecond')
       ON CONFLICT (id) DO UPDATE SET state = 'done', expires_at = EXCLUDED.expires_at`,
      [id, ttlMs],
    );
  }

  async release(id: string): Promise<void> {
    await this.init();
    await this.db.query(`DELETE FROM ${this.table} WHERE id = $1 AND state = 'processing'`, [id]);
  }
}

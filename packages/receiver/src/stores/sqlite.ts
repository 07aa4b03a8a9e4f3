import { SWEEP_INTERVAL_MS, tableName, type ClaimResult, type DedupStore } from "./types.js";

/** The part of a better-sqlite3 `Database` this store uses (the caller passes its own). */
export interface SqliteDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number };
    get(...params: unknown[]): unknown;
  };
}

export interface SqliteStoreOptions {
  /** Default `webhook_receipts`. */
  table?: string;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
}

/**
 * Ids in a SQLite table (created if missing) of a better-sqlite3 database: shared by the
 * processes that open the same file. better-sqlite3 is synchronous: each call is one statement.
 */
export class SqliteStore implements DedupStore {
  private readonly insert;
  private readonly state;
  private readonly done;
  private readonly remove;
  private readonly expired;
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(db: SqliteDatabase, options: SqliteStoreOptions = {}) {
    const table = tableName(options.table ?? "webhook_receipts");
    this.now = options.now ?? Date.now;
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (
        id TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      )`,
    );
    this.insert = db.prepare(
      `INSERT INTO ${table} (id, state, expires_at) VALUES (?, 'processing', ?)
       ON CONFLICT (id) DO UPDATE SET state = 'processing', expires_at = excluded.expires_at
       WHERE ${table}.expires_at <= ?`,
    );
    this.state = db.prepare(`SELECT state FROM ${table} WHERE id = ? AND expires_at > ?`);
    this.done = db.prepare(
      `INSERT INTO ${table} (id, state, expires_at) VALUES (?, 'done', ?)
       ON CONFLICT (id) DO UPDATE SET state = 'done', expires_at = excluded.expires_at`,
    );
    this.remove = db.prepare(`DELETE FROM ${table} WHERE id = ? AND state = 'processing'`);
    this.expired = db.prepare(`DELETE FROM ${table} WHERE expires_at <= ?`);
  }

  async claim(id: string, ttlMs: number): Promise<ClaimResult> {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      this.expired.run(now);
    }
    // Another process may delete or claim between the two statements: then claim again.
    for (;;) {
      if (this.insert.run(id, now + ttlMs, now).changes === 1) return "claimed";
      const row = this.state.get(id, now) as { state: ClaimResult } | undefined;
      if (row) return row.state;
    }
  }

  async complete(id: string, ttlMs: number): Promise<void> {
    this.done.run(id, this.now() + ttlMs);
  }

  async release(id: string): Promise<void> {
    this.remove.run(id);
  }
}

import Database from "better-sqlite3";

export type Db = Database.Database;
type Statement = Database.Statement;

export interface OpenOptions {
  /** NORMAL survives a process crash (the WAL is on disk); FULL also survives power loss. */
  synchronous: "NORMAL" | "FULL";
}

export function openDatabase(path: string, options: OpenOptions): Db {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.synchronous}`);
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  db.pragma("cache_size = -65536");
  return db;
}

const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, compiled once per database. */
export function sql(db: Db, text: string): Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(text);
  if (!statement) {
    statement = db.prepare(text);
    cache.set(text, statement);
  }
  return statement;
}

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => "?").join(", ");
}

/** A WHERE clause built from optional filters: a condition counts only when its value is set. */
export class Where {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  and(condition: string, value: unknown): this {
    if (value !== undefined) {
      this.conditions.push(condition);
      this.params.push(value);
    }
    return this;
  }

  toString(): string {
    return this.conditions.join(" AND ");
  }
}

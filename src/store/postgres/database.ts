import pg from "pg";

export type Pool = pg.Pool;
/** A pooled connection inside a transaction (see `withTransaction`). */
export type Client = pg.PoolClient;
/** The pool (each statement its own transaction) or a client inside a transaction. */
export type Db = Pool | Client;
export type Row = Record<string, unknown>;

export interface PoolOptions {
  schema: string;
  poolSize: number;
  /** Errors of idle connections (the server went away); they never crash the process. */
  onIdleError?: (error: Error) => void;
}

const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A schema name, double-quoted; only plain identifiers are accepted. */
export function quoteSchema(schema: string): string {
  if (!PLAIN_IDENTIFIER.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name "${schema}": use letters, digits and _`);
  }
  return `"${schema}"`;
}

/**
 * Every connection starts with `search_path` set to the schema, so the SQL in the modules
 * names tables without a schema. An idle connection the server terminates emits an error on
 * the pool: it is handed to `onIdleError` (or ignored), and the pool opens a new one on demand.
 */
export function openPool(url: string, options: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    application_name: "herald",
    options: `-c search_path=${quoteSchema(options.schema)}`,
  });
  pool.on("error", (error) => options.onIdleError?.(error));
  return pool;
}

/** Advisory lock classes (the first key of the two-key form), "HRL" and a number. */
export const LOCKS = {
  migrations: 0x48524c01,
  idempotency: 0x48524c02,
} as const;

/**
 * Runs `fn` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK
 * when it throws; the connection goes back to the pool either way, or is discarded when it
 * broke (the server terminated it, say), so the next caller gets a fresh one.
 */
export async function withTransaction<T>(
  pool: Pool,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no error listener of the pool's: without this one, a connection
  // lost between two statements would be an uncaught 'error' event.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken ??= rollbackError as Error;
    }
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}

/** On the pool: a new transaction. On a client: the caller's transaction already holds it. */
export function atomically<T>(db: Db, fn: (client: Client) => Promise<T>): Promise<T> {
  return db instanceof pg.Pool ? withTransaction(db, fn) : fn(db as Client);
}

export async function rows(db: Db, text: string, values: unknown[] = []): Promise<Row[]> {
  return (await db.query<Row>(text, values)).rows;
}

export async function row(db: Db, text: string, values: unknown[] = []): Promise<Row | null> {
  return (await db.query<Row>(text, values)).rows[0] ?? null;
}

/** Runs a statement; the number of rows it changed. */
export async function run(db: Db, text: string, values: unknown[] = []): Promise<number> {
  return (await db.query(text, values)).rowCount ?? 0;
}

/**
 * A WHERE clause built from optional filters: a condition counts only when its value is set.
 * Conditions are written with `?`, numbered `$1, $2, ...` here.
 */
export class Where {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  and(condition: string, value: unknown): this {
    if (value !== undefined) {
      this.params.push(value);
      this.conditions.push(condition.replace("?", `$${this.params.length}`));
    }
    return this;
  }

  /** The placeholder of the next parameter (for a LIMIT after the conditions). */
  next(): string {
    return `$${this.params.length + 1}`;
  }

  toString(): string {
    return this.conditions.join(" AND ");
  }
}

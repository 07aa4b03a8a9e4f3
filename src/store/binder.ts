// Both stores write each operation of core's Store port once, as a module function that takes
// the database (SQLite) or pool (PostgreSQL) first. A store is a table of those functions,
// typed against the port (a missing or mistyped operation fails to compile), bound here to one
// database.
import type { Store } from "../core/ports/store.js";

/** The port's operations: everything but the store's own life cycle. */
export type StoreOperations = Omit<Store, "kind" | "migrate" | "schemaVersion" | "close">;

/** Each operation of `Port` as a module function taking `Db` first, sync or async. */
export type OperationTable<Db, Port> = {
  [K in keyof Port]: Port[K] extends (...args: infer A) => Promise<infer R>
    ? (db: Db, ...args: A) => R | Promise<R>
    : never;
};

/**
 * The table's functions with `db` bound, as the port's async methods. A synchronous function
 * (better-sqlite3) that throws gives a rejected promise, as an async one would.
 */
export function bindOperations<Db, Port>(db: Db, table: OperationTable<Db, Port>): Port {
  const bound: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, fn] of Object.entries(table) as Array<[string, (...a: unknown[]) => unknown]>) {
    bound[name] = (...args) => {
      try {
        return Promise.resolve(fn(db, ...args));
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }
  return bound as Port;
}

/**
 * A base class whose instances carry the operations given to its constructor, so a store class
 * is its life cycle plus `super(operations)`.
 */
export function storeWith<Ops extends object>(): new (operations: Ops) => Ops {
  return class {
    constructor(operations: Ops) {
      Object.assign(this, operations);
    }
  } as new (operations: Ops) => Ops;
}

/** What a claim found: the caller runs the webhook only when it is `claimed`. */
export type ClaimResult = "claimed" | "processing" | "done";

/**
 * Remembers webhook ids so that a webhook delivered more than once (delivery is at least once)
 * is handled once. Every method is atomic per id, across processes for the shared stores.
 */
export interface DedupStore {
  /**
   * Claims `id` for `ttlMs` (how long a claim outlives a crashed handler): `claimed` if no one
   * holds it, or the claim or record found expired; else `processing` or `done`.
   */
  claim(id: string, ttlMs: number): Promise<ClaimResult>;
  /** The webhook was handled: remember it as `done` for `ttlMs`. */
  complete(id: string, ttlMs: number): Promise<void>;
  /** The handler failed: drop the claim (not a `done` record) so that a retry runs it. */
  release(id: string): Promise<void>;
}

/** Checks a table name given to a SQL store (it is written into the SQL). */
export function tableName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/.test(name))
    throw new TypeError(`not a plain table name: ${name}`);
  return name;
}

/** How often the SQL stores delete expired rows (lazily, on a claim). */
export const SWEEP_INTERVAL_MS = 60_000;

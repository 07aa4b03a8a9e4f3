import type { Store } from "../../core/ports/store.js";
import { bindOperations, storeWith, type StoreOperations } from "../binder.js";
import { operationsOf } from "../layout.js";
import * as actions from "./actions.js";
import * as chainJobs from "./chain-jobs.js";
import * as chainResults from "./chain-results.js";
import * as chainWatch from "./chain-watch.js";
import * as collections from "./collections.js";
import * as endpointActivity from "./endpoint-activity.js";
import { openPool, quoteSchema, type Pool } from "./database.js";
import * as endpoints from "./endpoints.js";
import * as events from "./events.js";
import * as masterKey from "./master-key.js";
import * as outbox from "./outbox.js";
import { groupPublishes } from "./group-commit.js";
import { LATEST_VERSION, applyMigrations, currentVersion } from "./migrations.js";
import * as original from "./original.js";
import * as originalRewards from "./original-rewards.js";
import * as projects from "./projects.js";
import * as queue from "./queue.js";
import * as retention from "./retention.js";
import * as stats from "./stats.js";
import * as wallets from "./wallets.js";

export interface PostgresStoreOptions {
  /** The schema Herald's tables live in (created by `migrate()`); `public` by default. */
  schema?: string;
  /** The most connections this process opens; 10 by default. */
  poolSize?: number;
  /** Called with the error of an idle connection the server closed; ignored by default. */
  onIdleError?: (error: Error) => void;
}

// Each operation runs on the pool (one transaction on a pooled connection).
const OPERATIONS = operationsOf<Pool>({
  projects,
  original,
  originalRewards,
  endpoints,
  events,
  endpointActivity,
  queue,
  actions,
  collections,
  chainJobs,
  chainResults,
  chainWatch,
  wallets,
  retention,
  stats,
  masterKey,
});

/**
 * The server store: several Herald processes share one PostgreSQL database. Each operation is
 * one transaction on a pooled connection; the queue is claimed with FOR UPDATE SKIP LOCKED.
 */
export class PostgresStore extends storeWith<StoreOperations>() implements Store {
  readonly kind = "postgres" as const;
  readonly pool: Pool;
  readonly schema: string;
  private closed = false;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    const schema = options.schema ?? "public";
    quoteSchema(schema); // rejects an unusable name before any connection is made
    const pool = openPool(url, {
      schema,
      poolSize: options.poolSize ?? 10,
      onIdleError: options.onIdleError,
    });
    // Publishes arriving together share one transaction.
    super({
      ...bindOperations(pool, OPERATIONS),
      publishEvent: groupPublishes(pool),
      publishEvents: (items) => outbox.publishEvents(pool, items),
    });
    this.schema = schema;
    this.pool = pool;
  }

  async migrate() {
    return { applied: await applyMigrations(this.pool, this.schema, Date.now()) };
  }

  async schemaVersion() {
    return { current: await currentVersion(this.pool, this.schema), latest: LATEST_VERSION };
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Store } from "../../core/ports/store.js";
import { bindOperations, storeWith, type StoreOperations } from "../binder.js";
import { operationsOf } from "../layout.js";
import * as actions from "./actions.js";
import * as chainJobs from "./chain-jobs.js";
import * as chainResults from "./chain-results.js";
import * as chainWatch from "./chain-watch.js";
import * as collections from "./collections.js";
import { openDatabase, type Db, type OpenOptions } from "./database.js";
import * as endpointActivity from "./endpoint-activity.js";
import * as endpoints from "./endpoints.js";
import * as events from "./events.js";
import { fairGroupCommit } from "./group-commit.js";
import * as masterKey from "./master-key.js";
import { LATEST_VERSION, applyMigrations, currentVersion } from "./migrations.js";
import * as original from "./original.js";
import * as originalRewards from "./original-rewards.js";
import * as projects from "./projects.js";
import * as queue from "./queue.js";
import * as retention from "./retention.js";
import * as stats from "./stats.js";
import * as wallets from "./wallets.js";

// better-sqlite3 is synchronous; the Store port is asynchronous so PostgreSQL can fulfil it too.
const OPERATIONS = operationsOf<Db>({
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

/** The embedded store: one process, one SQLite file in WAL mode. */
export class SqliteStore extends storeWith<StoreOperations>() implements Store {
  readonly kind = "sqlite" as const;
  readonly db: Db;

  constructor(path: string, options: OpenOptions = { synchronous: "NORMAL" }) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const db = openDatabase(path, options);
    // Publishes arriving together share one commit, in fair turns between projects.
    const publish = fairGroupCommit(db);
    super({
      ...bindOperations(db, OPERATIONS),
      publishEvent: (event, idempotency) =>
        publish(event.projectId, 1, (d) => events.publishEvent(d, event, idempotency)),
      publishEvents: (items) =>
        publish(items[0]?.event.projectId ?? "", items.length, (d) =>
          events.publishEvents(d, items),
        ),
    });
    this.db = db;
  }

  async migrate() {
    return { applied: applyMigrations(this.db, Date.now()) };
  }

  async schemaVersion() {
    return { current: currentVersion(this.db), latest: LATEST_VERSION };
  }

  async close() {
    if (this.db.open) this.db.close();
  }
}

import type { RetentionStore } from "../../core/runtime/retention.js";
import type { Store } from "../../core/ports/store.js";
import * as actions from "./actions.js";
import * as chainJobs from "./chain-jobs.js";
import * as chainWatch from "./chain-watch.js";
import * as collections from "./collections.js";
import * as endpointActivity from "./endpoint-activity.js";
import { openPool, quoteSchema, type Db, type Pool } from "./database.js";
import * as endpoints from "./endpoints.js";
import * as events from "./events.js";
import * as outbox from "./outbox.js";
import { groupPublishes } from "./group-commit.js";
import { LATEST_VERSION, applyMigrations, currentVersion } from "./migrations.js";
import * as projects from "./projects.js";
import * as queue from "./queue.js";
import * as retention from "./retention.js";

export interface PostgresStoreOptions {
  /** The schema Herald's tables live in (created by `migrate()`); `public` by default. */
  schema?: string;
  /** The most connections this process opens; 10 by default. */
  poolSize?: number;
  /** Called with the error of an idle connection the server closed; ignored by default. */
  onIdleError?: (error: Error) => void;
}

// Each method below is one module function applied to the pool.
function bind<A extends unknown[], R>(
  pool: Pool,
  fn: (db: Db, ...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return (...args: A) => fn(pool, ...args);
}

/**
 * The server store: several Herald processes share one PostgreSQL database. Each method is
 * one transaction on a pooled connection; the queue is claimed with FOR UPDATE SKIP LOCKED.
 */
export class PostgresStore implements Store, RetentionStore {
  readonly kind = "postgres" as const;
  readonly pool: Pool;
  readonly schema: string;
  private closed = false;
  readonly createProject: Store["createProject"];
  readonly getProject: Store["getProject"];
  readonly getProjectByName: Store["getProjectByName"];
  readonly listProjects: Store["listProjects"];
  readonly createApiKey: Store["createApiKey"];
  readonly findApiKeyByHash: Store["findApiKeyByHash"];
  readonly listApiKeys: Store["listApiKeys"];
  readonly revokeApiKey: Store["revokeApiKey"];
  readonly createEndpoint: Store["createEndpoint"];
  readonly getEndpoint: Store["getEndpoint"];
  readonly listEndpoints: Store["listEndpoints"];
  readonly updateEndpoint: Store["updateEndpoint"];
  readonly rotateEndpointSecret: Store["rotateEndpointSecret"];
  readonly deleteEndpoint: Store["deleteEndpoint"];
  readonly publishEvent: Store["publishEvent"];
  readonly publishEvents: Store["publishEvents"];
  readonly getEvent: Store["getEvent"];
  readonly listEvents: Store["listEvents"];
  readonly listEventDeliveries: Store["listEventDeliveries"];
  readonly listEndpointDeliveries: Store["listEndpointDeliveries"];
  readonly listDeliveryAttempts: Store["listDeliveryAttempts"];
  readonly resendEvent: Store["resendEvent"];
  readonly resendFailedDeliveries: Store["resendFailedDeliveries"];
  readonly endpointAttemptStats: Store["endpointAttemptStats"];
  readonly claimDueDeliveries: Store["claimDueDeliveries"];
  readonly applyDeliveryOutcomes: Store["applyDeliveryOutcomes"];
  readonly releaseDeliveries: Store["releaseDeliveries"];
  /** Must not be called by the composition root on PostgreSQL: see queue.releaseAllLeases. */
  readonly releaseAllLeases: Store["releaseAllLeases"];
  readonly nextDueAt: Store["nextDueAt"];
  readonly createAction: Store["createAction"];
  readonly getAction: Store["getAction"];
  readonly completeAction: Store["completeAction"];
  readonly createCollection: Store["createCollection"];
  readonly getCollection: Store["getCollection"];
  readonly listCollections: Store["listCollections"];
  readonly updateCollection: Store["updateCollection"];
  readonly createNft: Store["createNft"];
  readonly getNft: Store["getNft"];
  readonly listNfts: Store["listNfts"];
  readonly updateNft: Store["updateNft"];
  readonly queueOperation: Store["queueOperation"];
  readonly getChainAccount: Store["getChainAccount"];
  readonly saveChainAccount: Store["saveChainAccount"];
  readonly getWallet: Store["getWallet"];
  readonly ensureWallet: Store["ensureWallet"];
  readonly listOpenChainJobs: Store["listOpenChainJobs"];
  readonly updateChainJob: Store["updateChainJob"];
  readonly listSendableChainJobs: Store["listSendableChainJobs"];
  readonly reopenChainJob: Store["reopenChainJob"];
  readonly getChainCursor: Store["getChainCursor"];
  readonly listDeployedCollections: Store["listDeployedCollections"];
  readonly getNftByTokenId: Store["getNftByTokenId"];
  readonly findWalletByAddress: Store["findWalletByAddress"];
  readonly recordObservedLogs: Store["recordObservedLogs"];
  readonly pruneExpired: RetentionStore["pruneExpired"];

  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.schema = options.schema ?? "public";
    quoteSchema(this.schema); // rejects an unusable name before any connection is made
    const pool = openPool(url, {
      schema: this.schema,
      poolSize: options.poolSize ?? 10,
      onIdleError: options.onIdleError,
    });
    this.pool = pool;
    this.createProject = bind(pool, projects.createProject);
    this.getProject = bind(pool, projects.getProject);
    this.getProjectByName = bind(pool, projects.getProjectByName);
    this.listProjects = bind(pool, projects.listProjects);
    this.createApiKey = bind(pool, projects.createApiKey);
    this.findApiKeyByHash = bind(pool, projects.findApiKeyByHash);
    this.listApiKeys = bind(pool, projects.listApiKeys);
    this.revokeApiKey = bind(pool, projects.revokeApiKey);
    this.createEndpoint = bind(pool, endpoints.createEndpoint);
    this.getEndpoint = bind(pool, endpoints.getEndpoint);
    this.listEndpoints = bind(pool, endpoints.listEndpoints);
    this.updateEndpoint = bind(pool, endpoints.updateEndpoint);
    this.rotateEndpointSecret = bind(pool, endpoints.rotateEndpointSecret);
    this.deleteEndpoint = bind(pool, endpoints.deleteEndpoint);
    this.publishEvent = groupPublishes(pool);
    this.publishEvents = (items) => outbox.publishEvents(pool, items);
    this.getEvent = bind(pool, events.getEvent);
    this.listEvents = bind(pool, events.listEvents);
    this.listEventDeliveries = bind(pool, events.listEventDeliveries);
    this.listEndpointDeliveries = bind(pool, events.listEndpointDeliveries);
    this.listDeliveryAttempts = bind(pool, events.listDeliveryAttempts);
    this.resendEvent = bind(pool, events.resendEvent);
    this.resendFailedDeliveries = bind(pool, endpointActivity.resendFailedDeliveries);
    this.endpointAttemptStats = bind(pool, endpointActivity.endpointAttemptStats);
    this.claimDueDeliveries = bind(pool, queue.claimDueDeliveries);
    this.applyDeliveryOutcomes = (outcomes) => queue.applyDeliveryOutcomes(pool, outcomes);
    this.releaseDeliveries = bind(pool, queue.releaseDeliveries);
    this.releaseAllLeases = bind(pool, queue.releaseAllLeases);
    this.nextDueAt = bind(pool, queue.nextDueAt);
    this.createAction = bind(pool, actions.createAction);
    this.getAction = bind(pool, actions.getAction);
    this.completeAction = bind(pool, actions.completeAction);
    this.createCollection = bind(pool, collections.createCollection);
    this.getCollection = bind(pool, collections.getCollection);
    this.listCollections = bind(pool, collections.listCollections);
    this.updateCollection = bind(pool, collections.updateCollection);
    this.createNft = bind(pool, collections.createNft);
    this.getNft = bind(pool, collections.getNft);
    this.listNfts = bind(pool, collections.listNfts);
    this.updateNft = bind(pool, collections.updateNft);
    this.queueOperation = bind(pool, collections.queueOperation);
    this.getChainAccount = bind(pool, chainJobs.getChainAccount);
    this.saveChainAccount = bind(pool, chainJobs.saveChainAccount);
    this.getWallet = bind(pool, chainJobs.getWallet);
    this.ensureWallet = bind(pool, chainJobs.ensureWallet);
    this.listOpenChainJobs = bind(pool, chainJobs.listOpenChainJobs);
    this.updateChainJob = bind(pool, chainJobs.updateChainJob);
    this.listSendableChainJobs = bind(pool, chainJobs.listSendableChainJobs);
    this.reopenChainJob = bind(pool, chainJobs.reopenChainJob);
    this.getChainCursor = bind(pool, chainWatch.getChainCursor);
    this.listDeployedCollections = bind(pool, chainWatch.listDeployedCollections);
    this.getNftByTokenId = bind(pool, chainWatch.getNftByTokenId);
    this.findWalletByAddress = bind(pool, chainWatch.findWalletByAddress);
    this.recordObservedLogs = bind(pool, chainWatch.recordObservedLogs);
    this.pruneExpired = (cutoffs, limit) => retention.pruneExpired(pool, cutoffs, limit);
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

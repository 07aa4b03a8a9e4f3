import type { Store } from "../../core/ports/store.js";
import { bindOperations, storeWith, type OperationTable, type StoreOperations } from "../binder.js";
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

// Each operation runs on the pool (one transaction on a pooled connection).
const OPERATIONS: OperationTable<Pool, Omit<StoreOperations, "publishEvent">> = {
  createProject: projects.createProject,
  getProject: projects.getProject,
  getProjectByName: projects.getProjectByName,
  listProjects: projects.listProjects,
  createApiKey: projects.createApiKey,
  findApiKeyByHash: projects.findApiKeyByHash,
  listApiKeys: projects.listApiKeys,
  revokeApiKey: projects.revokeApiKey,
  createEndpoint: endpoints.createEndpoint,
  getEndpoint: endpoints.getEndpoint,
  listEndpoints: endpoints.listEndpoints,
  updateEndpoint: endpoints.updateEndpoint,
  rotateEndpointSecret: endpoints.rotateEndpointSecret,
  deleteEndpoint: endpoints.deleteEndpoint,
  publishEvents: outbox.publishEvents,
  getEvent: events.getEvent,
  listEvents: events.listEvents,
  listEventDeliveries: events.listEventDeliveries,
  listEndpointDeliveries: events.listEndpointDeliveries,
  listDeliveryAttempts: events.listDeliveryAttempts,
  resendEvent: events.resendEvent,
  resendFailedDeliveries: endpointActivity.resendFailedDeliveries,
  endpointAttemptStats: endpointActivity.endpointAttemptStats,
  claimDueDeliveries: queue.claimDueDeliveries,
  applyDeliveryOutcomes: queue.applyDeliveryOutcomes,
  releaseDeliveries: queue.releaseDeliveries,
  parkDeliveries: queue.parkDeliveries,
  quietEndpoint: queue.quietEndpoint,
  /** Must not be called by the composition root on PostgreSQL: see queue.releaseAllLeases. */
  releaseAllLeases: queue.releaseAllLeases,
  nextDueAt: queue.nextDueAt,
  createAction: actions.createAction,
  getAction: actions.getAction,
  completeAction: actions.completeAction,
  createCollection: collections.createCollection,
  getCollection: collections.getCollection,
  listCollections: collections.listCollections,
  updateCollection: collections.updateCollection,
  createNft: collections.createNft,
  getNft: collections.getNft,
  listNfts: collections.listNfts,
  updateNft: collections.updateNft,
  queueOperation: collections.queueOperation,
  getChainAccount: chainJobs.getChainAccount,
  saveChainAccount: chainJobs.saveChainAccount,
  getWallet: chainJobs.getWallet,
  ensureWallet: chainJobs.ensureWallet,
  listOpenChainJobs: chainJobs.listOpenChainJobs,
  updateChainJob: chainJobs.updateChainJob,
  listSendableChainJobs: chainJobs.listSendableChainJobs,
  finishChainJob: chainResults.finishChainJob,
  reopenChainJob: chainResults.reopenChainJob,
  getChainCursor: chainWatch.getChainCursor,
  listDeployedCollections: chainWatch.listDeployedCollections,
  getNftByTokenId: chainWatch.getNftByTokenId,
  findWalletByAddress: chainWatch.findWalletByAddress,
  recordObservedLogs: chainWatch.recordObservedLogs,
  pruneExpired: retention.pruneExpired,
  getSetting: masterKey.getSetting,
  ensureSetting: masterKey.ensureSetting,
  sampleSealedValues: masterKey.sampleSealedValues,
  resealSecrets: masterKey.resealSecrets,
};

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
    super({ ...bindOperations(pool, OPERATIONS), publishEvent: groupPublishes(pool) });
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

import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Store } from "../../core/ports/store.js";
import * as actions from "./actions.js";
import * as chainJobs from "./chain-jobs.js";
import * as chainWatch from "./chain-watch.js";
import * as collections from "./collections.js";
import { openDatabase, type Db, type OpenOptions } from "./database.js";
import * as endpointActivity from "./endpoint-activity.js";
import * as endpoints from "./endpoints.js";
import * as events from "./events.js";
import { groupCommit } from "./group-commit.js";
import { LATEST_VERSION, applyMigrations, currentVersion } from "./migrations.js";
import * as projects from "./projects.js";
import * as queue from "./queue.js";
import * as retention from "./retention.js";

type Async<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;

// better-sqlite3 is synchronous; the Store contract is asynchronous so PostgreSQL can fulfil
// it too. Each method below is a thin async face over one module function.
function bind<A extends unknown[], R>(
  db: Db,
  fn: (db: Db, ...args: A) => R,
): Async<(...args: A) => R> {
  return ((...args: A) => {
    try {
      return Promise.resolve(fn(db, ...args));
    } catch (error) {
      return Promise.reject(error);
    }
  }) as Async<(...args: A) => R>;
}

export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  readonly db: Db;
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
  readonly pruneExpired: Store["pruneExpired"];

  constructor(path: string, options: OpenOptions = { synchronous: "NORMAL" }) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    const db = openDatabase(path, options);
    this.db = db;
    this.createProject = bind(db, projects.createProject);
    this.getProject = bind(db, projects.getProject);
    this.getProjectByName = bind(db, projects.getProjectByName);
    this.listProjects = bind(db, projects.listProjects);
    this.createApiKey = bind(db, projects.createApiKey);
    this.findApiKeyByHash = bind(db, projects.findApiKeyByHash);
    this.listApiKeys = bind(db, projects.listApiKeys);
    this.revokeApiKey = bind(db, projects.revokeApiKey);
    this.createEndpoint = bind(db, endpoints.createEndpoint);
    this.getEndpoint = bind(db, endpoints.getEndpoint);
    this.listEndpoints = bind(db, endpoints.listEndpoints);
    this.updateEndpoint = bind(db, endpoints.updateEndpoint);
    this.rotateEndpointSecret = bind(db, endpoints.rotateEndpointSecret);
    this.deleteEndpoint = bind(db, endpoints.deleteEndpoint);
    this.publishEvent = groupCommit(db, events.publishEvent);
    this.publishEvents = groupCommit(db, events.publishEvents);
    this.getEvent = bind(db, events.getEvent);
    this.listEvents = bind(db, events.listEvents);
    this.listEventDeliveries = bind(db, events.listEventDeliveries);
    this.listEndpointDeliveries = bind(db, events.listEndpointDeliveries);
    this.listDeliveryAttempts = bind(db, events.listDeliveryAttempts);
    this.resendEvent = bind(db, events.resendEvent);
    this.resendFailedDeliveries = bind(db, endpointActivity.resendFailedDeliveries);
    this.endpointAttemptStats = bind(db, endpointActivity.endpointAttemptStats);
    this.claimDueDeliveries = bind(db, queue.claimDueDeliveries);
    this.applyDeliveryOutcomes = bind(db, queue.applyDeliveryOutcomes);
    this.releaseDeliveries = bind(db, queue.releaseDeliveries);
    this.releaseAllLeases = bind(db, queue.releaseAllLeases);
    this.nextDueAt = bind(db, queue.nextDueAt);
    this.createAction = bind(db, actions.createAction);
    this.getAction = bind(db, actions.getAction);
    this.completeAction = bind(db, actions.completeAction);
    this.createCollection = bind(db, collections.createCollection);
    this.getCollection = bind(db, collections.getCollection);
    this.listCollections = bind(db, collections.listCollections);
    this.updateCollection = bind(db, collections.updateCollection);
    this.createNft = bind(db, collections.createNft);
    this.getNft = bind(db, collections.getNft);
    this.listNfts = bind(db, collections.listNfts);
    this.updateNft = bind(db, collections.updateNft);
    this.queueOperation = bind(db, collections.queueOperation);
    this.getChainAccount = bind(db, chainJobs.getChainAccount);
    this.saveChainAccount = bind(db, chainJobs.saveChainAccount);
    this.getWallet = bind(db, chainJobs.getWallet);
    this.ensureWallet = bind(db, chainJobs.ensureWallet);
    this.listOpenChainJobs = bind(db, chainJobs.listOpenChainJobs);
    this.updateChainJob = bind(db, chainJobs.updateChainJob);
    this.listSendableChainJobs = bind(db, chainJobs.listSendableChainJobs);
    this.reopenChainJob = bind(db, chainJobs.reopenChainJob);
    this.getChainCursor = bind(db, chainWatch.getChainCursor);
    this.listDeployedCollections = bind(db, chainWatch.listDeployedCollections);
    this.getNftByTokenId = bind(db, chainWatch.getNftByTokenId);
    this.findWalletByAddress = bind(db, chainWatch.findWalletByAddress);
    this.recordObservedLogs = bind(db, chainWatch.recordObservedLogs);
    this.pruneExpired = bind(db, retention.pruneExpired);
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

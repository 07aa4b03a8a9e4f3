// Where each Store operation is written: the same module names in both stores' folders
// (src/store/sqlite/, src/store/postgres/). A store binds its modules by this one list, so the
// two stores cannot drift apart; the types check that every operation is listed once and that
// each module's function fits the port. Publishing is bound by each store itself (each commits
// publishes its own way).
import type { OperationTable, StoreOperations } from "./binder.js";

export const OPERATION_MODULES = {
  projects: [
    "createProject",
    "getProject",
    "getProjectByName",
    "updateProjectSettings",
    "listProjects",
    "createApiKey",
    "findApiKeyByHash",
    "listApiKeys",
    "revokeApiKey",
  ],
  original: [
    "createOriginalKey",
    "findOriginalKeyByHash",
    "listOriginalKeys",
    "revokeOriginalKey",
    "createOriginalUser",
    "getOriginalUser",
    "findOriginalUser",
    "listOriginalUsers",
    "listOriginalAssets",
    "createOriginalAsset",
    "getOriginalAsset",
    "renameOriginalAsset",
    "originalAssetNamed",
    "createOriginalOperation",
    "getOriginalOperation",
    "listOriginalOperations",
  ],
  originalRewards: [
    "createOriginalReward",
    "getOriginalReward",
    "listOriginalRewards",
    "createRewardOperation",
    "getRewardOperation",
    "listRewardOperations",
  ],
  endpoints: [
    "createEndpoint",
    "getEndpoint",
    "listEndpoints",
    "updateEndpoint",
    "rotateEndpointSecret",
    "deleteEndpoint",
  ],
  events: [
    "getEvent",
    "listEvents",
    "listEventsAfter",
    "listEventDeliveries",
    "listEndpointDeliveries",
    "listDeliveryAttempts",
    "resendEvent",
  ],
  endpointActivity: ["resendFailedDeliveries", "endpointAttemptStats"],
  queue: [
    "claimDueDeliveries",
    "applyDeliveryOutcomes",
    "releaseDeliveries",
    "parkDeliveries",
    "quietEndpoint",
    "releaseAllLeases",
    "nextDueAt",
  ],
  actions: ["createAction", "getAction", "completeAction"],
  collections: [
    "createCollection",
    "getCollection",
    "listCollections",
    "updateCollection",
    "createNft",
    "createNfts",
    "getNft",
    "getNftByKey",
    "listNfts",
    "updateNft",
    "queueOperation",
  ],
  chainJobs: [
    "getChainAccount",
    "saveChainAccount",
    "getWallet",
    "ensureWallet",
    "listOpenChainJobs",
    "updateChainJob",
    "listSendableChainJobs",
  ],
  chainResults: ["finishChainJob", "reopenChainJob"],
  wallets: ["listWallets", "listWalletNfts"],
  chainWatch: [
    "getChainCursor",
    "listDeployedCollections",
    "getNftByTokenId",
    "findWalletByAddress",
    "listObservedLogs",
    "recordObservedLogs",
  ],
  stats: ["operationalStats"],
  retention: ["pruneExpired"],
  masterKey: ["getSetting", "ensureSetting", "sampleSealedValues", "resealSecrets"],
} as const;

type Layout = typeof OPERATION_MODULES;
type Listed = Layout[keyof Layout][number];
export type PublishOperations = "publishEvent" | "publishEvents";

/** What each store's modules must export: every listed operation, taking the database first. */
export type StoreModules<Db> = {
  [M in keyof Layout]: Pick<OperationTable<Db, StoreOperations>, Layout[M][number]>;
};

// Every operation but publishing is listed: adding one to the port without a place here fails.
type Unlisted = Exclude<keyof StoreOperations, Listed | PublishOperations>;
const everyOperationListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyOperationListed;

/** The operations table of a store's modules, by the layout. */
export function operationsOf<Db>(
  modules: StoreModules<Db>,
): OperationTable<Db, Omit<StoreOperations, PublishOperations>> {
  const table: Record<string, unknown> = {};
  for (const [module, names] of Object.entries(OPERATION_MODULES)) {
    const functions = modules[module as keyof Layout] as Record<string, unknown>;
    for (const name of names) table[name] = functions[name];
  }
  return table as OperationTable<Db, Omit<StoreOperations, PublishOperations>>;
}

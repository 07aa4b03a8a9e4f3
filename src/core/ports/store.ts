import type {
  Action,
  ActionStatus,
  ApiKey,
  AppSettings,
  AttemptBucket,
  Attempt,
  ClaimRequest,
  ClaimedDelivery,
  Delivery,
  DeliveryFilter,
  DeliveryOutcome,
  EndpointPatch,
  EventFilter,
  EventRecord,
  Idempotency,
  IdempotentResult,
  NewApiKey,
  NewEvent,
  NewOriginalKey,
  OriginalAsset,
  OriginalKey,
  OriginalOperation,
  OriginalReward,
  OriginalUser,
  NewRewardOperation,
  RewardOperation,
  OriginalUserField,
  Page,
  PageRequest,
  Project,
  PublishedEvent,
  SecretRotation,
  StoredEndpoint,
} from "../interfaces.js";

import type { MasterKeyStore } from "../runtime/master-key.js";
import type { RetentionStore } from "../runtime/retention.js";
import type { NewChainJob } from "../chain/chain-types.js";
import type { ChainStore } from "./chain-store.js";

export type { PageRequest };

/** What operators watch, read at each metrics scrape. */
export interface OperationalStats {
  /** Deliveries not finished (due, leased, or waiting for a retry). */
  pendingDeliveries: number;
  /** Of those, due now and not taken (an expired lease counts), not parked. */
  dueDeliveries: number;
  /** When the oldest due delivery came due; null when none is due. */
  oldestDueAt: number | null;
  /** Endpoints by state: healthy, failing, disabled (a state with none is absent). */
  endpoints: Record<string, number>;
  /** Chain jobs not finished, by chain and status (queued, sent, confirmed). */
  openChainJobs: Array<{ chain: string; status: string; count: number }>;
}

/** A reward's operations of one kind, or a user's (in one reward, or in all). */
export interface RewardOperationQuery {
  kind: RewardOperation["kind"];
  rewardId?: string;
  userUid?: string;
}

/**
 * Everything Herald keeps. Each method is one atomic operation; implementations (SQLite,
 * PostgreSQL) pass the same contract tests in test/store/.
 */
export interface Store extends ChainStore, RetentionStore, MasterKeyStore {
  readonly kind: "sqlite" | "postgres";
  migrate(): Promise<{ applied: number[] }>;
  /** The schema version applied in the database, and the newest this code knows. */
  schemaVersion(): Promise<{ current: number; latest: number }>;
  close(): Promise<void>;

  // projects and API keys
  /** With `idempotency`, a repeated request replays the first (with its sealed key). */
  createProject(
    project: Project,
    firstKey: NewApiKey,
    idempotency?: Idempotency,
    /** The project's first Original-style key pair, created with it. */
    originalKey?: NewOriginalKey,
  ): Promise<IdempotentResult<{ project: Project; sealedKey: string | null }>>;
  getProject(id: string): Promise<Project | null>;
  getProjectByName(name: string): Promise<Project | null>;
  /** The project with the settings given changed; null when there is no such project. */
  updateProjectSettings(id: string, settings: Partial<AppSettings>): Promise<Project | null>;
  listProjects(page: PageRequest): Promise<Page<Project>>;
  createApiKey(
    key: NewApiKey,
    idempotency?: Idempotency,
  ): Promise<IdempotentResult<{ key: ApiKey; sealedKey: string | null }>>;
  /** The project of an unrevoked key with this hash. */
  findApiKeyByHash(hash: string): Promise<ApiKey | null>;
  listApiKeys(projectId: string, page: PageRequest): Promise<Page<ApiKey>>;
  revokeApiKey(projectId: string, keyId: string, at: number): Promise<boolean>;

  // Original's API: key pairs and app users
  createOriginalKey(key: NewOriginalKey): Promise<void>;
  /** An unrevoked pair with this key hash. */
  findOriginalKeyByHash(hash: string): Promise<OriginalKey | null>;
  listOriginalKeys(projectId: string, page: PageRequest): Promise<Page<OriginalKey>>;
  revokeOriginalKey(projectId: string, id: string, at: number): Promise<boolean>;
  /** The user, or which identifier (email, client id, external id) another user has. */
  createOriginalUser(
    user: OriginalUser,
  ): Promise<{ kind: "created"; user: OriginalUser } | { kind: "taken"; field: OriginalUserField }>;
  getOriginalUser(projectId: string, id: string): Promise<OriginalUser | null>;
  findOriginalUser(
    projectId: string,
    field: OriginalUserField,
    value: string,
  ): Promise<OriginalUser | null>;
  /** In id order, cursor pages (Herald's console lists them). */
  listOriginalUsers(projectId: string, page: PageRequest): Promise<Page<OriginalUser>>;
  listOriginalAssets(projectId: string, page: PageRequest): Promise<Page<OriginalAsset>>;
  createOriginalAsset(asset: OriginalAsset): Promise<void>;
  getOriginalAsset(projectId: string, id: string): Promise<OriginalAsset | null>;
  renameOriginalAsset(
    projectId: string,
    id: string,
    name: string,
    uniqueName: boolean,
  ): Promise<void>;
  /** Whether the collection has an asset of this name (Original's `unique_name` check). */
  originalAssetNamed(projectId: string, collectionId: string, name: string): Promise<boolean>;
  createOriginalOperation(operation: OriginalOperation): Promise<void>;
  getOriginalOperation(
    projectId: string,
    kind: OriginalOperation["kind"],
    id: string,
  ): Promise<OriginalOperation | null>;
  /** An asset's operations, or a user's of one kind, newest first. */
  listOriginalOperations(
    projectId: string,
    by:
      | { assetUid: string; kind: OriginalOperation["kind"] }
      | { kind: OriginalOperation["kind"]; fromUserUid: string },
    limit: number,
  ): Promise<OriginalOperation[]>;

  /** What operators watch (metrics), at `now`. */
  operationalStats(now: number): Promise<OperationalStats>;

  // Original's rewards
  /** The reward, its deployment's action and its job, together. */
  createOriginalReward(reward: OriginalReward, action: Action, job: NewChainJob): Promise<void>;
  getOriginalReward(projectId: string, id: string): Promise<OriginalReward | null>;
  listOriginalRewards(projectId: string, page: PageRequest): Promise<Page<OriginalReward>>;
  /** The operation, its action and its job together; an allocation whose nonce its reward
   * already has gives that allocation back (`created: false`) and adds nothing. */
  createRewardOperation(
    operation: NewRewardOperation,
    action: Action,
    job: NewChainJob,
  ): Promise<{ created: boolean; operation: RewardOperation }>;
  getRewardOperation(
    projectId: string,
    kind: RewardOperation["kind"],
    id: string,
  ): Promise<RewardOperation | null>;
  /** Newest first, at most `limit`. */
  listRewardOperations(
    projectId: string,
    query: RewardOperationQuery,
    limit: number,
  ): Promise<RewardOperation[]>;

  // endpoints
  createEndpoint(
    endpoint: StoredEndpoint,
    idempotency?: Idempotency,
  ): Promise<IdempotentResult<StoredEndpoint>>;
  getEndpoint(projectId: string, id: string): Promise<StoredEndpoint | null>;
  listEndpoints(projectId: string, page: PageRequest): Promise<Page<StoredEndpoint>>;
  /** Disabling pauses the endpoint's pending deliveries; enabling resumes them. */
  updateEndpoint(
    projectId: string,
    id: string,
    patch: EndpointPatch,
    at: number,
  ): Promise<StoredEndpoint | null>;
  /** The current secret becomes the previous one until `previousExpiresAt`; `next` signs now. */
  rotateEndpointSecret(
    projectId: string,
    id: string,
    next: SecretRotation,
    previousExpiresAt: number,
    at: number,
  ): Promise<StoredEndpoint | null>;
  deleteEndpoint(projectId: string, id: string): Promise<boolean>;

  // events and their deliveries
  /** Writes the event and one delivery per subscribed, enabled endpoint in one transaction. */
  publishEvent(
    event: NewEvent,
    idempotency?: Idempotency,
  ): Promise<IdempotentResult<PublishedEvent>>;
  /**
   * Several events in one transaction, all or nothing: if any item's idempotency key conflicts,
   * nothing is written and the index of the first conflicting item is returned.
   */
  publishEvents(
    items: Array<{ event: NewEvent; idempotency?: Idempotency }>,
  ): Promise<Array<IdempotentResult<PublishedEvent>> | { conflictAt: number }>;
  getEvent(projectId: string, id: string): Promise<EventRecord | null>;
  listEvents(projectId: string, filter: EventFilter, page: PageRequest): Promise<Page<EventRecord>>;
  /**
   * Up to `limit` of the project's events with an id above `afterId` (and at most `upTo`, when
   * given), oldest first: the order of a stream. Ids are time-ordered, so a cursor is an id.
   */
  listEventsAfter(
    projectId: string,
    afterId: string,
    limit: number,
    upTo?: string,
  ): Promise<EventRecord[]>;
  listEventDeliveries(eventId: string): Promise<Array<Delivery & { attemptsList: Attempt[] }>>;
  listEndpointDeliveries(
    projectId: string,
    endpointId: string,
    filter: DeliveryFilter,
    page: PageRequest,
  ): Promise<Page<Delivery>>;
  listDeliveryAttempts(projectId: string, deliveryId: string): Promise<Attempt[] | null>;
  /**
   * Makes the event's deliveries (to one endpoint, or all) due now; creates the delivery to a
   * named endpoint that never had one. Null when the event or endpoint is not the project's.
   */
  resendEvent(
    projectId: string,
    eventId: string,
    endpointId: string | null,
    at: number,
  ): Promise<number | null>;
  /**
   * Every failed delivery of the endpoint created at or after `since`, due again at `at` with
   * the same event id (the endpoint's failed list filtered the same way); how many, or null
   * when the project has no such endpoint.
   */
  resendFailedDeliveries(
    projectId: string,
    endpointId: string,
    since: number,
    at: number,
  ): Promise<number | null>;
  /**
   * The endpoint's attempts started at or after `from`, counted per `bucketMs` (only buckets
   * with attempts). The caller checks the endpoint belongs to the project.
   */
  endpointAttemptStats(
    endpointId: string,
    from: number,
    bucketMs: number,
  ): Promise<AttemptBucket[]>;

  // the dispatcher's queue
  claimDueDeliveries(request: ClaimRequest): Promise<ClaimedDelivery[]>;
  applyDeliveryOutcomes(outcomes: DeliveryOutcome[]): Promise<void>;
  /** Gives leased deliveries back without an attempt, due at `dueAt`. */
  releaseDeliveries(ids: string[], owner: string, dueAt: number): Promise<void>;
  /**
   * Gives leased deliveries of a quiet or full endpoint back without an attempt, each due at
   * its `until`, marked parked: the endpoint's next success makes them due at once.
   */
  parkDeliveries(parks: Array<{ id: string; until: number }>, owner: string): Promise<void>;
  /** Leaves the endpoint alone until `until` (or later, if it already is): new deliveries to
   * it are born parked. */
  quietEndpoint(endpointId: string, until: number): Promise<void>;
  /** The embedded store has one process: on start-up every lease left by a crash is void. */
  releaseAllLeases(now: number): Promise<number>;
  nextDueAt(): Promise<number | null>;

  // actions
  createAction(action: Action, idempotency?: Idempotency): Promise<IdempotentResult<Action>>;
  getAction(projectId: string, id: string): Promise<Action | null>;
  /**
   * Completes a pending action and publishes the event `buildEvent` makes of it, atomically.
   * Returns null when no such action exists, `conflict` when it is no longer pending.
   */
  completeAction(
    projectId: string,
    id: string,
    status: Exclude<ActionStatus, "pending">,
    data: unknown | undefined,
    completedAt: number,
    buildEvent: (action: Action) => NewEvent,
  ): Promise<{ action: Action; event: PublishedEvent } | "conflict" | null>;
}

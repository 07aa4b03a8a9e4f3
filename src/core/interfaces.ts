// Types that cross the boundaries between api, core, store, dispatcher and destinations.
// Times are Unix epoch milliseconds everywhere inside Herald; the API formats them as ISO strings.
import type { SigningAlgorithm } from "./policy/signing.js";
import type { WebhookFormat } from "./policy/webhook-format.js";

export type ActionStatus = "pending" | "succeeded" | "failed";
export type DeliveryStatus = "pending" | "succeeded" | "failed" | "paused";

export interface Project {
  id: string;
  name: string;
  createdAt: number;
  /** What Original's payloads say of the app (`app.region`, `app.environment`). */
  region: string;
  environment: string;
}

/** An Original-style key pair: the key names it (kept as a hash), the secret signs the
 * HS256 tokens a client sends (kept sealed: Herald verifies with it). */
export interface NewOriginalKey {
  id: string;
  projectId: string;
  hash: string;
  prefix: string;
  secretEnc: string;
  createdAt: number;
}
export type OriginalKey = Omit<NewOriginalKey, "hash"> & { revokedAt: number | null };

/** One of Original's app users; each identifier is optional and unique in its project. */
export interface OriginalUser {
  id: string;
  projectId: string;
  email: string | null;
  /** Original's `user_external_id` (its older name, `client_id`, names the same value). */
  userExternalId: string | null;
  createdAt: number;
}
export type OriginalUserField = "email" | "userExternalId";

/** What Original's API knows of an NFT it minted; `id` is the NFT's id (the asset's uid). */
export interface OriginalAsset {
  id: string;
  projectId: string;
  collectionId: string;
  /** The user it was minted for. */
  userUid: string;
  assetExternalId: string | null;
  /** The name asked for; without `uniqueName` the asset is called `<name> #<token id>`. */
  name: string;
  uniqueName: boolean;
  salePriceInUsd: number | null;
  createdAt: number;
}

/** A reward: the ERC-20 rewards contract Herald deploys for it and what Original shows of it. */
export interface OriginalReward {
  id: string;
  projectId: string;
  chain: string;
  name: string;
  tokenName: string;
  tokenSymbol: string;
  description: string;
  /** Where a withdraw sends what is left of the pool. */
  withdrawReceiver: string;
  /** The pool minted at deployment, in token units (18 decimals), as a decimal integer. */
  initialSupply: string;
  status: "deploying" | "deployed" | "failed";
  contractAddress: string | null;
  /** The deployment's action. */
  actionId: string;
  createdAt: number;
  updatedAt: number;
}

export type RewardPatch = Partial<Pick<OriginalReward, "status" | "contractAddress">>;

/** An allocation, claim or withdraw of a reward; its state is its action's. */
export interface RewardOperation {
  id: string;
  projectId: string;
  rewardId: string;
  kind: "allocation" | "claim" | "withdraw";
  /** Allocation: the user allocated to; claim: the user claiming; withdraw: null. */
  userUid: string | null;
  /** Allocation: the user's wallet; claim, withdraw: where the tokens go. */
  address: string;
  /** Token units (18 decimals) as a decimal integer; null for a withdraw (the whole pool). */
  amount: string | null;
  /** An allocation's nonce, as the caller gave it (unique per reward). */
  nonce: string | null;
  actionId: string;
  /** Its action's status, read with it. */
  status: ActionStatus;
  createdAt: number;
}

export type NewRewardOperation = Omit<RewardOperation, "status">;

/** An edit, transfer or burn asked through Original's API; its state is its action's. */
export interface OriginalOperation {
  id: string;
  projectId: string;
  kind: "edit" | "transfer" | "burn";
  assetUid: string;
  fromUserUid: string | null;
  toAddress: string | null;
  actionId: string;
  createdAt: number;
}

export type AppSettings = Pick<Project, "region" | "environment">;

/** The app settings a new project starts with, as Original's examples show them. */
export const DEFAULT_APP_SETTINGS = { region: "EU", environment: "Development" } as const;

export interface ApiKey {
  id: string;
  projectId: string;
  /** The first characters of the key, enough to recognise it; the key itself is never stored. */
  prefix: string;
  name: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export interface NewApiKey {
  id: string;
  projectId: string;
  hash: string;
  prefix: string;
  name: string | null;
  createdAt: number;
}

/** Where an endpoint's events go: `type` names a destination type, the rest is its settings. */
export interface DestinationConfig {
  type: string;
  [field: string]: unknown;
}

export interface Endpoint {
  id: string;
  projectId: string;
  /** Where messages go, in one line without credentials (an HTTPS endpoint's URL). */
  url: string;
  /** `https`, `sqs`, `amqp`: the destination's type. */
  destinationType: string;
  description: string;
  /** null: every event type. */
  eventTypes: string[] | null;
  enabled: boolean;
  disabledReason: string | null;
  /** Deliveries per second at most; null: unlimited. */
  rateLimit: number | null;
  /** Which body its messages have (see policy/webhook-format.ts). */
  format: WebhookFormat;
  /** How its messages are signed (see policy/signing.ts). */
  signing: SigningAlgorithm;
  /** ed25519: the current `whpk_` public key receivers verify with; null for hmac. */
  publicKey: string | null;
  /** Since when every attempt has failed; null while healthy. */
  failingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

/** An endpoint as stored: its signing secrets are encrypted with the master key. */
export interface StoredEndpoint extends Endpoint {
  /** The destination's settings as JSON, sealed (they hold credentials); null for https. */
  destinationEnc: string | null;
  secretEnc: string;
  previousSecretEnc: string | null;
  previousSecretExpiresAt: number | null;
}

/** An endpoint's next signing secret, sealed, with the algorithm and public key it brings. */
export interface SecretRotation {
  secretEnc: string;
  signing: SigningAlgorithm;
  publicKey: string | null;
}

export interface EndpointPatch {
  url?: string;
  destinationType?: string;
  destinationEnc?: string | null;
  description?: string;
  eventTypes?: string[] | null;
  enabled?: boolean;
  disabledReason?: string | null;
  rateLimit?: number | null;
  format?: WebhookFormat;
}

export interface EventRecord {
  id: string;
  projectId: string;
  type: string;
  actionId: string | null;
  /** The exact JSON body every destination receives. */
  payload: string;
  createdAt: number;
  /** The W3C traceparent of what published it (a traced request, a chain job), if any. */
  traceParent?: string | null;
}

export interface Delivery {
  id: string;
  eventId: string;
  endpointId: string;
  projectId: string;
  eventType: string;
  status: DeliveryStatus;
  /** Attempts made so far; the next attempt carries `x-webhook-attempt: attempts + 1`. */
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  createdAt: number;
  updatedAt: number;
  completedAt: number | null;
}

export interface Attempt {
  id: number;
  deliveryId: string;
  number: number;
  startedAt: number;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  outcome: "succeeded" | "failed";
}

export type NewAttempt = Omit<Attempt, "id">;

export interface Action {
  id: string;
  projectId: string;
  action: string;
  status: ActionStatus;
  data: unknown;
  resource: string | null;
  startedAt: number;
  completedAt: number | null;
}

export interface Idempotency {
  key: string;
  /** Hash of the request that first used the key: the same key with another request is a conflict. */
  requestHash: string;
  /** A secret of the first response (a new API key) sealed with the master key, for the replay. */
  sealedResponse?: string;
}

export type IdempotentResult<T> =
  { kind: "created"; value: T } | { kind: "replayed"; value: T } | { kind: "conflict" };

export interface NewEvent extends EventRecord {
  /** Deliver only to this endpoint (test events), whatever its subscriptions. */
  onlyEndpointId?: string;
  /** Never deliver to this endpoint (operational events about it). */
  excludeEndpointId?: string;
}

export interface PublishedEvent {
  event: EventRecord;
  deliveries: number;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}

export interface EventFilter {
  type?: string;
  since?: number;
  until?: number;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  type?: string;
  since?: number;
}

/** What the dispatcher needs to make one attempt, read in the same query that leased it. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  projectId: string;
  eventType: string;
  payload: string;
  /** The number of this attempt (1-based). */
  attempt: number;
  /** How many scheduled retries have been used since the last (re)send. */
  scheduleIndex: number;
  /** The event's traceparent: the attempt's span is its child. */
  traceParent?: string | null;
  endpoint: {
    id: string;
    url: string;
    destinationType: string;
    destinationEnc: string | null;
    secretEnc: string;
    previousSecretEnc: string | null;
    previousSecretExpiresAt: number | null;
    failingSince: number | null;
    /** Until when the endpoint is left alone (see policy/admission.ts); null: not quiet. */
    quietUntil: number | null;
    rateLimit: number | null;
    format: WebhookFormat;
  };
}

export type EndpointEffect =
  /** Ends a failing streak and a quiet time; the endpoint's parked deliveries come due. */
  | { kind: "healthy" }
  /** `quietUntil`: new deliveries are born parked until then (policy/admission.ts). */
  | { kind: "failing"; since: number; quietUntil?: number }
  /** `event` (endpoint.disabled) is published only if the endpoint was still enabled. */
  | { kind: "disable"; reason: string; event: NewEvent };

/** Everything one finished attempt changes, applied by the store in one transaction with others. */
export interface DeliveryOutcome {
  deliveryId: string;
  leaseOwner: string;
  attempt: NewAttempt;
  status: "succeeded" | "pending" | "failed";
  nextAttemptAt: number | null;
  scheduleIndex: number;
  endpointId: string;
  endpointEffect: EndpointEffect;
  /** Events this outcome causes (`delivery.exhausted`), published with it. */
  publish: NewEvent[];
}

/** An endpoint's attempts in one time bucket (see Store.endpointAttemptStats). */
export interface AttemptBucket {
  /** 0 for the bucket starting at `from`, 1 for the next, ... */
  bucket: number;
  succeeded: number;
  failed: number;
  /** Sum and maximum of the attempts' durations. */
  totalMs: number;
  maxMs: number;
}

export interface ClaimRequest {
  owner: string;
  now: number;
  limit: number;
  leaseMs: number;
  excludeEndpointIds: string[];
}

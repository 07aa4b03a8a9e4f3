import type {
  Action,
  ActionStatus,
  ApiKey,
  Attempt,
  AttemptBucket,
  Delivery,
  DeliveryStatus,
  EventRecord,
  OriginalAsset,
  OriginalKey,
  OriginalOperation,
  OriginalReward,
  OriginalUser,
  RewardOperation,
  OriginalUserField,
  Project,
  StoredEndpoint,
} from "../core/interfaces.js";
import type {
  ChainJob,
  ChainJobSpec,
  ChainJobStatus,
  Collection,
  Nft,
  RecordedLog,
  Wallet,
} from "../core/chain/chain-types.js";
import type { FanOutEndpoint } from "../core/policy/event-filter.js";
import {
  DEFAULT_WEBHOOK_FORMAT,
  isWebhookFormat,
  type WebhookFormat,
} from "../core/policy/webhook-format.js";

// Column names are snake_case in SQL and camelCase in Herald: these map one to the other.
// Both stores map rows with these. `pg` returns bigint (int8) columns as strings, so every
// time and count is converted explicitly (the driver's global type parsers are left alone);
// SQLite's booleans are 0 and 1.

type Row = Record<string, unknown>;

export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null ? null : Number(v));
/** An endpoint's stored format (the column's default before it was ever set). */
export const webhookFormat = (v: unknown): WebhookFormat =>
  isWebhookFormat(v) ? v : DEFAULT_WEBHOOK_FORMAT;
export const strOrNull = (v: unknown): string | null => (v === null ? null : (v as string));

export function toProject(r: Row): Project {
  return {
    id: r.id as string,
    name: r.name as string,
    createdAt: num(r.created_at),
    region: r.region as string,
    environment: r.environment as string,
  };
}

export function toOriginalKey(r: Row): OriginalKey {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    prefix: r.prefix as string,
    secretEnc: r.secret_enc as string,
    createdAt: num(r.created_at),
    revokedAt: numOrNull(r.revoked_at),
  };
}

/** The column of each identifier of an Original user. */
export const ORIGINAL_USER_COLUMNS: Record<OriginalUserField, string> = {
  email: "email",
  userExternalId: "user_external_id",
};

export function toOriginalUser(r: Row): OriginalUser {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    email: strOrNull(r.email),
    userExternalId: strOrNull(r.user_external_id),
    createdAt: num(r.created_at),
  };
}

export function toOriginalAsset(r: Row): OriginalAsset {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    collectionId: r.collection_id as string,
    userUid: r.user_uid as string,
    assetExternalId: strOrNull(r.asset_external_id),
    name: r.name as string,
    uniqueName: r.unique_name === true || r.unique_name === 1,
    salePriceInUsd: numOrNull(r.sale_price_in_usd),
    createdAt: num(r.created_at),
  };
}

export function toOriginalOperation(r: Row): OriginalOperation {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    kind: r.kind as OriginalOperation["kind"],
    assetUid: r.asset_uid as string,
    fromUserUid: strOrNull(r.from_user_uid),
    toAddress: strOrNull(r.to_address),
    actionId: r.action_id as string,
    createdAt: num(r.created_at),
  };
}

export function toOriginalReward(r: Row): OriginalReward {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    chain: r.chain as string,
    name: r.name as string,
    tokenName: r.token_name as string,
    tokenSymbol: r.token_symbol as string,
    description: r.description as string,
    withdrawReceiver: r.withdraw_receiver as string,
    initialSupply: r.initial_supply as string,
    status: r.status as OriginalReward["status"],
    contractAddress: strOrNull(r.contract_address),
    actionId: r.action_id as string,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/** A reward operation row joined with its action's `status` (selected as `action_status`). */
export function toRewardOperation(r: Row): RewardOperation {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    rewardId: r.reward_id as string,
    kind: r.kind as RewardOperation["kind"],
    userUid: strOrNull(r.user_uid),
    address: r.address as string,
    amount: strOrNull(r.amount),
    nonce: strOrNull(r.nonce),
    actionId: r.action_id as string,
    status: ((r.action_status as string | null) ?? "pending") as ActionStatus,
    createdAt: num(r.created_at),
  };
}

export function toApiKey(r: Row): ApiKey {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    prefix: r.prefix as string,
    name: strOrNull(r.name),
    createdAt: num(r.created_at),
    revokedAt: numOrNull(r.revoked_at),
  };
}

export function toEndpoint(r: Row): StoredEndpoint {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    url: r.url as string,
    destinationType: r.destination_type as string,
    destinationEnc: strOrNull(r.destination_enc),
    description: r.description as string,
    eventTypes: r.event_types === null ? null : (JSON.parse(r.event_types as string) as string[]),
    enabled: r.enabled === true || r.enabled === 1,
    disabledReason: strOrNull(r.disabled_reason),
    rateLimit: numOrNull(r.rate_limit),
    format: webhookFormat(r.format),
    signing: r.signing === "ed25519" ? "ed25519" : "hmac",
    publicKey: strOrNull(r.public_key),
    failingSince: numOrNull(r.failing_since),
    secretEnc: r.secret_enc as string,
    previousSecretEnc: strOrNull(r.previous_secret_enc),
    previousSecretExpiresAt: numOrNull(r.previous_secret_expires_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toEvent(r: Row): EventRecord {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    type: r.type as string,
    actionId: strOrNull(r.action_id),
    payload: r.payload as string,
    createdAt: num(r.created_at),
    ...traceParentOf(r),
  };
}

/** An observed log's row, joined with the event it published (`e.*`, null when none). */
export function toRecordedLog(r: Row): RecordedLog {
  return {
    txHash: r.tx_hash as string,
    position: num(r.log_position),
    blockNumber: num(r.block_number),
    event: r.id == null ? null : toEvent(r),
  };
}

/** A row's traceparent, when it has one (an untraced record has no such field). */
export function traceParentOf(r: Row): { traceParent?: string } {
  return typeof r.trace_parent === "string" ? { traceParent: r.trace_parent } : {};
}

export function toDelivery(r: Row): Delivery {
  return {
    id: r.id as string,
    eventId: r.event_id as string,
    endpointId: r.endpoint_id as string,
    projectId: r.project_id as string,
    eventType: r.event_type as string,
    status: r.status as DeliveryStatus,
    attempts: num(r.attempts),
    nextAttemptAt: r.status === "pending" ? numOrNull(r.next_attempt_at) : null,
    lastStatusCode: numOrNull(r.last_status_code),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    completedAt: numOrNull(r.completed_at),
  };
}

export function toAttempt(r: Row): Attempt {
  return {
    id: num(r.id),
    deliveryId: r.delivery_id as string,
    number: num(r.number),
    startedAt: num(r.started_at),
    durationMs: num(r.duration_ms),
    statusCode: numOrNull(r.status_code),
    responseBody: strOrNull(r.response_body),
    error: strOrNull(r.error),
    outcome: r.outcome as Attempt["outcome"],
  };
}

export function toAction(r: Row): Action {
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    action: r.action as string,
    status: r.status as ActionStatus,
    data: JSON.parse(r.data as string) as unknown,
    resource: strOrNull(r.resource),
    startedAt: num(r.started_at),
    completedAt: numOrNull(r.completed_at),
  };
}

export function pageOf<T extends { id: string | number }>(items: T[], limit: number) {
  const more = items.length > limit;
  const data = more ? items.slice(0, limit) : items;
  return { data, nextCursor: more ? String(data[data.length - 1]!.id) : null };
}

export function toChainJob(r: Row): ChainJob {
  const minedBlockNumber = numOrNull(r.mined_block_number);
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    chain: r.chain as string,
    collectionId: r.collection_id as string,
    actionId: r.action_id as string,
    // The kind, its NFT and its payload were written together from one ChainJobSpec.
    ...({
      kind: r.kind,
      nftId: (r.nft_id as string | null) ?? null,
      payload: JSON.parse(r.payload as string) as unknown,
    } as ChainJobSpec),
    status: r.status as ChainJobStatus,
    txRecord:
      r.tx_record === null ? null : (JSON.parse(r.tx_record as string, reviveBigInt) as unknown),
    minedBlock:
      minedBlockNumber === null
        ? null
        : { number: minedBlockNumber, hash: r.mined_block_hash as string },
    runAt: num(r.run_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    ...traceParentOf(r),
    ...(typeof r.max_fee_per_gas === "string" ? { maxFeePerGas: r.max_fee_per_gas } : {}),
  };
}

// Transaction records hold bigints (fees); JSON keeps them as tagged strings.
export function reviveBigInt(_key: string, value: unknown): unknown {
  return typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value;
}
export function replaceBigInt(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `${value}n` : value;
}

export function toAttemptBucket(r: Row): AttemptBucket {
  return {
    bucket: num(r.bucket),
    succeeded: num(r.succeeded),
    failed: num(r.failed),
    totalMs: num(r.total_ms),
    maxMs: num(r.max_ms),
  };
}

export function toCollection(r: Row): Collection {
  return {
    projectId: r.project_id as string,
    id: r.id as string,
    chain: r.chain as string,
    metadata: JSON.parse(r.metadata as string) as Record<string, unknown>,
    fungibility: r.fungibility as Collection["fungibility"],
    transferable: r.transferable === true || r.transferable === 1,
    custody: r.custody === true || r.custody === 1,
    supplyLimit: numOrNull(r.supply_limit),
    status: r.status as Collection["status"],
    contractAddress: strOrNull(r.contract_address),
    actionId: r.action_id as string,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toNft(r: Row): Nft {
  return {
    projectId: r.project_id as string,
    collectionId: r.collection_id as string,
    id: r.id as string,
    recipient: r.recipient as string,
    email: strOrNull(r.email),
    owner: r.owner as string,
    metadata: JSON.parse(r.metadata as string) as Record<string, unknown>,
    tokenId: strOrNull(r.token_id),
    status: r.status as Nft["status"],
    txId: strOrNull(r.tx_id),
    actionId: r.action_id as string,
    idempotencyKey: strOrNull(r.idempotency_key ?? null),
    tokenUri: strOrNull(r.token_uri ?? null),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/** The nfts table's columns an insert writes, in the order of `nftValues`. */
export const NFT_COLUMNS = [
  "project_id",
  "collection_id",
  "id",
  "recipient",
  "email",
  "owner",
  "metadata",
  "token_id",
  "status",
  "tx_id",
  "action_id",
  "idempotency_key",
  "token_uri",
  "created_at",
  "updated_at",
] as const;

/** An NFT as the values of `NFT_COLUMNS`: the reverse of `toNft`. */
export function nftValues(nft: Nft): unknown[] {
  return [
    nft.projectId,
    nft.collectionId,
    nft.id,
    nft.recipient,
    nft.email,
    nft.owner,
    JSON.stringify(nft.metadata),
    nft.tokenId,
    nft.status,
    nft.txId,
    nft.actionId,
    nft.idempotencyKey,
    nft.tokenUri,
    nft.createdAt,
    nft.updatedAt,
  ];
}

export function toWallet(r: Row): Wallet {
  return {
    projectId: r.project_id as string,
    email: r.email as string,
    chain: r.chain as string,
    address: r.address as string,
    createdAt: num(r.created_at),
  };
}

/** An endpoint row as the fan-out rule reads it (SQLite stores `enabled` as 0/1). */
export function toFanOutEndpoint(row: Row): FanOutEndpoint {
  return {
    id: row.id as string,
    projectId: row.project_id as string,
    enabled: Boolean(row.enabled),
    eventTypes: (row.event_types as string | null) ?? null,
    failingSince: numOrNull(row.failing_since ?? null),
    quietUntil: numOrNull(row.quiet_until ?? null),
  };
}

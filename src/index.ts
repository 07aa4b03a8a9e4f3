// Herald's public entry point: what a program embedding Herald, or a tool working beside it
// (the benchmark, a migration script, a receiver), may import. Everything else under src/ is
// internal and may move; `herald` on the command line is src/cli/main.ts.

// Running Herald

/** Opens the store, starts the API, the dispatcher and the chain module; `stop()` undoes it. */
export { startHerald, type RunningHerald } from "./app.js";
/** The settings from the environment and CLI flags (flags win), validated; see `SETTINGS`. */
export { loadConfig, ConfigError, SETTINGS, ROLES, type Config, type Role } from "./config.js";
/** The structured logger `startHerald` expects, with credentials redacted. */
export { createLogger } from "./logger.js";

// The store

/** The store a configuration names: PostgreSQL with a database URL, else SQLite in the data dir. */
export { openStore } from "./app.js";
/** Everything Herald keeps, as one port; both stores below implement it. */
export type { Store } from "./core/ports/store.js";
/** The server store: PostgreSQL, shared by every Herald process of a deployment. */
export { PostgresStore, type PostgresStoreOptions } from "./store/postgres/postgres-store.js";
/** The embedded store: SQLite (WAL) in the data dir, one process. */
export { SqliteStore } from "./store/sqlite/sqlite-store.js";
/** The records the store reads and writes. Times are Unix epoch milliseconds. */
export type {
  Action,
  ActionStatus,
  ApiKey,
  Attempt,
  ClaimRequest,
  ClaimedDelivery,
  Delivery,
  DeliveryOutcome,
  DeliveryStatus,
  Endpoint,
  EndpointEffect,
  EventRecord,
  NewApiKey,
  NewEvent,
  Page,
  PageRequest,
  Project,
  PublishedEvent,
  StoredEndpoint,
} from "./core/interfaces.js";
/** A new project's app settings (Original's `region`, `environment`). */
export { DEFAULT_APP_SETTINGS } from "./core/interfaces.js";
/** The cut-off times of one retention pass (`Store.pruneExpired`) keeping `retentionMs`. */
export { pruneCutoffs, type PruneCutoffs } from "./core/runtime/retention.js";
/** A new time-ordered id (UUIDv7), as Herald gives events, deliveries and projects. */
export { newId } from "./core/runtime/ids.js";

// Webhooks on the wire

/** Standard Webhooks signing: `whsec_` secrets, `v1,<base64 HMAC-SHA256>` signatures. */
export {
  generateSecret,
  isValidSecret,
  secretKeyBytes,
  signPayload,
  signatureHeader,
} from "./core/policy/signing.js";
/** The JSON body every destination receives: Crossmint's payload plus the event `id`. */
export { buildEnvelope, type EnvelopeFields } from "./core/policy/envelope.js";
/** The headers every delivered message carries (Standard Webhooks, Svix, Herald's own). */
export { webhookHeaders, type SignedParts } from "./core/policy/webhook-headers.js";
/** Seconds before each retry (`HERALD_RETRY_SCHEDULE`), and the jitter applied to each wait. */
export {
  DEFAULT_RETRY_SCHEDULE,
  JITTER as RETRY_JITTER,
  parseRetrySchedule,
  scheduledDelayMs,
} from "./core/policy/retry-policy.js";

// Destinations: how one signed message is carried by each transport

/** One signed message as Herald hands it to a destination. */
export type { OutboundMessage } from "./destinations/destination.js";
/** The AMQP properties and headers of a published message (its content is the HTTPS body). */
export {
  publishOptions as amqpPublishOptions,
  type AmqpPublishOptions,
} from "./destinations/amqp/policy.js";
/** The SQS message of an outbound message, its `SendMessageBatch` entry, and a batch's size. */
export {
  sendMessageInput as sqsSendMessageInput,
  batchEntry as sqsBatchEntry,
  BATCH_MAX_ENTRIES as SQS_BATCH_MAX_ENTRIES,
  type SqsSettings,
} from "./destinations/sqs/policy.js";

// The embedded EVM chain

/** The `local` chain: Hardhat's EDR in this process, behind a viem transport. */
export {
  createEmbeddedChain,
  type EmbeddedChain,
  type EmbeddedChainOptions,
} from "./chain/evm/embedded/embedded-chain.js";
/** The HeraldCollection ERC-721 contract (ABI and bytecode), read on first use. */
export { collectionArtifact } from "./chain/evm/artifacts.js";
/** The embedded Solana runtime's own NFT mint rate (the benchmark's reference for Solana). */
export { measureBareSolanaMints } from "./chain/solana/bare-mints.js";

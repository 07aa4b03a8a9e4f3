export {
  generateKeyPair,
  generateSecret,
  parsePublicKey,
  parseSecretKey,
  publicKeyOf,
  signHeaders,
  signV1,
  signV1a,
  type RawBody,
  type Timestamp,
} from "./keys.js";
export {
  verifyWebhook,
  WebhookVerificationError,
  WebhookVerifier,
  type HeaderSource,
  type VerificationReason,
  type VerifiedRequest,
  type VerifierOptions,
} from "./verify.js";
export {
  createReceiver,
  WebhookReceiver,
  type ReceivedWebhook,
  type ReceiverOptions,
  type ReceiverResponse,
  type WebhookHandler,
} from "./receiver.js";
export type { ClaimResult, DedupStore } from "./stores/types.js";
export { MemoryStore, type MemoryStoreOptions } from "./stores/memory.js";
export { SqliteStore, type SqliteDatabase, type SqliteStoreOptions } from "./stores/sqlite.js";
export { PostgresStore, type PgQueryable, type PostgresStoreOptions } from "./stores/postgres.js";
export { RedisStore, type RedisLike, type RedisStoreOptions } from "./stores/redis.js";
export { nodeHandler, readRawBody } from "./adapters/node.js";
export { expressWebhooks, type ExpressRequestLike } from "./adapters/express.js";
export {
  fastifyRouteHandler,
  fastifyWebhooks,
  type FastifyInstanceLike,
  type FastifyReplyLike,
  type FastifyRequestLike,
  type FastifyWebhooksOptions,
} from "./adapters/fastify.js";
export { fetchHandler } from "./adapters/fetch.js";

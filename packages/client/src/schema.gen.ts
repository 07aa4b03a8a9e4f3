// Generated from docs/openapi.json by `npm run openapi` (scripts/openapi.mjs): do not edit.
// index.ts re-exports them with the client (@herald/client).

export interface paths {
  "/api/2022-06-09/admin/chains/{chain}/signers/{address}/cancel": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Cancel a stuck nonce of a chain's signer
     * @description Sends a zero-value transfer from the signer to itself at `nonce`, offering more than what waits there (and the fee ceiling does not apply). What it replaces is never mined: that job's action fails (`nonce used by another transaction`). Only on the process that runs the chain; only a nonce with a transaction of Herald's pending.
     */
    post: operations["cancelNonce"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/admin/projects": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List projects */
    get: operations["listProjects"];
    put?: never;
    /**
     * Create a project and its first API key
     * @description An `Idempotency-Key` header replays the first answer, key included.
     */
    post: operations["createProject"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/admin/projects/{projectId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change a project's app settings (Original's region and environment) */
    patch: operations["changeProject"];
    trace?: never;
  };
  "/api/2022-06-09/admin/projects/{projectId}/keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a project's API keys (prefixes only) */
    get: operations["listApiKeys"];
    put?: never;
    /** Create an API key (shown once) */
    post: operations["createApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/admin/projects/{projectId}/keys/{keyId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key */
    delete: operations["revokeApiKey"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/admin/projects/{projectId}/original-keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a project's Original key pairs (prefixes only) */
    get: operations["listOriginalKeys"];
    put?: never;
    /** Create an Original key pair (the secret shown once) */
    post: operations["createOriginalKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/admin/projects/{projectId}/original-keys/{keyId}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an Original key pair (every process within 30 s) */
    delete: operations["revokeOriginalKey"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/webhooks/endpoints": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List endpoints */
    get: operations["listEndpoints"];
    put?: never;
    /**
     * Create an endpoint
     * @description An `Idempotency-Key` header replays the first answer.
     */
    post: operations["createEndpoint"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/webhooks/endpoints/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read an endpoint */
    get: operations["getEndpoint"];
    put?: never;
    post?: never;
    /** Delete an endpoint and its deliveries */
    delete: operations["deleteEndpoint"];
    options?: never;
    head?: never;
    /** Change an endpoint; `enabled` is the activity switch */
    patch: operations["updateEndpoint"];
    trace?: never;
  };
  "/api/2022-06-09/webhooks/endpoints/{id}/secret": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Reveal the signing secret */
    get: operations["getEndpointSecret"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/webhooks/endpoints/{id}/secret/rotate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Rotate the signing secret; the old one keeps signing for a grace period
     * @description An ed25519 endpoint gets a new key pair (its new `publicKey` is in the answer and on the endpoint). `signing` changes the algorithm: during the grace period messages carry both a `v1,` and a `v1a,` signature.
     */
    post: operations["rotateEndpointSecret"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/webhooks/endpoints/{id}/test": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send the catalog's example of an event type to this endpoint */
    post: operations["sendTestEvent"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/webhooks/endpoints/{id}/resend-failed": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resend every failed delivery created since a time */
    post: operations["resendFailedDeliveries"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/webhooks/endpoints/{id}/stats": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Attempts, success rate and latency over the last hour or day, per time bucket */
    get: operations["getEndpointStats"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/webhooks/endpoints/{id}/deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Deliveries to this endpoint, newest first */
    get: operations["listEndpointDeliveries"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/events": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The project's events, newest first */
    get: operations["listEvents"];
    put?: never;
    /**
     * Publish an event to every subscribed endpoint
     * @description An `Idempotency-Key` header makes retries safe: same key, same event.
     */
    post: operations["publishEvent"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/events/batch": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Publish up to 500 events in one transaction: all or none */
    post: operations["publishEventBatch"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/events/stream": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The project's events as server-sent events, oldest first (read-only)
     * @description What `herald listen` reads. Starts now, at `since`, or after the event `Last-Event-ID` / `after` names; filters by `types`. Reading makes no delivery. A resumed stream may repeat events of the 10 s before its cursor that it cannot know were seen: skip ids already handled.
     */
    get: operations["streamEvents"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/events/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An event, its deliveries and every attempt */
    get: operations["getEvent"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/events/{id}/resend": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Deliver again, with the same event id
     * @description To every endpoint it went to, or to `endpointId` only.
     */
    post: operations["resendEvent"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/deliveries/{id}/attempts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every attempt of one delivery */
    get: operations["listDeliveryAttempts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/actions": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Open a pending action (external producers) */
    post: operations["openAction"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/actions/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Action status (Crossmint's action object) */
    get: operations["getAction"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Complete an action; publishes <action>.<status> */
    patch: operations["completeAction"];
    trace?: never;
  };
  "/api/2022-06-09/webhooks/event-types": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The built-in event types with example payloads */
    get: operations["listEventTypes"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/chains": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The configured chains: head, signers, balances, nonces and pending jobs */
    get: operations["listChains"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/collections": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List collections */
    get: operations["listCollections"];
    put?: never;
    /** Create a collection (deploys its contract) */
    post: operations["createCollection"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/collections/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a collection */
    get: operations["getCollection"];
    /** Create a collection with a chosen id; repeating it creates nothing */
    put: operations["createCollectionWithId"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Change the supply limit (a transaction) or the metadata */
    patch: operations["updateCollection"];
    trace?: never;
  };
  "/api/2022-06-09/collections/{collectionId}/nfts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a collection's NFTs */
    get: operations["listNfts"];
    put?: never;
    /** Mint an NFT, or a batch of them (`{nfts: [...]}`, up to 125) */
    post: operations["mintNft"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/collections/{collectionId}/nfts/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read an NFT */
    get: operations["getNft"];
    /** Mint with a chosen id; repeating it never mints twice */
    put: operations["mintNftWithId"];
    post?: never;
    /** Burn an NFT */
    delete: operations["burnNft"];
    options?: never;
    head?: never;
    /** Replace an NFT's metadata */
    patch: operations["updateNft"];
    trace?: never;
  };
  "/api/2022-06-09/wallets/{identifier}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A custodial wallet and its owner (where wallets.create.succeeded points) */
    get: operations["getWallet"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/wallets/{identifier}/nfts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The NFTs Herald minted (or saw move) that a wallet holds now, newest first */
    get: operations["listWalletNfts"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/original/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The project's Original users, each with its wallet */
    get: operations["listOriginalUsers"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/original/assets": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The project's Original assets, each with its NFT's state */
    get: operations["listOriginalAssets"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/original/rewards": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The project's Original rewards (rewards contracts) */
    get: operations["listOriginalRewards"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/2022-06-09/original/rewards/{uid}/operations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A reward's latest allocations, claims or withdraws (at most 1,000), newest first */
    get: operations["listOriginalRewardOperations"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/api/v1-alpha1/wallets": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An owner's wallets, one per chain (`?email=` or `?userId=`) */
    get: operations["listOwnerWallets"];
    put?: never;
    /** Create the custodial wallet of an email or a user id on a chain */
    post: operations["createWallet"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/user": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An app user by email or user_external_id (data: null when none) */
    get: operations["originalFindUser"];
    put?: never;
    /** Create an app user (its wallet is created at once: wallet.created) */
    post: operations["originalCreateUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/user/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An app user by uid */
    get: operations["originalGetUser"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/collection/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A collection (Herald's collections are Original's) */
    get: operations["originalGetCollection"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/deposit": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where a user receives assets: its wallet on the collection's chain */
    get: operations["originalDeposit"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/asset": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The assets a user's wallets hold ([] for none) */
    get: operations["originalListAssets"];
    put?: never;
    /** Create an asset for a user: minted to its wallet (asset.minted) */
    post: operations["originalCreateAsset"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/asset/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An asset */
    get: operations["originalGetAsset"];
    /** Replace an asset's metadata (asset.edited) */
    put: operations["originalEditAsset"];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/burn": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's burns, newest first */
    get: operations["originalListBurns"];
    put?: never;
    /** Burn a user's asset (asset.burned) */
    post: operations["originalBurn"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/transfer": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's transfers, newest first */
    get: operations["originalListTransfers"];
    put?: never;
    /** Transfer a user's asset to an address (asset.transferred) */
    post: operations["originalTransfer"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/burn/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A burn */
    get: operations["originalGetBurn"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/transfer/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A transfer */
    get: operations["originalGetTransfer"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Herald's extension: deploy a rewards contract (what Original's console does) */
    post: operations["originalCreateReward"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A reward */
    get: operations["originalGetReward"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/allocate": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's allocations (?user_uid=) or a reward's (?reward_uid=), newest first */
    get: operations["originalListAllocations"];
    put?: never;
    /** Allocate tokens of a reward to a user (reward.allocated); a nonce allocates once */
    post: operations["originalAllocate"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/allocation": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's allocations (?user_uid=) or a reward's (?reward_uid=), newest first */
    get: operations["originalListAllocationsAlias"];
    put?: never;
    /** Allocate tokens of a reward to a user (reward.allocated); a nonce allocates once */
    post: operations["originalAllocateAlias"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/allocate/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A allocation */
    get: operations["originalGetAllocation"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/allocation/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A allocation */
    get: operations["originalGetAllocationAlias"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/claim/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A claim */
    get: operations["originalGetClaim"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/claim": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's claims (?user_uid=) or a reward's (?reward_uid=), newest first */
    get: operations["originalListClaims"];
    put?: never;
    /** Send a user's reward tokens to its address (reward.claimed) */
    post: operations["originalClaim"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/withdraw/{uid}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A withdraw */
    get: operations["originalGetWithdraw"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/withdraw": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A user's withdraws (?user_uid=) or a reward's (?reward_uid=), newest first */
    get: operations["originalListWithdraws"];
    put?: never;
    /** Herald's extension: close a reward, its pool to its receiver (reward.withdrawn) */
    post: operations["originalWithdraw"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/original/v1/reward/balance": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What a user holds of a reward */
    get: operations["originalRewardBalance"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/metadata/{projectId}/{collectionId}/{id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Token metadata (public) */
    get: operations["getTokenMetadata"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description Every failure */
    Error: {
      /** @enum {boolean} */
      error: true;
      /** @description Fit to show as is */
      message: string;
      /** @description A batch's invalid items, all of them (Crossmint's BatchError) */
      validationErrors?: {
        /** @description The item of the batch */
        index: number;
        /** @description The item's id, if it has one */
        id?: string;
        message: string;
      }[];
    };
    /** @description Where events go: https, sqs, amqp */
    DestinationInput:
      | {
          /** @enum {string} */
          type: "https";
          /** @description https:// URL that receives a POST per event */
          url: string;
        }
      | {
          /**
           * @description Deliver to an Amazon SQS queue.
           * @enum {string}
           */
          type: "sqs";
          /** @description The queue's URL, e.g. https://sqs.us-east-1.amazonaws.com/123456789012/orders. A queue whose name ends in .fifo is a FIFO queue: Herald sets the deduplication id to the event id. */
          queueUrl: string;
          /** @description The queue's AWS region, e.g. us-east-1. */
          region: string;
          /** @description Access key id of an IAM identity allowed sqs:SendMessage on the queue. Shown masked. */
          accessKeyId: string;
          /** @description The secret access key for accessKeyId. Write-only: never shown again. */
          secretAccessKey: string;
          /** @description An SQS-compatible endpoint to call instead of AWS, e.g. http://localhost:4566 for LocalStack. Subject to the private-network guard (HERALD_ALLOW_PRIVATE_NETWORKS). */
          endpoint?: string;
          /** @description FIFO queues only: what the message group id is, i.e. what is kept in order. endpoint (the default): all of this endpoint's messages; collection: per NFT collection (events without one group by endpoint); eventType: per event type. */
          messageGroup?: "endpoint" | "collection" | "eventType";
        }
      | {
          /**
           * @description An AMQP 0-9-1 broker such as RabbitMQ
           * @enum {string}
           */
          type: "amqp";
          /**
           * @description The broker: amqp:// or amqps:// (TLS), optional user:password, port and vhost, e.g. amqps://herald:secret@mq.example.com:5671/production. The password is never shown again.
           * @example amqps://herald:secret@mq.example.com:5671/production
           */
          url: string;
          /**
           * @description The exchange messages are published to (it must exist). Empty for the default exchange, which delivers to the queue named by routingKey.
           * @example herald.webhooks
           */
          exchange: string;
          /** @description The routing key of every message (at most 255 bytes); by default the event type, e.g. nfts.create.succeeded, so a topic exchange can route by it. */
          routingKey?: string;
        };
    /** @description A new endpoint: `url` for HTTPS, or `destination` for any type */
    EndpointInput: {
      url?: string;
      destination?: components["schemas"]["DestinationInput"];
      /** @description Event types (or `prefix.*` patterns) the endpoint receives; omit or null for all */
      eventTypes?: string[] | null;
      description?: string;
      enabled?: boolean;
      /** @description Deliveries per second at most; null for no limit */
      rateLimit?: number | null;
      /** @description The body messages have: `auto` (default) delivers Original's events (asset.*, reward.*, wallet.created) in Original's body and every other event in Crossmint's envelope; `crossmint` or `original` uses that one body for every event */
      format?: "auto" | "crossmint" | "original";
      /** @description How messages are signed (Standard Webhooks): `hmac` (default), `v1,` HMAC-SHA256 signatures with a `whsec_` secret; `ed25519`, `v1a,` signatures with a `whsk_` secret key that receivers verify with its `whpk_` public key */
      signing?: "hmac" | "ed25519";
      /** @description To bring your own: `whsec_…` for hmac, `whsk_…` (base64 of the 64-byte secret key: seed, then public key) for ed25519; generated if omitted */
      secret?: string;
    };
    /** @description The fields to change; the others stay as they are */
    EndpointChange: {
      url?: string;
      destination?: components["schemas"]["DestinationInput"];
      /** @description Event types (or `prefix.*` patterns) the endpoint receives; omit or null for all */
      eventTypes?: string[] | null;
      description?: string;
      enabled?: boolean;
      /** @description Deliveries per second at most; null for no limit */
      rateLimit?: number | null;
      /** @description The body messages have: `auto` (default) delivers Original's events (asset.*, reward.*, wallet.created) in Original's body and every other event in Crossmint's envelope; `crossmint` or `original` uses that one body for every event */
      format?: "auto" | "crossmint" | "original";
    };
    Endpoint: {
      id: string;
      /** @description Where events go, in one line without credentials (for HTTPS: the URL) */
      url: string;
      /** @description The destination's settings; credentials are masked, never returned */
      destination: {
        /** @description https, sqs or amqp */
        type: string;
      } & {
        [key: string]: unknown;
      };
      description: string;
      eventTypes: string[] | null;
      /** @description The activity switch: a disabled endpoint gets nothing new */
      enabled: boolean;
      disabledReason: string | null;
      rateLimit: number | null;
      /** @description The body messages have: `auto` (default) delivers Original's events (asset.*, reward.*, wallet.created) in Original's body and every other event in Crossmint's envelope; `crossmint` or `original` uses that one body for every event */
      format: "auto" | "crossmint" | "original";
      /** @description How messages are signed (Standard Webhooks): `hmac` (default), `v1,` HMAC-SHA256 signatures with a `whsec_` secret; `ed25519`, `v1a,` signatures with a `whsk_` secret key that receivers verify with its `whpk_` public key */
      signing: "hmac" | "ed25519";
      /** @description ed25519 endpoints: the current `whpk_` public key that verifies their `v1a,` signatures */
      publicKey?: string;
      /** Format: date-time */
      failingSince: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    EndpointPage: {
      data: components["schemas"]["Endpoint"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    EndpointWithSecret: {
      id: string;
      /** @description Where events go, in one line without credentials (for HTTPS: the URL) */
      url: string;
      /** @description The destination's settings; credentials are masked, never returned */
      destination: {
        /** @description https, sqs or amqp */
        type: string;
      } & {
        [key: string]: unknown;
      };
      description: string;
      eventTypes: string[] | null;
      /** @description The activity switch: a disabled endpoint gets nothing new */
      enabled: boolean;
      disabledReason: string | null;
      rateLimit: number | null;
      /** @description The body messages have: `auto` (default) delivers Original's events (asset.*, reward.*, wallet.created) in Original's body and every other event in Crossmint's envelope; `crossmint` or `original` uses that one body for every event */
      format: "auto" | "crossmint" | "original";
      /** @description How messages are signed (Standard Webhooks): `hmac` (default), `v1,` HMAC-SHA256 signatures with a `whsec_` secret; `ed25519`, `v1a,` signatures with a `whsk_` secret key that receivers verify with its `whpk_` public key */
      signing: "hmac" | "ed25519";
      /** @description ed25519 endpoints: the current `whpk_` public key that verifies their `v1a,` signatures */
      publicKey?: string;
      /** Format: date-time */
      failingSince: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      secret: string;
    };
    Secret: {
      /** @description `whsec_…` (hmac) or `whsk_…` (ed25519) */
      secret: string;
      /** @description ed25519: the `whpk_` public key of this secret key */
      publicKey?: string;
    };
    TestEventSent: {
      eventId: string;
      type: string;
    };
    StatsWindow: "1h" | "24h";
    EndpointStats: {
      window: components["schemas"]["StatsWindow"];
      bucketSeconds: number;
      buckets: {
        /** Format: date-time */
        start: string;
        succeeded: number;
        failed: number;
        avgMs: number | null;
        maxMs: number | null;
      }[];
      totals: {
        succeeded: number;
        failed: number;
        /** @description succeeded / attempts, 0 to 1 */
        successRate: number | null;
        avgMs: number | null;
      };
    };
    DeliveryStatus: "pending" | "succeeded" | "failed" | "paused";
    Attempt: {
      id: number;
      /** @description 1, 2, … for this delivery */
      number: number;
      /** Format: date-time */
      startedAt: string;
      durationMs: number;
      statusCode: number | null;
      responseBody: string | null;
      error: string | null;
      outcome: "succeeded" | "failed";
    };
    Delivery: {
      id: string;
      eventId: string;
      endpointId: string;
      eventType: string;
      status: components["schemas"]["DeliveryStatus"];
      attemptCount: number;
      /** Format: date-time */
      nextAttemptAt: string | null;
      lastStatusCode: number | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** Format: date-time */
      completedAt: string | null;
    };
    DeliveryPage: {
      data: components["schemas"]["Delivery"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    DeliveryWithAttempts: {
      id: string;
      eventId: string;
      endpointId: string;
      eventType: string;
      status: components["schemas"]["DeliveryStatus"];
      attemptCount: number;
      /** Format: date-time */
      nextAttemptAt: string | null;
      lastStatusCode: number | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      /** Format: date-time */
      completedAt: string | null;
      attempts: components["schemas"]["Attempt"][];
    };
    AttemptList: {
      data: components["schemas"]["Attempt"][];
    };
    Event: {
      id: string;
      type: string;
      actionId: string | null;
      /** Format: date-time */
      createdAt: string;
      /** @description The exact body every destination receives */
      payload: unknown;
    };
    EventPage: {
      data: components["schemas"]["Event"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    EventDetail: {
      id: string;
      type: string;
      actionId: string | null;
      /** Format: date-time */
      createdAt: string;
      /** @description The exact body every destination receives */
      payload: unknown;
      deliveries: components["schemas"]["DeliveryWithAttempts"][];
    };
    PublishedEvent: {
      id: string;
      type: string;
      actionId: string | null;
      /** Format: date-time */
      createdAt: string;
      /** @description Destinations the event fans out to */
      deliveries: number;
    };
    PublishedBatch: {
      data: {
        id: string;
        type: string;
        actionId: string | null;
        /** Format: date-time */
        createdAt: string;
        /** @description Destinations the event fans out to */
        deliveries: number;
        replayed: boolean;
      }[];
    };
    Resent: {
      /** @description Deliveries queued again */
      resent: number;
    };
    EventType: {
      /** @description e.g. nfts.create.succeeded */
      name: string;
      /** @description crossmint, chain-observed or operational */
      family: string;
      description: string;
      examples: {
        label: string;
        /** @description The webhook body, as a receiver gets it */
        body: unknown;
      }[];
    };
    EventTypeList: {
      data: components["schemas"]["EventType"][];
    };
    ActionStatus: "pending" | "succeeded" | "failed";
    /** @description An asynchronous operation, from submission to completion */
    Action: {
      actionId: string;
      /** @description e.g. nfts.create */
      action: string;
      status: components["schemas"]["ActionStatus"];
      data: unknown;
      /** Format: date-time */
      startedAt: string;
      /** Format: date-time */
      completedAt?: string;
      resource: string;
    };
    CollectionInput: {
      chain: string;
      /** @description {name, symbol?, description?, imageUrl?} */
      metadata: {
        [key: string]: unknown;
      };
      fungibility?: "non-fungible" | "semi-fungible";
      transferable?: boolean;
      /** @description The most tokens the collection may hold: a whole number from 0 (no limit) to 9007199254740991 */
      supplyLimit?: number;
      /** @description Accepted and ignored */
      payments?: unknown;
      /** @description Accepted and ignored */
      subscription?: unknown;
      /** @description Accepted and ignored */
      reuploadLinkedFiles?: boolean;
    };
    Collection: {
      id: string;
      metadata: {
        [key: string]: unknown;
      };
      fungibility: "non-fungible" | "semi-fungible";
      onChain: {
        chain: string;
        /** @description erc-721; token-2022 on Solana */
        type: string;
        /** @description Once deployed (EVM) */
        contractAddress?: string;
        /** @description Once deployed (Solana): the collection's group mint */
        mintAddress?: string;
      };
      /** @description 0: no limit */
      supplyLimit: number;
      status: "pending" | "deployed" | "failed";
      /** @description The deployment's action */
      actionId: string;
    };
    CollectionList: {
      results: components["schemas"]["Collection"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    NftInput: {
      /** @description <chain>:<address>, email:<email>:<chain> or userId:<userId>:<chain> */
      recipient: string;
      /** @description {name, image?, description?, animation_url?, attributes?, ...}; or the URL of metadata already published (the token URI is then that URL); or {uri, name?} */
      metadata: unknown;
      /** @description Accepted and ignored */
      sendNotification?: boolean;
      /** @description Accepted and ignored */
      locale?: string;
      /** @description Accepted and ignored */
      reuploadLinkedFiles?: boolean;
      /** @description Solana's compressed NFTs: accepted and ignored */
      compressed?: boolean;
    };
    BatchMintInput: {
      nfts: {
        /** @description <chain>:<address>, email:<email>:<chain> or userId:<userId>:<chain> */
        recipient: string;
        /** @description {name, image?, description?, animation_url?, attributes?, ...}; or the URL of metadata already published (the token URI is then that URL); or {uri, name?} */
        metadata: unknown;
        /** @description Its idempotency key */
        id?: string;
        /** @description Accepted and ignored */
        sendNotification?: boolean;
        /** @description Accepted and ignored */
        locale?: string;
        /** @description Accepted and ignored */
        reuploadLinkedFiles?: boolean;
        /** @description Solana's compressed NFTs: accepted and ignored */
        compressed?: boolean;
      }[];
    };
    MintResult: {
      id: string;
      onChain: {
        status: string;
        chain: string;
        contractAddress?: string;
        /** @description Solana: the collection's mint */
        mintAddress?: string;
      };
      actionId: string;
    };
    BatchMintResult: {
      results: components["schemas"]["MintResult"][];
    };
    Nft: {
      id: string;
      metadata: {
        [key: string]: unknown;
      };
      onChain: {
        status: "pending" | "success" | "failed" | "burned";
        chain: string;
        contractAddress?: string;
        /** @description Once minted */
        tokenId?: string;
        /** @description Solana: the collection's mint */
        mintAddress?: string;
        /** @description Solana, once minted: the NFT's mint */
        mintHash?: string;
        /** @description The address the token is (to be) minted to */
        owner: string;
        txId?: string;
      };
      /** @description The mint's action */
      actionId: string;
      /** @description The URL of the mint's action (its status) */
      action: string;
    };
    NftList: components["schemas"]["Nft"][];
    /** @description The token's metadata as minted */
    TokenMetadata: {
      [key: string]: unknown;
    };
    ChainSigner: {
      address: string;
      /** @description In the native coin, decimal text; null: not read yet */
      balance: string | null;
      /** @description The next nonce (EVM) */
      nonce: number | null;
      /** @description Transactions sent and not yet mined */
      pending: number;
      /** @description Given new work (above signerBalanceLow) */
      funded: boolean;
    };
    ChainStatus: {
      name: string;
      /** @description evm or solana */
      family: string;
      chainId: number | null;
      /** @description Runs in Herald's process (local, solana) */
      embedded: boolean;
      confirmations: number;
      finality: number;
      /** @description This process runs the chain, so head and signers are live; false: not started (no work yet) or run by another process */
      running: boolean;
      /** @description Latest block number (EVM) or block height */
      head: number | null;
      signers: components["schemas"]["ChainSigner"][];
      /** @description Each of rpcUrls, in order (URLs are not shown: they may hold keys) */
      nodes?: {
        up: boolean;
        head: number | null;
        lagging: boolean;
      }[];
      /** @description This project's unfinished chain jobs */
      jobs: {
        queued: number;
        sent: number;
        confirmed: number;
      };
    };
    ChainList: {
      data: components["schemas"]["ChainStatus"][];
    };
    /** @description Exactly one of email and userId, and a chain */
    CreateWalletInput: {
      /** @description The owner's email */
      email?: string;
      /** @description Any id the project gives its user (up to 255 characters, case kept) */
      userId?: string;
      /** @description A configured chain */
      chain: string;
    };
    Wallet: {
      chain: string;
      /** @description The wallet's address */
      publicKey: string;
    };
    WalletList: components["schemas"]["Wallet"][];
    OwnedWallet: {
      chain: string;
      /** @description The wallet's address */
      publicKey: string;
      /** @description The owner, when an email (lower-cased) */
      email?: string;
      /** @description The owner, when a user id */
      userId?: string;
    };
    WalletNft: {
      chain: string;
      /** @description EVM */
      contractAddress?: string;
      /** @description EVM */
      tokenId?: string;
      /** @description Solana: the NFT's mint */
      mintHash?: string;
      /** @description As minted or edited */
      metadata: {
        [key: string]: unknown;
      };
      /** @description <chain>:<contractAddress>:<tokenId>; Solana: solana:<mintHash> */
      locator: string;
      /**
       * @description EVM
       * @enum {string}
       */
      tokenStandard?: "erc-721";
    };
    WalletNftList: components["schemas"]["WalletNft"][];
    NonceCancelled: {
      chain: string;
      signer: string;
      nonce: number;
      /** @description The zero-value transfer to the signer itself that replaces what waited */
      txHash: string;
    };
    Project: {
      id: string;
      name: string;
      /** Format: date-time */
      createdAt: string;
      region: string;
      environment: string;
    };
    ProjectPage: {
      data: components["schemas"]["Project"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    ProjectCreated: {
      id: string;
      name: string;
      /** Format: date-time */
      createdAt: string;
      region: string;
      environment: string;
      /** @description The project's first API key, shown this once */
      apiKey: string;
      /** @description The project's Original-style key pair for /original/v1, the secret shown this once (null only when replaying a project created before key pairs existed) */
      original: {
        apiKey: string;
        apiSecret: string;
      } | null;
    };
    ApiKey: {
      id: string;
      /** @description The key's first characters, to recognise it */
      prefix: string;
      name: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      revokedAt: string | null;
    };
    ApiKeyPage: {
      data: components["schemas"]["ApiKey"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    ApiKeyCreated: {
      id: string;
      prefix: string;
      /** @description The key, shown this once */
      apiKey: string;
    };
    OriginalKeyInfo: {
      id: string;
      /** @description The key's first characters, to recognise it */
      prefix: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      revokedAt: string | null;
    };
    OriginalKeyInfoPage: {
      data: components["schemas"]["OriginalKeyInfo"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    OriginalKeyCreated: {
      id: string;
      prefix: string;
      /** @description X-Api-Key for /original/v1 */
      apiKey: string;
      /** @description Signs the access tokens (HS256); shown this once */
      apiSecret: string;
    };
    OriginalWallet: {
      address: string;
      /** @description Where the wallet is shown (Herald's wallet API) */
      explorer_url: string;
      network: string;
      chain_id: number;
    };
    OriginalUser: {
      uid: string;
      /** @description ISO 8601 in UTC, with microseconds */
      created_at: string;
      email: string | null;
      user_external_id: string | null;
      /** @description Deprecated: user_external_id */
      client_id: string | null;
      /** @description The wallet on Original's chain */
      wallet_address: string | null;
      wallets: components["schemas"]["OriginalWallet"][];
    };
    OriginalCollection: {
      uid: string;
      name: string | null;
      /** @description deploying, deployed (or failed) */
      status: string;
      type: string;
      /** @description ISO 8601 in UTC, with microseconds */
      created_at: string;
      editable_assets: boolean;
      contract_address: string | null;
      symbol: string | null;
      description: string | null;
      chain: string;
      chain_id: number;
      network: string;
      explorer_url: string;
    };
    OriginalDeposit: {
      network: string;
      chain_id: number;
      wallet_address: string | null;
      /** @description ERC-681 */
      qr_code_data: string | null;
    };
    OriginalAsset: {
      uid: string;
      /** @description `<name> #<token id>` unless created with unique_name */
      name: string;
      asset_external_id: string | null;
      /** @description Deprecated: asset_external_id */
      client_id: string | null;
      collection_uid: string;
      collection_name: string | null;
      token_id: number | null;
      /** @description ISO 8601 in UTC, with microseconds */
      created_at: string;
      is_minted: boolean;
      is_burned: boolean;
      is_transferring: boolean;
      is_transferable: boolean;
      is_editing: boolean;
      mint_for_user_uid: string;
      mint_for_address: string;
      owner_user_uid: string | null;
      owner_address: string | null;
      metadata: {
        [key: string]: unknown;
      };
      explorer_url: string;
      token_uri: string;
      sale_price_in_usd: number | null;
    };
    OriginalOperation: {
      uid: string;
      /** @description pending, done or failed */
      status: string;
      asset_uid: string;
      from_user_uid: string | null;
      /** @description Transfers only */
      to_address?: string | null;
      /** @description ISO 8601 in UTC, with microseconds */
      created_at: string;
    };
    OriginalReward: {
      uid: string;
      name: string;
      /** @description deploying, deployed (or failed) */
      status: string;
      token_type: string;
      token_name: string;
      token_symbol: string;
      /** @description ISO 8601 in UTC, with microseconds */
      created_at: string;
      contract_address: string | null;
      withdraw_receiver: string;
      description: string | null;
      chain: string;
      chain_id: number | null;
      network: string;
      explorer_url: string;
      /** @description Herald's addition: the pool at deployment */
      initial_supply: string;
      /** @description Herald's addition: closed by a withdraw */
      is_withdrawn: boolean;
    };
    OriginalAllocation: {
      uid: string;
      /** @description pending, done or failed */
      status: string;
      reward_uid: string;
      to_user_uid: string;
      amount: string;
      nonce: string;
      /** @description ISO 8601 in UTC, with microseconds */
      created_at: string;
    };
    OriginalClaim: {
      uid: string;
      /** @description pending, done or failed */
      status: string;
      reward_uid: string;
      from_user_uid: string;
      to_address: string;
      amount: string;
      /** @description ISO 8601 in UTC, with microseconds */
      created_at: string;
    };
    OriginalWithdraw: {
      uid: string;
      /** @description pending, done or failed */
      status: string;
      reward_uid: string;
      to_address: string;
      /** @description ISO 8601 in UTC, with microseconds */
      created_at: string;
    };
    OriginalUserSummary: {
      uid: string;
      email: string | null;
      userExternalId: string | null;
      /** @description Original's chain: the first configured */
      chain: string;
      walletAddress: string;
      /** Format: date-time */
      createdAt: string;
    };
    OriginalUserSummaryPage: {
      data: components["schemas"]["OriginalUserSummary"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    OriginalAssetSummary: {
      /** @description The NFT's id too */
      uid: string;
      name: string;
      collectionId: string;
      /** @description The user it was minted for */
      userUid: string;
      assetExternalId: string | null;
      /** @description The NFT's: pending, minted, failed or burned */
      status: string;
      tokenId: string | null;
      ownerAddress: string;
      /** Format: date-time */
      createdAt: string;
    };
    OriginalAssetSummaryPage: {
      data: components["schemas"]["OriginalAssetSummary"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    OriginalRewardSummary: {
      uid: string;
      name: string;
      tokenName: string;
      tokenSymbol: string;
      chain: string;
      /** @description deploying, deployed or failed */
      status: string;
      contractAddress: string | null;
      /** @description Tokens in the pool at deployment (decimal) */
      initialSupply: string;
      withdrawReceiver: string;
      /** @description A withdraw closed it (or is closing it) */
      withdrawn: boolean;
      /** Format: date-time */
      createdAt: string;
    };
    OriginalRewardSummaryPage: {
      data: components["schemas"]["OriginalRewardSummary"][];
      /** @description Pass as ?cursor= for the next page */
      nextCursor: string | null;
    };
    RewardOperationSummary: {
      uid: string;
      /** @description allocation, claim or withdraw */
      kind: string;
      /** @description pending, done or failed */
      status: string;
      userUid: string | null;
      /** @description Where the tokens go */
      address: string;
      /** @description Tokens (decimal); null for a withdraw */
      amount: string | null;
      nonce: string | null;
      actionId: string;
      /** Format: date-time */
      createdAt: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  cancelNonce: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The chain's name */
        chain: string;
        /** @description The signer's address */
        address: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description A nonce of the signer with a transaction of Herald's pending at it */
          nonce: number;
        };
      };
    };
    responses: {
      /** @description Sent */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["NonceCancelled"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listProjects: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of projects */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ProjectPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createProject: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          name: string;
          /** @description Original's `app.region` in this project's events (e.g. EU) */
          region?: string;
          /** @description Original's `app.environment` in this project's events (e.g. Development, Production) */
          environment?: string;
        };
      };
    };
    responses: {
      /** @description The project */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ProjectCreated"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  changeProject: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The id or the name */
        projectId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description Original's `app.region` in this project's events (e.g. EU) */
          region?: string;
          /** @description Original's `app.environment` in this project's events (e.g. Development, Production) */
          environment?: string;
        };
      };
    };
    responses: {
      /** @description The project */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Project"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path: {
        /** @description The id or the name */
        projectId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of keys */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKeyPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The id or the name */
        projectId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          name?: string;
        } | null;
      };
    };
    responses: {
      /** @description The key */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKeyCreated"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  revokeApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The id or the name */
        projectId: string;
        keyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listOriginalKeys: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path: {
        /** @description The id or the name */
        projectId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of key pairs */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OriginalKeyInfoPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createOriginalKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The id or the name */
        projectId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The key pair */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OriginalKeyCreated"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  revokeOriginalKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The id or the name */
        projectId: string;
        keyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin token, or not the right one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listEndpoints: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of endpoints */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EndpointPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["EndpointInput"];
      };
    };
    responses: {
      /** @description The endpoint, with its signing secret */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EndpointWithSecret"];
        };
      };
      /** @description The endpoint, with its signing secret */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EndpointWithSecret"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoint */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Endpoint"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["EndpointChange"];
      };
    };
    responses: {
      /** @description The endpoint as changed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Endpoint"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getEndpointSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The current secret */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Secret"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  rotateEndpointSecret: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description To bring your own: `whsec_…` for hmac, `whsk_…` (base64 of the 64-byte secret key: seed, then public key) for ed25519; generated if omitted */
          secret?: string;
          /** @description Sign with this algorithm from now on; the endpoint's own if omitted */
          signing?: "hmac" | "ed25519";
        } | null;
      };
    };
    responses: {
      /** @description The new secret */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Secret"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  sendTestEvent: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          eventType: string;
        };
      };
    };
    responses: {
      /** @description The test event */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TestEventSent"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  resendFailedDeliveries: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /**
           * Format: date-time
           * @description Failed deliveries created at or after this time are resent
           */
          since: string;
        };
      };
    };
    responses: {
      /** @description Queued again */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Resent"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getEndpointStats: {
    parameters: {
      query: {
        window: "1h" | "24h";
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoint's health */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EndpointStats"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listEndpointDeliveries: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
        status?: "pending" | "succeeded" | "failed" | "paused";
        type?: string;
        since?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deliveries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["DeliveryPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listEvents: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
        type?: string;
        since?: string;
        until?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of events */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EventPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  publishEvent: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          type: string;
          /** @description Any JSON value; becomes `data` in the webhook body */
          data: unknown;
          actionId?: string;
        };
      };
    };
    responses: {
      /** @description The event */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PublishedEvent"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  publishEventBatch: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          events: {
            type: string;
            data: unknown;
            actionId?: string;
            idempotencyKey?: string;
          }[];
        };
      };
    };
    responses: {
      /** @description The events, in order */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["PublishedBatch"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  streamEvents: {
    parameters: {
      query?: {
        /** @description Resume after this event id (the `Last-Event-ID` header wins over it) */
        after?: string;
        /** @description Start with the events of this time (default: now); ignored when resuming */
        since?: string;
        /** @description Comma-separated event types or patterns (`nfts.*`), at most 50; default: all */
        types?: string;
      };
      header?: {
        /** @description Resume after this event id */
        "last-event-id"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The stream; it ends only when the client or the server goes away */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "text/event-stream": string;
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getEvent: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The event */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EventDetail"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  resendEvent: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          endpointId?: string;
        } | null;
      };
    };
    responses: {
      /** @description Queued again */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Resent"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listDeliveryAttempts: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The attempts, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AttemptList"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  openAction: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description e.g. nfts.create */
          action: string;
          data?: unknown;
          /** @description URL of the thing acted on */
          resource?: string;
        };
      };
    };
    responses: {
      /** @description The pending action */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Action"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAction: {
    parameters: {
      query?: {
        /** @description Hold up to this many seconds while pending */
        wait?: number;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Action"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  completeAction: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          status: "succeeded" | "failed";
          /** @description Replaces the action's data; becomes the event's data */
          data?: unknown;
        };
      };
    };
    responses: {
      /** @description The completed action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Action"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listEventTypes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The catalog */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["EventTypeList"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listChains: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every chain */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ChainList"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listCollections: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of collections */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CollectionList"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createCollection: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CollectionInput"];
      };
    };
    responses: {
      /** @description The collection; its deployment is an action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Collection"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getCollection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The collection */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Collection"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createCollectionWithId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CollectionInput"];
      };
    };
    responses: {
      /** @description The collection; its deployment is an action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Collection"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateCollection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description The most tokens the collection may hold: a whole number from 0 (no limit) to 9007199254740991 */
          supplyLimit?: number;
          metadata?: {
            [key: string]: unknown;
          };
          /** @description Accepted and ignored */
          payments?: unknown;
        };
      };
    };
    responses: {
      /** @description The change, an action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Action"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listNfts: {
    parameters: {
      query?: {
        page?: number;
        perPage?: number;
      };
      header?: never;
      path: {
        collectionId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of NFTs */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["NftList"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  mintNft: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        collectionId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": unknown;
      };
    };
    responses: {
      /** @description The NFT, or the batch's NFTs (`results`); each mint is an action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json":
            components["schemas"]["Nft"] | components["schemas"]["BatchMintResult"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getNft: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        collectionId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The NFT */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Nft"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  mintNftWithId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        collectionId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["NftInput"];
      };
    };
    responses: {
      /** @description The NFT; its mint is an action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Nft"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  burnNft: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        collectionId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The operation, an action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Action"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateNft: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        collectionId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description {name, image?, description?, animation_url?, attributes?, ...}; or the URL of metadata already published (the token URI is then that URL); or {uri, name?} */
          metadata: unknown;
          /** @description Accepted and ignored */
          reuploadLinkedFiles?: boolean;
        };
      };
    };
    responses: {
      /** @description The operation, an action */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Action"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getWallet: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description <chain>:<address>, email:<email>:<chain> or userId:<userId>:<chain> */
        identifier: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The wallet */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OwnedWallet"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWalletNfts: {
    parameters: {
      query?: {
        /** @description From 1 */
        page?: number;
        perPage?: number;
      };
      header?: never;
      path: {
        /** @description <chain>:<address>, email:<email>:<chain> or userId:<userId>:<chain> */
        identifier: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of NFTs */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WalletNftList"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listOriginalUsers: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of users */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OriginalUserSummaryPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listOriginalAssets: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of assets */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OriginalAssetSummaryPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listOriginalRewards: {
    parameters: {
      query?: {
        limit?: number;
        /** @description nextCursor from the previous page */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of rewards */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OriginalRewardSummaryPage"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listOriginalRewardOperations: {
    parameters: {
      query: {
        kind: "allocation" | "claim" | "withdraw";
      };
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The operations */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["RewardOperationSummary"][];
          };
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listOwnerWallets: {
    parameters: {
      query?: {
        /** @description The owner's email */
        email?: string;
        /** @description Any id the project gives its user (up to 255 characters, case kept) */
        userId?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The wallets; [] when none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WalletList"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createWallet: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["CreateWalletInput"];
      };
    };
    responses: {
      /** @description The wallet already existed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Wallet"];
        };
      };
      /** @description The wallet was created (wallets.create.succeeded is sent) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Wallet"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No API key, or not a valid one */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The resource is not in a state that allows this */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than 1 MB */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  originalFindUser: {
    parameters: {
      query?: {
        email?: string;
        user_external_id?: string;
        client_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The user, or success false and data null when none matches */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            success: boolean;
            data: components["schemas"]["OriginalUser"] | (never | null);
          };
        };
      };
    };
  };
  originalCreateUser: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          email?: string | null;
          user_external_id?: string | null;
          client_id?: string | null;
        } | null;
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalGetUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The user */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalUser"];
          };
        };
      };
    };
  };
  originalGetCollection: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The collection */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalCollection"];
          };
        };
      };
    };
  };
  originalDeposit: {
    parameters: {
      query: {
        user_uid: string;
        collection_uid?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The deposit address */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalDeposit"];
          };
        };
      };
    };
  };
  originalListAssets: {
    parameters: {
      query: {
        user_uid: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The assets; [] when none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalAsset"][];
          };
        };
      };
    };
  };
  originalCreateAsset: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          user_uid: string;
          collection_uid: string;
          asset_external_id?: string | null;
          client_id?: string | null;
          sale_price_in_usd?: number | null;
          data: {
            name: string;
            unique_name: boolean;
            image_url: string;
            store_image_on_ipfs?: boolean | null;
            description?: string | null;
            external_url?: string | null;
            attributes?:
              | {
                  trait_type: string;
                  value: string | number;
                  display_type?: string | null;
                }[]
              | null;
          };
        };
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalGetAsset: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The asset */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalAsset"];
          };
        };
      };
    };
  };
  originalEditAsset: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          data: {
            name: string;
            unique_name: boolean;
            image_url: string;
            store_image_on_ipfs?: boolean | null;
            description?: string | null;
            external_url?: string | null;
            attributes?:
              | {
                  trait_type: string;
                  value: string | number;
                  display_type?: string | null;
                }[]
              | null;
          };
        };
      };
    };
    responses: {
      /** @description The edit is on its way (asset.edited when done) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            /** @enum {object|null} */
            data: never | null;
          };
        };
      };
    };
  };
  originalListBurns: {
    parameters: {
      query: {
        user_uid: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first; [] when none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalOperation"][];
          };
        };
      };
    };
  };
  originalBurn: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          asset_uid: string;
          from_user_uid: string;
        };
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalListTransfers: {
    parameters: {
      query: {
        user_uid: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first; [] when none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalOperation"][];
          };
        };
      };
    };
  };
  originalTransfer: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          asset_uid: string;
          from_user_uid: string;
          to_address: string;
        };
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalGetBurn: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The transfer or burn */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalOperation"];
          };
        };
      };
    };
  };
  originalGetTransfer: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The transfer or burn */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalOperation"];
          };
        };
      };
    };
  };
  originalCreateReward: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          name: string;
          token_name: string;
          /** @description 1 to 11 letters or digits */
          token_symbol: string;
          description?: string | null;
          chain?: string | null;
          withdraw_receiver: string;
          /** @description Tokens, up to 18 decimals: "1.23" (a JSON number is taken too) */
          initial_supply: string | number;
        };
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalGetReward: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The reward */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalReward"];
          };
        };
      };
    };
  };
  originalListAllocations: {
    parameters: {
      query?: {
        user_uid?: string;
        reward_uid?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first; [] when none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalAllocation"][];
          };
        };
      };
    };
  };
  originalAllocate: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          reward_uid: string;
          to_user_uid?: string;
          user_uid?: string;
          /** @description Tokens, up to 18 decimals: "1.23" (a JSON number is taken too) */
          amount: string | number;
          nonce: string;
        };
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalListAllocationsAlias: {
    parameters: {
      query?: {
        user_uid?: string;
        reward_uid?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first; [] when none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalAllocation"][];
          };
        };
      };
    };
  };
  originalAllocateAlias: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          reward_uid: string;
          to_user_uid?: string;
          user_uid?: string;
          /** @description Tokens, up to 18 decimals: "1.23" (a JSON number is taken too) */
          amount: string | number;
          nonce: string;
        };
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalGetAllocation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The allocation */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalAllocation"];
          };
        };
      };
    };
  };
  originalGetAllocationAlias: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The allocation */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalAllocation"];
          };
        };
      };
    };
  };
  originalGetClaim: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The claim */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalClaim"];
          };
        };
      };
    };
  };
  originalListClaims: {
    parameters: {
      query?: {
        user_uid?: string;
        reward_uid?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first; [] when none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalClaim"][];
          };
        };
      };
    };
  };
  originalClaim: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          reward_uid: string;
          from_user_uid?: string;
          user_uid?: string;
          to_address: string;
          amount?: (string | number) | (never | null);
        };
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalGetWithdraw: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        uid: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The withdraw */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalWithdraw"];
          };
        };
      };
    };
  };
  originalListWithdraws: {
    parameters: {
      query?: {
        user_uid?: string;
        reward_uid?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first; [] when none */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: components["schemas"]["OriginalWithdraw"][];
          };
        };
      };
    };
  };
  originalWithdraw: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          reward_uid: string;
        };
      };
    };
    responses: {
      /** @description Created: the new object's uid */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              uid: string;
            };
          };
        };
      };
    };
  };
  originalRewardBalance: {
    parameters: {
      query: {
        reward_uid: string;
        user_uid: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description What the user holds of the reward */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            /** @enum {boolean} */
            success: true;
            data: {
              reward_uid: string;
              user_uid: string;
              amount: string;
            };
          };
        };
      };
    };
  };
  getTokenMetadata: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        projectId: string;
        collectionId: string;
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The metadata */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["TokenMetadata"];
        };
      };
      /** @description The request is invalid; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No such resource in this project */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
}

// What ../shared/DESIGN.md pins, written out independently of the code so tests catch drift.

/** The built-in event catalog, in DESIGN.md's order. */
export const DESIGN_EVENT_TYPES = [
  "collections.create.succeeded",
  "collections.create.failed",
  "collections.update.succeeded",
  "nfts.create.succeeded",
  "nfts.create.failed",
  "nfts.update.succeeded",
  "nfts.delete.succeeded",
  "wallets.create.succeeded",
  "asset.minted",
  "asset.transferred",
  "asset.burned",
  "asset.edited",
  "asset.reorged",
  "reward.allocated",
  "reward.claimed",
  "reward.withdrawn",
  "wallet.created",
  "endpoint.disabled",
  "delivery.exhausted",
  // Issue 17 (real chains at scale): a reorg undid a completed action; a signer of a chain's
  // pool fell below its threshold.
  "action.reorged",
  "signer.balance_low",
];

/** Every key a delivered webhook body may carry, in the pinned order. */
export const PINNED_BODY_KEYS = [
  "id",
  "type",
  "actionId",
  "startedAt",
  "completedAt",
  "data",
  "resource",
  "timestamp",
];

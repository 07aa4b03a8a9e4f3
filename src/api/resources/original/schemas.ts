import { Type } from "@sinclair/typebox";
import { Nullable, Timestamp, named, pageOf } from "../shared.js";

// Original's users and assets as Herald's console reads them: through the project's API key,
// in Herald's shapes (Original's own API, under /original/v1, answers in Original's).

export const OriginalUserSummary = named(
  "OriginalUserSummary",
  Type.Object({
    uid: Type.String(),
    email: Nullable(Type.String()),
    userExternalId: Nullable(Type.String()),
    chain: Type.String({ description: "Original's chain: the first configured" }),
    walletAddress: Type.String(),
    createdAt: Timestamp,
  }),
);
export const OriginalUserPage = pageOf(OriginalUserSummary);

export const OriginalAssetSummary = named(
  "OriginalAssetSummary",
  Type.Object({
    uid: Type.String({ description: "The NFT's id too" }),
    name: Type.String(),
    collectionId: Type.String(),
    userUid: Type.String({ description: "The user it was minted for" }),
    assetExternalId: Nullable(Type.String()),
    status: Type.String({ description: "The NFT's: pending, minted, failed or burned" }),
    tokenId: Nullable(Type.String()),
    ownerAddress: Type.String(),
    createdAt: Timestamp,
  }),
);
export const OriginalAssetPage = pageOf(OriginalAssetSummary);

export const OriginalRewardSummary = named(
  "OriginalRewardSummary",
  Type.Object({
    uid: Type.String(),
    name: Type.String(),
    tokenName: Type.String(),
    tokenSymbol: Type.String(),
    chain: Type.String(),
    status: Type.String({ description: "deploying, deployed or failed" }),
    contractAddress: Nullable(Type.String()),
    initialSupply: Type.String({ description: "Tokens in the pool at deployment (decimal)" }),
    withdrawReceiver: Type.String(),
    withdrawn: Type.Boolean({ description: "A withdraw closed it (or is closing it)" }),
    createdAt: Timestamp,
  }),
);
export const OriginalRewardPage = pageOf(OriginalRewardSummary);

export const RewardOperationSummary = named(
  "RewardOperationSummary",
  Type.Object({
    uid: Type.String(),
    kind: Type.String({ description: "allocation, claim or withdraw" }),
    status: Type.String({ description: "pending, done or failed" }),
    userUid: Nullable(Type.String()),
    address: Type.String({ description: "Where the tokens go" }),
    amount: Nullable(Type.String({ description: "Tokens (decimal); null for a withdraw" })),
    nonce: Nullable(Type.String()),
    actionId: Type.String(),
    createdAt: Timestamp,
  }),
);

export const components = [
  OriginalUserSummary,
  OriginalUserPage,
  OriginalAssetSummary,
  OriginalAssetPage,
  OriginalRewardSummary,
  OriginalRewardPage,
  RewardOperationSummary,
];

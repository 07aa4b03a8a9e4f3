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

export const components = [
  OriginalUserSummary,
  OriginalUserPage,
  OriginalAssetSummary,
  OriginalAssetPage,
];

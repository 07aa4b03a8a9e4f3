import type { Static } from "@sinclair/typebox";
import type { Nft } from "../../../core/chain/chain-types.js";
import type { OriginalAsset, OriginalUser } from "../../../core/interfaces.js";
import { iso } from "../../../core/policy/envelope.js";
import { assetName } from "../../../core/original/assets.js";
import type { OriginalAssetSummary, OriginalUserSummary } from "./schemas.js";

export const userSummary = (
  user: OriginalUser,
  chain: string,
  walletAddress: string,
): Static<typeof OriginalUserSummary> => ({
  uid: user.id,
  email: user.email,
  userExternalId: user.userExternalId,
  chain,
  walletAddress,
  createdAt: iso(user.createdAt),
});

export const assetSummary = (
  asset: OriginalAsset,
  nft: Nft,
): Static<typeof OriginalAssetSummary> => ({
  uid: asset.id,
  name: assetName(asset, nft.tokenId),
  collectionId: asset.collectionId,
  userUid: asset.userUid,
  assetExternalId: asset.assetExternalId,
  status: nft.status,
  tokenId: nft.tokenId,
  ownerAddress: nft.owner,
  createdAt: iso(asset.createdAt),
});

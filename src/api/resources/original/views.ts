import type { Static } from "@sinclair/typebox";
import type { Nft } from "../../../core/chain/chain-types.js";
import type {
  OriginalAsset,
  OriginalReward,
  OriginalUser,
  RewardOperation,
} from "../../../core/interfaces.js";
import { tokenAmount } from "../../../core/original/reward-events.js";
import { originalStatus } from "../../../core/original/app.js";
import { iso } from "../../../core/policy/envelope.js";
import { assetName } from "../../../core/original/assets.js";
import type {
  OriginalAssetSummary,
  OriginalRewardSummary,
  OriginalUserSummary,
  RewardOperationSummary,
} from "./schemas.js";

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

export const rewardSummary = (
  reward: OriginalReward,
  withdrawn: boolean,
): Static<typeof OriginalRewardSummary> => ({
  uid: reward.id,
  name: reward.name,
  tokenName: reward.tokenName,
  tokenSymbol: reward.tokenSymbol,
  chain: reward.chain,
  status: reward.status,
  contractAddress: reward.contractAddress,
  initialSupply: tokenAmount(reward.initialSupply)!,
  withdrawReceiver: reward.withdrawReceiver,
  withdrawn,
  createdAt: iso(reward.createdAt),
});

export const rewardOperationSummary = (
  operation: RewardOperation,
): Static<typeof RewardOperationSummary> => ({
  uid: operation.id,
  kind: operation.kind,
  status: originalStatus(operation.status),
  userUid: operation.userUid,
  address: operation.address,
  amount: tokenAmount(operation.amount),
  nonce: operation.nonce,
  actionId: operation.actionId,
  createdAt: iso(operation.createdAt),
});

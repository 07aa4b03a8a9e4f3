import type { Collection, Wallet } from "../../core/chain/chain-types.js";
import type { ChainInfo } from "../../core/chain/chain-types.js";
import type { OriginalOperation, OriginalUser } from "../../core/interfaces.js";
import { assetName, type AssetState } from "../../core/original/assets.js";
import { networkOf } from "../../core/original/app.js";
import { originalTime } from "../../core/policy/webhook-format.js";

/** Original's timestamps in answers: ISO 8601 in UTC with microseconds (`…14.494142Z`). */
export const originalTimestamp = (ms: number) => originalTime(ms, "Z");

export function walletView(wallet: Wallet, chain: ChainInfo, explorerUrl: string) {
  return {
    address: wallet.address,
    explorer_url: explorerUrl,
    network: networkOf(wallet.chain),
    chain_id: chain.chainId,
  };
}

export function userView(
  user: OriginalUser,
  wallets: ReturnType<typeof walletView>[],
  primaryAddress: string | null,
) {
  return {
    uid: user.id,
    created_at: originalTimestamp(user.createdAt),
    email: user.email,
    user_external_id: user.userExternalId,
    client_id: user.userExternalId,
    wallet_address: primaryAddress,
    wallets,
  };
}

const COLLECTION_STATUS: Record<Collection["status"], string> = {
  pending: "deploying",
  deployed: "deployed",
  failed: "failed",
};

export function collectionView(collection: Collection, chain: ChainInfo, explorerUrl: string) {
  const text = (key: string) => {
    const value = collection.metadata[key];
    return typeof value === "string" ? value : null;
  };
  return {
    uid: collection.id,
    name: text("name"),
    status: COLLECTION_STATUS[collection.status],
    type: collection.fungibility === "non-fungible" ? "ERC721" : "ERC1155",
    created_at: originalTimestamp(collection.createdAt),
    // Herald's collections can always be edited (Crossmint's PATCH of an NFT's metadata).
    editable_assets: true,
    contract_address: collection.contractAddress,
    symbol: text("symbol"),
    description: text("description"),
    chain: networkOf(collection.chain),
    chain_id: chain.chainId,
    network: networkOf(collection.chain),
    explorer_url: explorerUrl,
  };
}

/** Original's asset: its name rule (`<name> #<token id>` unless unique), its state flags. */
export function assetView(
  state: AssetState,
  flags: { isEditing: boolean; isTransferring: boolean; isBurning: boolean },
  urls: { explorer: string; tokenUri: string },
) {
  const { asset, nft, collection } = state;
  const tokenId = nft.tokenId === null ? null : Number(nft.tokenId);
  const minted = nft.tokenId !== null;
  const burned = nft.status === "burned";
  return {
    uid: asset.id,
    name: assetName(asset, tokenId),
    asset_external_id: asset.assetExternalId,
    client_id: asset.assetExternalId,
    collection_uid: collection.id,
    collection_name: typeof collection.metadata.name === "string" ? collection.metadata.name : null,
    token_id: tokenId !== null && Number.isSafeInteger(tokenId) ? tokenId : null,
    created_at: originalTimestamp(asset.createdAt),
    is_minted: minted,
    is_burned: burned,
    is_transferring: flags.isTransferring,
    // Through the API: an app user's asset in custody, not moving or burning already.
    is_transferable:
      minted &&
      !burned &&
      collection.transferable &&
      collection.custody === true &&
      nft.email !== null &&
      !flags.isTransferring &&
      !flags.isBurning &&
      state.ownerUserUid !== null,
    is_editing: flags.isEditing,
    mint_for_user_uid: asset.userUid,
    mint_for_address: state.mintForAddress,
    owner_user_uid: state.ownerUserUid,
    owner_address: minted && !burned ? nft.owner : null,
    metadata: { ...nft.metadata, original_id: asset.id },
    explorer_url: urls.explorer,
    token_uri: urls.tokenUri,
    sale_price_in_usd: asset.salePriceInUsd,
  };
}

export function operationView(operation: OriginalOperation, status: "pending" | "done" | "failed") {
  return {
    uid: operation.id,
    status,
    asset_uid: operation.assetUid,
    from_user_uid: operation.fromUserUid,
    ...(operation.kind === "transfer" ? { to_address: operation.toAddress } : {}),
    created_at: originalTimestamp(operation.createdAt),
  };
}

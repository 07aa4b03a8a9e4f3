import type { Static } from "@sinclair/typebox";
import {
  EVM_ON_CHAIN_NAMES,
  type Collection,
  type Nft as NftRecord,
  type OnChainNames,
} from "../../../core/chain/chain-types.js";
import type { MintResult, Nft } from "./schemas.js";

const ON_CHAIN_STATUS = {
  pending: "pending",
  minted: "success",
  failed: "failed",
  burned: "burned",
} as const;

/** `actionUrl`: the mint's action, as Crossmint's mint status shows it (`action`). */
export function nftView(
  nft: NftRecord,
  collection: Collection,
  actionUrl: string,
  names: OnChainNames = EVM_ON_CHAIN_NAMES,
): Static<typeof Nft> {
  return {
    id: nft.id,
    metadata: nft.metadata,
    onChain: {
      status: ON_CHAIN_STATUS[nft.status],
      chain: collection.chain,
      ...(collection.contractAddress && names.nftNamesCollection
        ? { [names.collectionAddress]: collection.contractAddress }
        : {}),
      ...(nft.tokenId ? { [names.tokenId]: nft.tokenId } : {}),
      owner: nft.owner,
      ...(nft.txId ? { txId: nft.txId } : {}),
    },
    actionId: nft.actionId,
    action: actionUrl,
  };
}

/** A batch mint's item, as Crossmint's batch mint answers it. */
export function mintResultView(
  nft: NftRecord,
  collection: Collection,
  names: OnChainNames = EVM_ON_CHAIN_NAMES,
): Static<typeof MintResult> {
  return {
    id: nft.id,
    onChain: {
      status: ON_CHAIN_STATUS[nft.status],
      chain: collection.chain,
      ...(collection.contractAddress && names.nftNamesCollection
        ? { [names.collectionAddress]: collection.contractAddress }
        : {}),
    },
    actionId: nft.actionId,
  };
}

import type { Static } from "@sinclair/typebox";
import {
  EVM_ON_CHAIN_NAMES,
  type Collection as CollectionRecord,
  type OnChainNames,
} from "../../../core/chain/chain-types.js";
import type { Collection } from "./schemas.js";

export function collectionView(
  c: CollectionRecord,
  names: OnChainNames = EVM_ON_CHAIN_NAMES,
): Static<typeof Collection> {
  return {
    id: c.id,
    metadata: c.metadata,
    fungibility: c.fungibility,
    onChain: {
      chain: c.chain,
      type: names === EVM_ON_CHAIN_NAMES ? "erc-721" : "token-2022",
      ...(c.contractAddress ? { [names.collectionAddress]: c.contractAddress } : {}),
    },
    supplyLimit: c.supplyLimit ?? 0,
    status: c.status,
    actionId: c.actionId,
  };
}

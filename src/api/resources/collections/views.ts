import type { Static } from "@sinclair/typebox";
import type { Collection as CollectionRecord } from "../../../core/chain/chain-types.js";
import type { Collection } from "./schemas.js";

export function collectionView(c: CollectionRecord): Static<typeof Collection> {
  return {
    id: c.id,
    metadata: c.metadata,
    fungibility: c.fungibility,
    onChain: {
      chain: c.chain,
      type: "erc-721",
      ...(c.contractAddress ? { contractAddress: c.contractAddress } : {}),
    },
    supplyLimit: c.supplyLimit ?? 0,
    status: c.status,
    actionId: c.actionId,
  };
}

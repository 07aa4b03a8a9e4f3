import { Type } from "@sinclair/typebox";
import { ON_CHAIN_LIMITS } from "../../../core/policy/on-chain-limits.js";
import { Nullable, named, ref } from "../shared.js";

// Crossmint's collection API: a collection is an NFT contract Herald deploys.

const Metadata = Type.Object({}, { additionalProperties: true });

/** What the contract (and Herald's records) can take: see ON_CHAIN_LIMITS. */
const SupplyLimit = Type.Integer({
  minimum: ON_CHAIN_LIMITS.supplyLimit.min,
  maximum: ON_CHAIN_LIMITS.supplyLimit.max,
  description: `The most tokens the collection may hold: ${ON_CHAIN_LIMITS.supplyLimit.description}`,
});

export const CollectionInput = named(
  "CollectionInput",
  Type.Object(
    {
      chain: Type.String({ minLength: 1, maxLength: 50 }),
      metadata: Type.Object(
        {},
        { additionalProperties: true, description: "{name, symbol?, description?, imageUrl?}" },
      ),
      fungibility: Type.Optional(
        Type.Union([Type.Literal("non-fungible"), Type.Literal("semi-fungible")]),
      ),
      transferable: Type.Optional(Type.Boolean()),
      supplyLimit: Type.Optional(SupplyLimit),
      // Accepted for compatibility with Crossmint's API; Herald does not use them.
      payments: Type.Optional(Type.Unknown({ description: "Accepted and ignored" })),
      subscription: Type.Optional(Type.Unknown({ description: "Accepted and ignored" })),
      reuploadLinkedFiles: Type.Optional(Type.Boolean({ description: "Accepted and ignored" })),
    },
    { additionalProperties: false },
  ),
);

export const UpdateBody = Type.Object(
  {
    supplyLimit: Type.Optional(SupplyLimit),
    metadata: Type.Optional(Metadata),
    // Crossmint's sales settings: accepted and ignored (Herald sells nothing).
    payments: Type.Optional(Type.Unknown({ description: "Accepted and ignored" })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ListQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: 50 })),
});

export const Collection = named(
  "Collection",
  Type.Object({
    id: Type.String(),
    metadata: Metadata,
    fungibility: Type.Union([Type.Literal("non-fungible"), Type.Literal("semi-fungible")]),
    onChain: Type.Object({
      chain: Type.String(),
      type: Type.String({ description: "erc-721; token-2022 on Solana" }),
      contractAddress: Type.Optional(Type.String({ description: "Once deployed (EVM)" })),
      mintAddress: Type.Optional(
        Type.String({ description: "Once deployed (Solana): the collection's group mint" }),
      ),
    }),
    supplyLimit: Type.Integer({ description: "0: no limit" }),
    status: Type.Union([Type.Literal("pending"), Type.Literal("deployed"), Type.Literal("failed")]),
    actionId: Type.String({ description: "The deployment's action" }),
  }),
);

/** Crossmint's list shape: `results`, not `data`. */
export const CollectionList = named(
  "CollectionList",
  Type.Object({
    results: Type.Array(ref(Collection)),
    nextCursor: Nullable(Type.String({ description: "Pass as ?cursor= for the next page" })),
  }),
);

export const components = [CollectionInput, Collection, CollectionList];

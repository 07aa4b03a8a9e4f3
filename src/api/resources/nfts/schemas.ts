import { Type } from "@sinclair/typebox";
import { Id, named, ref } from "../shared.js";

// Crossmint's NFT API: minting, reading, editing and burning the tokens of a collection.

const Metadata = Type.Object({}, { additionalProperties: true });

export const CollectionParams = Type.Object({ collectionId: Id });
export const NftParams = Type.Object({ collectionId: Id, id: Id });
export const MetadataParams = Type.Object({ projectId: Id, collectionId: Id, id: Id });

export const NftInput = named(
  "NftInput",
  Type.Object(
    {
      recipient: Type.String({
        minLength: 1,
        maxLength: 400,
        description: "<chain>:<address> or email:<email>:<chain>",
      }),
      metadata: Metadata,
      // Accepted for compatibility with Crossmint's API; Herald does not use them.
      sendNotification: Type.Optional(Type.Boolean({ description: "Accepted and ignored" })),
      locale: Type.Optional(Type.String({ maxLength: 20, description: "Accepted and ignored" })),
      reuploadLinkedFiles: Type.Optional(Type.Boolean({ description: "Accepted and ignored" })),
      compressed: Type.Optional(
        Type.Boolean({ description: "Solana's compressed NFTs: accepted and ignored" }),
      ),
    },
    { additionalProperties: false },
  ),
);

export const UpdateBody = Type.Object(
  {
    metadata: Metadata,
    reuploadLinkedFiles: Type.Optional(Type.Boolean({ description: "Accepted and ignored" })),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const Nft = named(
  "Nft",
  Type.Object({
    id: Type.String(),
    metadata: Metadata,
    onChain: Type.Object({
      status: Type.Union([
        Type.Literal("pending"),
        Type.Literal("success"),
        Type.Literal("failed"),
        Type.Literal("burned"),
      ]),
      chain: Type.String(),
      contractAddress: Type.Optional(Type.String()),
      tokenId: Type.Optional(Type.String({ description: "Once minted" })),
      owner: Type.String({ description: "The address the token is (to be) minted to" }),
      txId: Type.Optional(Type.String()),
    }),
    actionId: Type.String({ description: "The mint's action" }),
    action: Type.String({ description: "The URL of the mint's action (its status)" }),
  }),
);

export const NftList = named("NftList", Type.Array(ref(Nft)));

export const TokenMetadata = named(
  "TokenMetadata",
  Type.Object({}, { additionalProperties: true, description: "The token's metadata as minted" }),
);

export const components = [NftInput, Nft, NftList, TokenMetadata];

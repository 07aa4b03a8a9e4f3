import { Type, type Static } from "@sinclair/typebox";
import { MAX_BATCH_MINT } from "../../../core/chain/nfts.js";
import { Id, named, ref } from "../shared.js";

// Crossmint's NFT API: minting, reading, editing and burning the tokens of a collection.

const Metadata = Type.Object({}, { additionalProperties: true });

/** A mint's or an edit's metadata in any of Crossmint's forms (checked by core). */
const MetadataInput = Type.Unknown({
  description:
    "{name, image?, description?, animation_url?, attributes?, ...}; or the URL of metadata " +
    "already published (the token URI is then that URL); or {uri, name?}",
});

/** What Crossmint documents on a mint and Herald accepts and ignores. */
const IgnoredMintFields = {
  sendNotification: Type.Optional(Type.Boolean({ description: "Accepted and ignored" })),
  locale: Type.Optional(Type.String({ maxLength: 20, description: "Accepted and ignored" })),
  reuploadLinkedFiles: Type.Optional(Type.Boolean({ description: "Accepted and ignored" })),
  compressed: Type.Optional(
    Type.Boolean({ description: "Solana's compressed NFTs: accepted and ignored" }),
  ),
};

const Recipient = Type.String({
  minLength: 1,
  maxLength: 400,
  description: "<chain>:<address>, email:<email>:<chain> or userId:<userId>:<chain>",
});

export const CollectionParams = Type.Object({ collectionId: Id });
export const NftParams = Type.Object({ collectionId: Id, id: Id });
export const MetadataParams = Type.Object({ projectId: Id, collectionId: Id, id: Id });

export const NftInput = named(
  "NftInput",
  Type.Object(
    { recipient: Recipient, metadata: MetadataInput, ...IgnoredMintFields },
    { additionalProperties: false, required: ["recipient", "metadata"] },
  ),
);

export const BatchMintInput = named(
  "BatchMintInput",
  Type.Object(
    {
      nfts: Type.Array(
        Type.Object(
          {
            recipient: Recipient,
            metadata: MetadataInput,
            id: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: "Its idempotency key" }),
            ),
            ...IgnoredMintFields,
          },
          { additionalProperties: false, required: ["recipient", "metadata"] },
        ),
        { minItems: 1, maxItems: MAX_BATCH_MINT },
      ),
    },
    { additionalProperties: false },
  ),
);

/** A single mint, or a batch (`{nfts: [...]}`, Crossmint's batch mint), told apart by `nfts`. */
export const MintBody = Type.Unsafe<Static<typeof NftInput> | Static<typeof BatchMintInput>>({
  if: { type: "object", required: ["nfts"] },
  then: ref(BatchMintInput),
  else: ref(NftInput),
});

export const MintResult = named(
  "MintResult",
  Type.Object({
    id: Type.String(),
    onChain: Type.Object({
      status: Type.String(),
      chain: Type.String(),
      contractAddress: Type.Optional(Type.String()),
      mintAddress: Type.Optional(Type.String({ description: "Solana: the collection's mint" })),
    }),
    actionId: Type.String(),
  }),
);

export const BatchMintResult = named(
  "BatchMintResult",
  Type.Object({ results: Type.Array(ref(MintResult)) }),
);

export const UpdateBody = Type.Object(
  {
    metadata: MetadataInput,
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
      mintAddress: Type.Optional(Type.String({ description: "Solana: the collection's mint" })),
      mintHash: Type.Optional(Type.String({ description: "Solana, once minted: the NFT's mint" })),
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

export const components = [
  NftInput,
  BatchMintInput,
  MintResult,
  BatchMintResult,
  Nft,
  NftList,
  TokenMetadata,
];

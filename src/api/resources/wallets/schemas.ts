import { Type } from "@sinclair/typebox";
import { MAX_WALLET_NFTS_PAGE, MAX_WALLET_NFTS_PER_PAGE } from "../../../core/chain/wallets.js";
import { named, ref } from "../shared.js";

// Crossmint's custodial wallets: create one for an email or a user id on a chain, list an
// owner's, read one, list the NFTs one holds. Owners and identifiers are checked by core.

/** The longest wallet identifier: `userId:` and a user id of 255 characters (510 UTF-16 units),
 * `:` and a chain name; the router allows path parameters this long (server.ts). */
export const MAX_WALLET_IDENTIFIER_LENGTH = 600;

const Email = Type.String({ maxLength: 1000, description: "The owner's email" });
const UserId = Type.String({
  maxLength: 1000,
  description: "Any id the project gives its user (up to 255 characters, case kept)",
});

export const CreateWalletInput = named(
  "CreateWalletInput",
  Type.Object(
    {
      email: Type.Optional(Email),
      userId: Type.Optional(UserId),
      chain: Type.String({ minLength: 1, maxLength: 100, description: "A configured chain" }),
    },
    {
      additionalProperties: false,
      required: ["chain"],
      description: "Exactly one of email and userId, and a chain",
    },
  ),
);

export const OwnerQuery = Type.Object({
  email: Type.Optional(Email),
  userId: Type.Optional(UserId),
});

export const Wallet = named(
  "Wallet",
  Type.Object({
    chain: Type.String(),
    publicKey: Type.String({ description: "The wallet's address" }),
  }),
);

export const WalletList = named("WalletList", Type.Array(ref(Wallet)));

export const OwnedWallet = named(
  "OwnedWallet",
  Type.Object({
    chain: Type.String(),
    publicKey: Type.String({ description: "The wallet's address" }),
    email: Type.Optional(Type.String({ description: "The owner, when an email (lower-cased)" })),
    userId: Type.Optional(Type.String({ description: "The owner, when a user id" })),
  }),
);

export const WalletParams = Type.Object({
  identifier: Type.String({
    minLength: 1,
    maxLength: MAX_WALLET_IDENTIFIER_LENGTH,
    description: "<chain>:<address>, email:<email>:<chain> or userId:<userId>:<chain>",
  }),
});

export const WalletNftsQuery = Type.Object({
  page: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_WALLET_NFTS_PAGE, default: 1, description: "From 1" }),
  ),
  perPage: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_WALLET_NFTS_PER_PAGE, default: 20 }),
  ),
});

export const WalletNft = named(
  "WalletNft",
  Type.Object({
    chain: Type.String(),
    contractAddress: Type.Optional(Type.String({ description: "EVM" })),
    tokenId: Type.Optional(Type.String({ description: "EVM" })),
    mintHash: Type.Optional(Type.String({ description: "Solana: the NFT's mint" })),
    metadata: Type.Object({}, { additionalProperties: true, description: "As minted or edited" }),
    locator: Type.String({
      description: "<chain>:<contractAddress>:<tokenId>; Solana: solana:<mintHash>",
    }),
    tokenStandard: Type.Optional(Type.Literal("erc-721", { description: "EVM" })),
  }),
);

export const WalletNftList = named("WalletNftList", Type.Array(ref(WalletNft)));

export const components = [
  CreateWalletInput,
  Wallet,
  WalletList,
  OwnedWallet,
  WalletNft,
  WalletNftList,
];

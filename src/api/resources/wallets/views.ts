import type { Static } from "@sinclair/typebox";
import type { HeldNft, Wallet as WalletRecord } from "../../../core/chain/chain-types.js";
import { ownerFields } from "../../../core/chain/custodial-owners.js";
import type { OwnedWallet, Wallet, WalletNft } from "./schemas.js";

/** As Crossmint's create and list answer a wallet. */
export function walletView(wallet: WalletRecord): Static<typeof Wallet> {
  return { chain: wallet.chain, publicKey: wallet.address };
}

/** A wallet with its owner (`email` or `userId`). */
export function ownedWalletView(wallet: WalletRecord): Static<typeof OwnedWallet> {
  return { ...walletView(wallet), ...ownerFields(wallet.email) };
}

/** As Crossmint's NFTs-in-a-wallet answers an EVM token. */
export function walletNftView(chain: string, held: HeldNft): Static<typeof WalletNft> {
  const tokenId = held.nft.tokenId ?? "";
  return {
    chain,
    contractAddress: held.contractAddress,
    tokenId,
    metadata: held.nft.metadata,
    locator: `${chain}:${held.contractAddress}:${tokenId}`,
    tokenStandard: "erc-721",
  };
}

import type { Static } from "@sinclair/typebox";
import {
  EVM_ON_CHAIN_NAMES,
  type HeldNft,
  type OnChainNames,
  type Wallet as WalletRecord,
} from "../../../core/chain/chain-types.js";
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

/** As Crossmint's NFTs-in-a-wallet answers a token: an EVM one, or a Solana one (its mint,
 * `mintHash`, no token standard; its locator `solana:<mintHash>`). */
export function walletNftView(
  chain: string,
  held: HeldNft,
  names: OnChainNames = EVM_ON_CHAIN_NAMES,
): Static<typeof WalletNft> {
  const tokenId = held.nft.tokenId ?? "";
  if (!names.nftNamesCollection) {
    return {
      chain,
      [names.tokenId]: tokenId,
      metadata: held.nft.metadata,
      locator: `${chain}:${tokenId}`,
    };
  }
  return {
    chain,
    contractAddress: held.contractAddress,
    tokenId,
    metadata: held.nft.metadata,
    locator: `${chain}:${held.contractAddress}:${tokenId}`,
    tokenStandard: "erc-721",
  };
}

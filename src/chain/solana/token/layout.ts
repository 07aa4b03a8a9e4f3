// The Token-2022 layout of Herald's Solana collections and NFTs (docs/chain.md, "Solana"):
// which extensions each mint carries, and what its account costs. Pure.
import type { Address } from "@solana/kit";
import { extension, getMintSize, type ExtensionArgs } from "@solana-program/token-2022";

/** Token metadata as the metadata extension stores it. */
export interface OnChainMetadata {
  name: string;
  symbol: string;
  uri: string;
}

/** An NFT's mint transaction with empty name, symbol and URI, priority fee included: 863
 * bytes. A transaction is at most 1,232 bytes, so the three share the rest, less one: from 108
 * bytes of metadata on, the metadata instruction's data length takes two bytes, not one. */
export const MINT_TX_BYTES_WITHOUT_METADATA = 863;
export const METADATA_BYTES_PER_MINT = 1_232 - MINT_TX_BYTES_WITHOUT_METADATA - 1;

/** Why name, symbol and URI cannot go in one mint transaction, or null. */
export function metadataProblem(metadata: OnChainMetadata): string | null {
  const bytes =
    Buffer.byteLength(metadata.name) +
    Buffer.byteLength(metadata.symbol) +
    Buffer.byteLength(metadata.uri);
  if (bytes <= METADATA_BYTES_PER_MINT) return null;
  return (
    `name, symbol and URI take ${bytes} bytes in UTF-8; a Solana NFT's mint transaction has ` +
    `room for ${METADATA_BYTES_PER_MINT}`
  );
}

/** Rent-exempt minimum of an account of `bytes` data bytes: (128 + bytes) × 6,960 lamports, the
 * rent of mainnet and of LiteSVM (3,480 lamports per byte-year, two years). */
export function rentExempt(bytes: number): bigint {
  return BigInt(128 + bytes) * 6_960n;
}

/** A collection's group never limits its members when it has no supply limit (0 would mean
 * "no members at all"). */
export const UNLIMITED_GROUP = 2n ** 64n - 1n;

function metadataExtension(mint: Address, authority: Address, metadata: OnChainMetadata) {
  return extension("TokenMetadata", {
    updateAuthority: authority,
    mint,
    ...metadata,
    additionalMetadata: new Map(),
  });
}

/**
 * The extensions of an NFT mint, fixed ones first: the member and metadata pointers point at the
 * mint itself; Herald is its permanent delegate (it can burn or move the token whoever holds it,
 * as the EVM collections' owner can) and its close authority (a burned NFT's mint is closed and
 * its rent returned).
 */
export function nftExtensions(
  mint: Address,
  authority: Address,
  group: Address,
  metadata: OnChainMetadata,
): { fixed: ExtensionArgs[]; all: ExtensionArgs[] } {
  const fixed = [
    extension("GroupMemberPointer", { authority: null, memberAddress: mint }),
    extension("MetadataPointer", { authority: null, metadataAddress: mint }),
    extension("PermanentDelegate", { delegate: authority }),
    extension("MintCloseAuthority", { closeAuthority: authority }),
  ] as ExtensionArgs[];
  const member = extension("TokenGroupMember", { mint, group, memberNumber: 0n });
  return { fixed, all: [...fixed, metadataExtension(mint, authority, metadata), member] };
}

/** The extensions of a collection's group mint: a group and its metadata, on the mint itself. */
export function collectionExtensions(
  mint: Address,
  authority: Address,
  metadata: OnChainMetadata,
  maxSize: bigint,
): { fixed: ExtensionArgs[]; all: ExtensionArgs[] } {
  const fixed = [
    extension("GroupPointer", { authority, groupAddress: mint }),
    extension("MetadataPointer", { authority, metadataAddress: mint }),
  ] as ExtensionArgs[];
  const group = extension("TokenGroup", { updateAuthority: authority, mint, size: 0n, maxSize });
  return { fixed, all: [...fixed, metadataExtension(mint, authority, metadata), group] };
}

/** The account's size: what CreateAccount allocates (the fixed extensions only: the variable
 * ones reallocate themselves) and what its lamports must cover (all of them). */
export function mintSizes(extensions: { fixed: ExtensionArgs[]; all: ExtensionArgs[] }) {
  return { space: getMintSize(extensions.fixed), final: getMintSize(extensions.all) };
}

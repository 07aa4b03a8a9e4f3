// The instructions of each Solana job (docs/chain.md, "Solana"). Their order is the program's:
// pointers and the other fixed extensions, then InitializeMint2, then metadata and group (they
// need the mint authority), the token, and the mint authority dropped last. Pure.
import { type Address, type Instruction, type TransactionSigner } from "@solana/kit";
import { getCreateAccountInstruction, getTransferSolInstruction } from "@solana-program/system";
import {
  AuthorityType,
  TOKEN_2022_PROGRAM_ADDRESS,
  getBurnInstruction,
  getCloseAccountInstruction,
  getCreateAssociatedTokenIdempotentInstruction,
  getInitializeGroupMemberPointerInstruction,
  getInitializeGroupPointerInstruction,
  getInitializeMetadataPointerInstruction,
  getInitializeMint2Instruction,
  getInitializeMintCloseAuthorityInstruction,
  getInitializePermanentDelegateInstruction,
  getInitializeTokenGroupInstruction,
  getInitializeTokenGroupMemberInstruction,
  getInitializeTokenMetadataInstruction,
  getMintToInstruction,
  getSetAuthorityInstruction,
  getTransferCheckedInstruction,
  getUpdateTokenGroupMaxSizeInstruction,
  getUpdateTokenMetadataFieldInstruction,
  tokenMetadataField,
} from "@solana-program/token-2022";
import {
  collectionExtensions,
  mintSizes,
  nftExtensions,
  rentExempt,
  type OnChainMetadata,
} from "./layout.js";

/** The account of a new mint, sized for its fixed extensions and funded for all of them. */
function createMintAccount(
  payer: TransactionSigner,
  mint: TransactionSigner,
  sizes: { space: number; final: number },
): Instruction {
  return getCreateAccountInstruction({
    payer,
    newAccount: mint,
    lamports: rentExempt(sizes.final),
    space: sizes.space,
    programAddress: TOKEN_2022_PROGRAM_ADDRESS,
  });
}

/** The mint itself (decimals 0, Herald its mint authority, no freeze authority), then its
 * metadata on the mint (the mint authority signs). */
function initializeMintWithMetadata(
  payer: TransactionSigner,
  mint: Address,
  metadata: OnChainMetadata,
): Instruction[] {
  return [
    getInitializeMint2Instruction({
      mint,
      decimals: 0,
      mintAuthority: payer.address,
      freezeAuthority: null,
    }),
    getInitializeTokenMetadataInstruction({
      metadata: mint,
      updateAuthority: payer.address,
      mint,
      mintAuthority: payer,
      ...metadata,
    }),
  ];
}

/** A collection: its group mint with metadata, in one transaction. */
export function createCollection(
  payer: TransactionSigner,
  mint: TransactionSigner,
  metadata: OnChainMetadata,
  maxSize: bigint,
): Instruction[] {
  const authority = payer.address;
  const sizes = mintSizes(collectionExtensions(mint.address, authority, metadata, maxSize));
  return [
    createMintAccount(payer, mint, sizes),
    getInitializeGroupPointerInstruction({
      mint: mint.address,
      authority,
      groupAddress: mint.address,
    }),
    getInitializeMetadataPointerInstruction({
      mint: mint.address,
      authority,
      metadataAddress: mint.address,
    }),
    ...initializeMintWithMetadata(payer, mint.address, metadata),
    getInitializeTokenGroupInstruction({
      group: mint.address,
      mint: mint.address,
      mintAuthority: payer,
      updateAuthority: authority,
      maxSize,
    }),
  ];
}

/** An NFT: a member mint of the collection's group, decimals 0, one token minted to the owner's
 * associated token account, then its mint authority dropped (its supply is 1 for good). */
export function mintNft(
  payer: TransactionSigner,
  mint: TransactionSigner,
  group: Address,
  owner: Address,
  ownerTokenAccount: Address,
  metadata: OnChainMetadata,
): Instruction[] {
  const authority = payer.address;
  const sizes = mintSizes(nftExtensions(mint.address, authority, group, metadata));
  return [
    createMintAccount(payer, mint, sizes),
    getInitializeGroupMemberPointerInstruction({
      mint: mint.address,
      authority: null,
      memberAddress: mint.address,
    }),
    getInitializeMetadataPointerInstruction({
      mint: mint.address,
      authority: null,
      metadataAddress: mint.address,
    }),
    getInitializePermanentDelegateInstruction({ mint: mint.address, delegate: authority }),
    getInitializeMintCloseAuthorityInstruction({ mint: mint.address, closeAuthority: authority }),
    ...initializeMintWithMetadata(payer, mint.address, metadata),
    getInitializeTokenGroupMemberInstruction({
      member: mint.address,
      memberMint: mint.address,
      memberMintAuthority: payer,
      group,
      groupUpdateAuthority: payer,
    }),
    getCreateAssociatedTokenIdempotentInstruction({
      payer,
      ata: ownerTokenAccount,
      owner,
      mint: mint.address,
      tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
    }),
    getMintToInstruction({
      mint: mint.address,
      token: ownerTokenAccount,
      mintAuthority: payer,
      amount: 1n,
    }),
    getSetAuthorityInstruction({
      owned: mint.address,
      owner: payer,
      authorityType: AuthorityType.MintTokens,
      newAuthority: null,
    }),
  ];
}

const FIELDS = {
  name: tokenMetadataField("Name"),
  symbol: tokenMetadataField("Symbol"),
  uri: tokenMetadataField("Uri"),
};

/** An NFT's new metadata: the fields that changed, after topping its rent up to the new size
 * (`topUp` lamports: a longer value reallocates the account, which must stay rent-exempt). */
export function updateNft(
  payer: TransactionSigner,
  mint: Address,
  changed: Partial<OnChainMetadata>,
  topUp: bigint,
): Instruction[] {
  const fields = (["name", "symbol", "uri"] as const).filter((f) => changed[f] !== undefined);
  return [
    ...(topUp > 0n
      ? [getTransferSolInstruction({ source: payer, destination: mint, amount: topUp })]
      : []),
    ...fields.map((field) =>
      getUpdateTokenMetadataFieldInstruction({
        metadata: mint,
        updateAuthority: payer,
        field: FIELDS[field],
        value: changed[field]!,
      }),
    ),
  ];
}

/** An NFT burned by Herald as its permanent delegate, whoever holds it, and its mint closed
 * (supply 0), the rent going back to the payer. The holder's empty token account stays theirs. */
export function burnNft(payer: TransactionSigner, mint: Address, holderTokenAccount: Address) {
  return [
    getBurnInstruction({ account: holderTokenAccount, mint, authority: payer, amount: 1n }),
    getCloseAccountInstruction({ account: mint, destination: payer.address, owner: payer }),
  ];
}

/** An NFT moved by Herald as its permanent delegate to `to`'s associated token account. */
export function transferNft(
  payer: TransactionSigner,
  mint: Address,
  from: Address,
  to: Address,
  toOwner: Address,
): Instruction[] {
  return [
    getCreateAssociatedTokenIdempotentInstruction({
      payer,
      ata: to,
      owner: toOwner,
      mint,
      tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
    }),
    getTransferCheckedInstruction({
      source: from,
      mint,
      destination: to,
      authority: payer,
      amount: 1n,
      decimals: 0,
    }),
  ];
}

/** A collection's new supply limit: its group's maximum size (never below its members). */
export function setGroupMaxSize(payer: TransactionSigner, group: Address, maxSize: bigint) {
  return [getUpdateTokenGroupMaxSizeInstruction({ group, updateAuthority: payer, maxSize })];
}

// What each chain job sends on Solana: its instructions, from the job and Herald's records.
import type { Address, Instruction, TransactionSigner } from "@solana/kit";
import { findAssociatedTokenPda, TOKEN_2022_PROGRAM_ADDRESS } from "@solana-program/token-2022";
import {
  isRewardJob,
  type ChainJob,
  type Collection,
  type Nft,
} from "../../core/chain/chain-types.js";
import type { Ledger } from "./ledger/ledger.js";
import {
  burnNft,
  createCollection,
  mintNft,
  setGroupMaxSize,
  transferNft,
  updateNft,
} from "./token/instructions.js";
import {
  mintSizes,
  nftExtensions,
  rentExempt,
  UNLIMITED_GROUP,
  type OnChainMetadata,
} from "./token/layout.js";

/** What a job's instructions need besides the job: its records and the cluster's state. */
export interface JobContext {
  payer: TransactionSigner;
  ledger: Ledger;
  collection: Collection | null;
  nft: Nft | null;
  /** The new mint a collection or an NFT creates (the same one on every attempt). */
  newMint: TransactionSigner | null;
}

export type JobInstructions = Instruction[] | "wait" | { fail: string };

export const tokenAccountOf = async (owner: string, mint: string): Promise<Address> =>
  (
    await findAssociatedTokenPda({
      owner: owner as Address,
      mint: mint as Address,
      tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
    })
  )[0];

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** The on-chain metadata of an NFT: its name, its collection's symbol, its token URI. */
export function nftMetadata(
  metadata: Record<string, unknown>,
  collection: Collection,
  uri: string,
): OnChainMetadata {
  return { name: text(metadata.name), symbol: text(collection.metadata.symbol), uri };
}

/** Whether a job creates a mint (its address is known before it is sent). */
export const createsMint = (job: ChainJob): boolean => job.kind === "deploy" || job.kind === "mint";

export async function instructionsFor(job: ChainJob, ctx: JobContext): Promise<JobInstructions> {
  const { payer, collection, nft, newMint } = ctx;
  if (isRewardJob(job)) return { fail: "rewards run on EVM chains only" };
  if (job.kind === "deploy") {
    const { name, symbol, supplyLimit } = job.payload;
    const maxSize = supplyLimit > 0 ? BigInt(supplyLimit) : UNLIMITED_GROUP;
    return createCollection(payer, newMint!, { name, symbol, uri: "" }, maxSize);
  }
  if (!collection) return { fail: "the collection does not exist" };
  if (collection.status === "failed") return { fail: "the collection's deployment failed" };
  if (collection.status !== "deployed" || !collection.contractAddress) return "wait";
  const group = collection.contractAddress as Address;
  if (job.kind === "setSupplyLimit") {
    const limit = job.payload.supplyLimit;
    return setGroupMaxSize(payer, group, limit > 0 ? BigInt(limit) : UNLIMITED_GROUP);
  }
  if (!nft) return { fail: "the NFT does not exist" };
  if (job.kind === "mint") {
    const owner = job.payload.to as Address;
    const metadata = nftMetadata(nft.metadata, collection, job.payload.tokenUri);
    const account = await tokenAccountOf(owner, newMint!.address);
    return mintNft(payer, newMint!, group, owner, account, metadata);
  }
  const mint = nft.tokenId as Address | null;
  if (!mint) return { fail: "the NFT was never minted" };
  switch (job.kind) {
    case "update": {
      const metadata = nftMetadata(
        job.payload.metadata ?? nft.metadata,
        collection,
        job.payload.tokenUri,
      );
      const account = await ctx.ledger.account(mint);
      if (!account) return { fail: "the NFT's mint account no longer exists (burned?)" };
      const size = mintSizes(nftExtensions(mint, payer.address, group, metadata)).final;
      const topUp = rentExempt(size) - account.lamports;
      return updateNft(payer, mint, metadata, topUp);
    }
    case "burn":
      return burnNft(payer, mint, await tokenAccountOf(job.payload.from ?? nft.owner, mint));
    case "transfer": {
      const { from, to } = job.payload;
      const [source, destination] = await Promise.all([
        tokenAccountOf(from, mint),
        tokenAccountOf(to, mint),
      ]);
      return transferNft(payer, mint, source, destination, to as Address);
    }
  }
}

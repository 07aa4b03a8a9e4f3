// What a chain job's outcome changes, per kind: the records (collection, NFT) and the data of
// its action's webhook, in Crossmint's shapes. Pure: ChainResults reads the records before and
// writes the effect in one transaction.
import type { RewardPatch } from "../interfaces.js";
import {
  EVM_ON_CHAIN_NAMES,
  type Collection,
  type ChainJob,
  type Nft,
  type OnChainNames,
  type RewardJob,
} from "./chain-types.js";
import { ownerFields } from "./custodial-owners.js";

/** What happened to a job's transaction, as the chain module saw it. */
export interface ChainOutcome {
  status: "success" | "reverted";
  txHash: string | null;
  contractAddress?: string;
  tokenId?: string;
  revert?: {
    reason: string;
    functionName: string;
    arguments: Record<string, unknown>;
    calldata: string;
  };
  /** The transaction could never be sent (its request cannot be encoded, say): why. */
  unsendable?: string;
  /** The transaction ran and failed, and the chain has no revert data (Solana): the program's
   * error, decoded into one line. */
  programError?: string;
}

export type CollectionPatch = Partial<
  Pick<Collection, "status" | "contractAddress" | "supplyLimit" | "metadata">
>;
export type NftPatch = Partial<
  Pick<Nft, "status" | "tokenId" | "txId" | "metadata" | "owner" | "tokenUri">
>;

export interface JobEffect {
  collection?: CollectionPatch;
  nft?: NftPatch;
  reward?: RewardPatch;
  /** The action's data, which its webhook carries. */
  data: Record<string, unknown>;
}

const REVERT_MESSAGES: Record<ChainJob["kind"], string> = {
  deploy: "Collection deployment reverted. Check 'revertReason' for details",
  mint: "Minting smart contract reverted. Check 'revertReason' for details",
  update: "Metadata update reverted. Check 'revertReason' for details",
  burn: "Burn reverted. Check 'revertReason' for details",
  setSupplyLimit: "Supply limit change reverted. Check 'revertReason' for details",
  transfer: "Transfer reverted. Check 'revertReason' for details",
  rewardDeploy: "Rewards contract deployment reverted. Check 'revertReason' for details",
  allocate: "Allocation reverted. Check 'revertReason' for details",
  claim: "Claim reverted. Check 'revertReason' for details",
  withdraw: "Withdraw reverted. Check 'revertReason' for details",
};

/** Crossmint's `error` of a reverted action. */
function revertError(job: ChainJob, revert: NonNullable<ChainOutcome["revert"]>) {
  return {
    reason: "execution_reverted",
    message: REVERT_MESSAGES[job.kind],
    revertReason: revert.reason,
    callInfo: {
      functionName: revert.functionName,
      arguments: revert.arguments,
      calldata: revert.calldata,
    },
  };
}

/** The `error` of a failed action: the revert, or why the transaction could not be sent. */
function failureOf(job: ChainJob, outcome: ChainOutcome): { error?: Record<string, unknown> } {
  if (outcome.revert) return { error: revertError(job, outcome.revert) };
  if (outcome.unsendable) {
    return { error: { reason: "invalid_transaction", message: outcome.unsendable } };
  }
  if (outcome.programError) {
    return { error: { reason: "program_error", message: outcome.programError } };
  }
  return {};
}

/**
 * The effect of `outcome` on `job`'s records and webhook. `nft` is the job's NFT as recorded
 * (null for a collection's jobs); `collection` its collection, for the contract address.
 */
export function jobEffect(
  job: ChainJob,
  outcome: ChainOutcome,
  collection: Collection | null,
  nft: Nft | null,
  names: OnChainNames = EVM_ON_CHAIN_NAMES,
): JobEffect {
  const ok = outcome.status === "success";
  const contractAddress = outcome.contractAddress ?? collection?.contractAddress ?? undefined;
  const tokenIdOf = (tokenId: string | null | undefined) =>
    tokenId ? { [names.tokenId]: tokenId } : {};
  const base = {
    chain: job.chain,
    ...(outcome.txHash ? { txId: outcome.txHash } : {}),
    collection: {
      id: job.collectionId,
      ...(contractAddress ? { [names.collectionAddress]: contractAddress } : {}),
    },
  };
  const failure = ok ? {} : failureOf(job, outcome);
  switch (job.kind) {
    case "rewardDeploy":
    case "allocate":
    case "claim":
    case "withdraw":
      return rewardJobEffect(job, outcome, failure);
    case "deploy":
      return {
        collection: ok
          ? { status: "deployed", contractAddress: outcome.contractAddress ?? null }
          : { status: "failed" },
        data: { ...base, ...failure },
      };
    case "setSupplyLimit": {
      const { supplyLimit, changes, metadata } = job.payload;
      return {
        ...(ok
          ? { collection: { supplyLimit: supplyLimit || null, ...(metadata ? { metadata } : {}) } }
          : {}),
        data: { ...base, changes, ...failure },
      };
    }
    case "mint": {
      const owner = nft!.owner;
      const recipient = { walletAddress: owner, ...(nft!.email ? ownerFields(nft!.email) : {}) };
      const token = ok
        ? { id: job.nftId, owner: { walletAddress: owner }, ...tokenIdOf(outcome.tokenId) }
        : { id: job.nftId };
      return {
        nft: ok
          ? { status: "minted", tokenId: outcome.tokenId ?? null, txId: outcome.txHash }
          : { status: "failed" },
        data: { ...base, recipient, token, ...failure },
      };
    }
    case "transfer": {
      const { from, to } = job.payload;
      const token = {
        id: job.nftId,
        owner: { walletAddress: ok ? to : from },
        ...tokenIdOf(job.payload.tokenId),
      };
      return {
        ...(ok ? { nft: { owner: to } } : {}),
        data: {
          ...base,
          token,
          from: { walletAddress: from },
          to: { walletAddress: to },
          ...failure,
        },
      };
    }
    case "update":
    case "burn": {
      const token = {
        id: job.nftId,
        owner: { walletAddress: nft!.owner },
        ...(names === EVM_ON_CHAIN_NAMES ? { tokenId: nft!.tokenId } : tokenIdOf(nft!.tokenId)),
      };
      const patch: NftPatch | undefined = !ok
        ? undefined
        : job.kind === "burn"
          ? { status: "burned" }
          : job.payload.metadata
            ? { metadata: job.payload.metadata, tokenUri: job.payload.externalTokenUri ?? null }
            : undefined;
      return {
        ...(patch ? { nft: patch } : {}),
        data: {
          ...base,
          token,
          ...(job.kind === "update" ? { changes: ["metadata"] } : {}),
          ...failure,
        },
      };
    }
  }
}

/** A reward's job: the deployment sets the reward's state; the operations' state is their
 * action's. The action's data names the reward, the operation and the transaction. */
function rewardJobEffect(
  job: RewardJob,
  outcome: ChainOutcome,
  failure: { error?: Record<string, unknown> },
): JobEffect {
  const ok = outcome.status === "success";
  const address = outcome.contractAddress;
  const data = {
    chain: job.chain,
    ...(outcome.txHash ? { txId: outcome.txHash } : {}),
    reward: { id: job.collectionId, ...(address ? { contractAddress: address } : {}) },
    ...(job.nftId !== null ? { operation: { id: job.nftId, ...job.payload } } : {}),
    ...failure,
  };
  if (job.kind !== "rewardDeploy") return { data };
  return {
    reward: ok ? { status: "deployed", contractAddress: address ?? null } : { status: "failed" },
    data,
  };
}

/**
 * What a reorg takes back when it removes a confirmed job's block: the records go back to how
 * they were before the job (the action goes back to pending with them).
 */
export function jobReversal(
  job: ChainJob,
  nft: Pick<Nft, "owner"> | null = null,
): { collection?: CollectionPatch; nft?: NftPatch; reward?: RewardPatch } {
  switch (job.kind) {
    case "deploy":
      return { collection: { status: "pending" } };
    case "rewardDeploy":
      return { reward: { status: "deploying", contractAddress: null } };
    case "mint":
      return { nft: { status: "pending", tokenId: null, txId: null } };
    case "burn":
      return { nft: { status: "minted" } };
    case "transfer":
      // Only a transfer that moved the token gives it back (a reverted one moved nothing).
      return nft?.owner === job.payload.to ? { nft: { owner: job.payload.from } } : {};
    default:
      return {};
  }
}

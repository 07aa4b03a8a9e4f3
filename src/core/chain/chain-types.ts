// Chain-module records that cross the boundaries between core, store, api and chain.
import type { EventRecord, NewEvent } from "../interfaces.js";

export type CollectionStatus = "pending" | "deployed" | "failed";
export type NftStatus = "pending" | "minted" | "failed" | "burned";
/** `confirmed`: mined to the confirmation depth and its action completed, not final yet. */
export type ChainJobStatus = "queued" | "sent" | "confirmed" | "done" | "failed";

/** A block, as a job's transaction was mined in it (to tell a reorg). */
export interface BlockRef {
  number: number;
  hash: string;
}

export interface Collection {
  projectId: string;
  id: string;
  chain: string;
  metadata: Record<string, unknown>;
  fungibility: "non-fungible" | "semi-fungible";
  transferable: boolean;
  /** Its contract has custody (mintToCustody, custodyTransfer): collections created before
   * custody existed have not, and are minted and burned as before, never transferred. */
  custody?: boolean;
  supplyLimit: number | null;
  status: CollectionStatus;
  contractAddress: string | null;
  actionId: string;
  createdAt: number;
  updatedAt: number;
}

export interface Nft {
  projectId: string;
  collectionId: string;
  id: string;
  /** As given: `<chain>:<address>` or `email:<email>:<chain>`. */
  recipient: string;
  email: string | null;
  /** The address the token is (to be) minted to. */
  owner: string;
  metadata: Record<string, unknown>;
  tokenId: string | null;
  status: NftStatus;
  txId: string | null;
  actionId: string;
  /** The caller's id of a PUT mint: repeating it gives this NFT again. */
  idempotencyKey: string | null;
  /** Metadata published elsewhere (given as a URL); null: Herald serves it at its own URL. */
  tokenUri: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface Wallet {
  projectId: string;
  /** The owner key (custodial-owners.ts): the email lower-cased, or `userId:<id>`. */
  email: string;
  chain: string;
  address: string;
  createdAt: number;
}

/** A minted NFT a wallet holds, with its collection's contract. */
export interface HeldNft {
  nft: Nft;
  contractAddress: string;
}

/** A deployment's constructor arguments. */
export interface DeployPayload {
  name: string;
  symbol: string;
  /** 0: no limit. */
  supplyLimit: number;
}

/** A collection's new supply limit (0: none) and what else its update changes. */
export interface SupplyLimitPayload {
  supplyLimit: number;
  /** What the update changes, as its webhook reports it (`supplyLimit`, `metadata`). */
  changes: string[];
  /** The collection's new metadata, recorded when the change succeeds. */
  metadata?: Record<string, unknown>;
}

export interface MintPayload {
  /** The recipient's address. */
  to: string;
  tokenUri: string;
  /** The recipient is a custodial wallet: the token is minted in custody, so Herald can move it
   * on the holder's behalf (a transfer). Absent in jobs queued before custody existed. */
  custody?: boolean;
}

/** A token in custody moved on its holder's behalf. */
export interface TransferPayload {
  tokenId: string;
  /** The holder when the transfer was asked (a reorg gives the token back to it). */
  from: string;
  to: string;
  /** `to` is a custodial wallet too: the token stays in custody. */
  keepInCustody: boolean;
}

/** An edit or a burn of a minted token. */
export interface TokenPayload {
  tokenId: string;
  tokenUri: string;
  /** An edit's new metadata, recorded when the edit succeeds. */
  metadata?: Record<string, unknown>;
  /** An edit's token URI when its metadata is published elsewhere; null: Herald serves it. */
  externalTokenUri?: string | null;
  /** A burn on behalf of this holder (Original's): it must still hold the token. */
  from?: string;
}

/** A rewards contract's deployment (HeraldRewards): its token and its pool. */
export interface RewardDeployPayload {
  name: string;
  symbol: string;
  withdrawReceiver: string;
  /** Token units minted into the pool, as a decimal integer. */
  initialSupply: string;
}

/** Tokens moved from the pool to `to` (an allocation) under the caller's `nonce`. */
export interface AllocatePayload {
  to: string;
  amount: string;
  nonce: string;
}

/** A holder's tokens moved to `to` on its behalf (a claim). */
export interface ClaimPayload {
  from: string;
  to: string;
  amount: string;
}

/** What a job does: its kind, the NFT it acts on (none for a collection's jobs), its arguments. */
export type ChainJobSpec =
  | { kind: "deploy"; nftId: null; payload: DeployPayload }
  | { kind: "setSupplyLimit"; nftId: null; payload: SupplyLimitPayload }
  | { kind: "mint"; nftId: string; payload: MintPayload }
  | { kind: "update"; nftId: string; payload: TokenPayload }
  | { kind: "burn"; nftId: string; payload: TokenPayload }
  | { kind: "transfer"; nftId: string; payload: TransferPayload }
  // A reward's jobs: `collectionId` is the reward's id, `nftId` its operation's.
  | { kind: "rewardDeploy"; nftId: null; payload: RewardDeployPayload }
  | { kind: "allocate"; nftId: string; payload: AllocatePayload }
  | { kind: "claim"; nftId: string; payload: ClaimPayload }
  | { kind: "withdraw"; nftId: string; payload: Record<string, never> };

/** The kinds that act on a rewards contract rather than a collection. */
export const REWARD_JOB_KINDS = ["rewardDeploy", "allocate", "claim", "withdraw"] as const;
export type RewardJob = Extract<ChainJob, { kind: (typeof REWARD_JOB_KINDS)[number] }>;

export function isRewardJob(job: ChainJob): job is RewardJob {
  return (REWARD_JOB_KINDS as readonly string[]).includes(job.kind);
}

export type ChainJobKind = ChainJobSpec["kind"];

interface ChainJobRecord {
  id: string;
  projectId: string;
  chain: string;
  /** The collection the job acts on (or deploys); a reward's jobs: the reward. */
  collectionId: string;
  actionId: string;
  status: ChainJobStatus;
  /** The transaction manager's record, persisted before every broadcast. */
  txRecord: unknown | null;
  /** Where the transaction was mined, while the job is `confirmed`. */
  minedBlock: BlockRef | null;
  runAt: number;
  createdAt: number;
  updatedAt: number;
  /** The W3C traceparent of the request that asked for it: its spans and its event join it. */
  traceParent?: string | null;
  /** The request's fee ceiling (wei, decimal text): its transaction offers no more per gas. */
  maxFeePerGas?: string | null;
}

export type ChainJob = ChainJobRecord & ChainJobSpec;

export type NewChainJob = Omit<ChainJobRecord, "status" | "txRecord" | "minedBlock" | "updatedAt"> &
  ChainJobSpec;

/** Jobs with the same key are sent in order (an NFT's edit, then its burn); others concurrently. */
export function sendOrderKey(job: ChainJob): string {
  return job.nftId === null ? job.collectionId : `${job.collectionId}/${job.nftId}`;
}

export interface ChainAccount {
  chain: string;
  address: string;
  privateKeyEnc: string;
}

/** A Crossmint recipient string, parsed: `<chain>:<address>` or `email:<email>:<chain>`. */
/** A custodial wallet's owner: an email, or a user id the project chose (Crossmint's `userId`). */
export type CustodialOwner = { email: string } | { userId: string };

export type Recipient =
  | { kind: "address"; chain: string; address: string }
  | { kind: "email"; chain: string; email: string }
  | { kind: "userId"; chain: string; userId: string };

export type ParsedRecipient = { ok: true; recipient: Recipient } | { ok: false; message: string };

/** A log the chain watcher turned into Herald's records: published once, whatever happens. */
export interface ObservedLog {
  /** A log recorded before that a reorg removed: its record is forgotten (it is published
   * again should it come back), and `event` (the announcement) and `nft` (the change undone)
   * apply only if it was still recorded. */
  undone?: boolean;
  txHash: string;
  /** The log's place among its transaction's logs of managed collections. */
  position: number;
  blockNumber: number;
  event: NewEvent | null;
  /** The change it makes to Herald's record of the token, if Herald has one. */
  nft?: {
    projectId: string;
    collectionId: string;
    id: string;
    patch: Partial<Pick<Nft, "status" | "owner">>;
  };
}

/** A log the watcher recorded, with the event it published (none for a log of no project's). */
export interface RecordedLog {
  txHash: string;
  position: number;
  blockNumber: number;
  event: EventRecord | null;
}

/** How Crossmint's shapes name a collection's on-chain address and a token's on-chain id on a
 * chain: EVM's `contractAddress` and `tokenId`, Solana's `mintAddress` and `mintHash`. */
export interface OnChainNames {
  collectionAddress: string;
  tokenId: string;
  /** An NFT's `onChain` names its collection's address too (EVM: yes; Solana: the mint alone). */
  nftNamesCollection: boolean;
}

export const EVM_ON_CHAIN_NAMES: OnChainNames = {
  collectionAddress: "contractAddress",
  tokenId: "tokenId",
  nftNamesCollection: true,
};

export interface ChainInfo {
  name: string;
  /** The chain family whose adapter runs it (`evm`). */
  family: string;
  /** The network's numeric id where the family has one (EVM's chain id). */
  chainId: number;
  /** Blocks on top of the transaction's before it counts as confirmed (1 = mined). */
  confirmations: number;
  /** Depth from which a block is final: until then a reorg sends its actions back to pending. */
  finality: number;
  /** null: the family's embedded in-process chain. The preferred node where there are several. */
  rpcUrl: string | null;
  /** Every node of the chain, the preferred first, when the entry gives several (`rpcUrls`):
   * requests fail over between them. */
  rpcUrls?: string[];
  /** Not mined after this long: the transaction is replaced (sent again with higher fees). */
  replaceAfterMs: number;
  /** The signer's key, when the operator brings one; otherwise one is generated and stored sealed. */
  privateKey?: string;
  /** A signer pool: the operator's keys (the first one is `privateKey`'s place), or `signers`
   * keys generated and stored sealed. Jobs are spread over them, each with its own nonces. */
  privateKeys?: string[];
  signers?: number;
  /** Transactions one signer may have pending at once (public nodes refuse more than 16). */
  maxPendingPerSigner?: number;
  /** Queued mints of one collection sent in one transaction, at most this many (1: each in
   * its own). */
  mintBatch?: number;
  /** Below this balance (the smallest unit: wei) a signer is left out of new work, and
   * `signer.balance_low` is published once per crossing. */
  signerBalanceLow?: string;
  /** The most any transaction offers per gas (wei): a send is capped at it, and waits rather
   * than pay more. */
  maxFeePerGas?: string;
  /** Where the family has levels of confirmation (Solana): the one an action completes at. */
  commitment?: "confirmed" | "finalized";
  /** Solana's priority fee, micro-lamports per compute unit: the first attempt's, and the most a
   * transaction re-signed after expiring is raised to. */
  computeUnitPrice?: number;
  maxComputeUnitPrice?: number;
  /** Solana's WebSocket endpoint, where the operator names one. */
  wsUrl?: string;
  /** The family's names in Crossmint's shapes; EVM's when absent. */
  onChainNames?: OnChainNames;
}

/** The fields every family shares, as parseChains checked them. */
export type ChainBase = Pick<ChainInfo, "name" | "family" | "confirmations" | "rpcUrl" | "rpcUrls">;

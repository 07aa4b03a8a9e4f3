// Chain-module records that cross the boundaries between core, store, api and chain.
import type { NewEvent } from "../interfaces.js";

export type CollectionStatus = "pending" | "deployed" | "failed";
export type NftStatus = "pending" | "minted" | "failed" | "burned";
export type ChainJobKind = "deploy" | "mint" | "update" | "burn" | "setSupplyLimit";
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
  createdAt: number;
  updatedAt: number;
}

export interface Wallet {
  projectId: string;
  email: string;
  chain: string;
  address: string;
  createdAt: number;
}

export interface ChainJob {
  id: string;
  projectId: string;
  chain: string;
  kind: ChainJobKind;
  /** The collection id, or `<collectionId>/<nftId>`. */
  subject: string;
  actionId: string;
  payload: Record<string, unknown>;
  status: ChainJobStatus;
  /** The transaction manager's record, persisted before every broadcast. */
  txRecord: unknown | null;
  /** Where the transaction was mined, while the job is `confirmed`. */
  minedBlock: BlockRef | null;
  runAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface ChainAccount {
  chain: string;
  address: string;
  privateKeyEnc: string;
}

/** A Crossmint recipient string, parsed: `<chain>:<address>` or `email:<email>:<chain>`. */
export type Recipient =
  | { kind: "address"; chain: string; address: string }
  | { kind: "email"; chain: string; email: string };

export type ParsedRecipient = { ok: true; recipient: Recipient } | { ok: false; message: string };

/** A log the chain watcher turned into Herald's records: published once, whatever happens. */
export interface ObservedLog {
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

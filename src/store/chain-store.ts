import type {
  ChainAccount,
  ChainJob,
  ChainJobStatus,
  Collection,
  Nft,
  Wallet,
} from "../core/chain-types.js";
import type { Action, NewEvent, Page } from "../core/interfaces.js";
import type { PageRequest } from "./store.js";

export type NewChainJob = Omit<ChainJob, "status" | "txRecord" | "updatedAt">;

/** What the chain module keeps: collections, NFTs, custodial wallets, signers and its job queue. */
export interface ChainStore {
  getChainAccount(chain: string): Promise<ChainAccount | null>;
  /** Saves the account unless one exists for the chain; returns the one that counts. */
  saveChainAccount(account: ChainAccount, at: number): Promise<ChainAccount>;

  createCollection(
    collection: Collection,
    action: Action,
    job: NewChainJob,
  ): Promise<{ created: boolean; collection: Collection }>;
  getCollection(projectId: string, id: string): Promise<Collection | null>;
  listCollections(projectId: string, page: PageRequest): Promise<Page<Collection>>;
  updateCollection(
    projectId: string,
    id: string,
    patch: Partial<Pick<Collection, "status" | "contractAddress" | "supplyLimit" | "metadata">>,
    at: number,
  ): Promise<void>;

  createNft(nft: Nft, action: Action, job: NewChainJob): Promise<{ created: boolean; nft: Nft }>;
  getNft(projectId: string, collectionId: string, id: string): Promise<Nft | null>;
  listNfts(projectId: string, collectionId: string, page: PageRequest): Promise<Page<Nft>>;
  updateNft(
    projectId: string,
    collectionId: string,
    id: string,
    patch: Partial<Pick<Nft, "status" | "tokenId" | "txId" | "metadata" | "owner">>,
    at: number,
  ): Promise<void>;
  /** An edit, burn or supply change: its pending action and its job, in one transaction. */
  queueOperation(action: Action, job: NewChainJob): Promise<void>;

  getWallet(projectId: string, email: string, chain: string): Promise<Wallet | null>;
  ensureWallet(wallet: Wallet, event: NewEvent): Promise<{ created: boolean; wallet: Wallet }>;

  /** Unfinished jobs, oldest first: all of them, or only those `queued` or `sent`. */
  listOpenChainJobs(chain: string, limit: number, status?: "queued" | "sent"): Promise<ChainJob[]>;
  updateChainJob(
    id: string,
    patch: { status?: ChainJobStatus; txRecord?: unknown; runAt?: number },
    at: number,
  ): Promise<void>;
}

import type {
  BlockRef,
  ChainAccount,
  ChainJob,
  ChainJobStatus,
  Collection,
  HeldNft,
  NewChainJob,
  Nft,
  ObservedLog,
  RecordedLog,
  Wallet,
} from "../chain/chain-types.js";
import type { CollectionPatch, NftPatch } from "../chain/job-effects.js";
import type {
  Action,
  NewEvent,
  Page,
  PageRequest,
  PublishedEvent,
  RewardPatch,
} from "../interfaces.js";

export type { NewChainJob };

/** What a job's progress changes; `null` clears a field, `undefined` keeps it. */
export interface ChainJobPatch {
  status?: ChainJobStatus;
  txRecord?: unknown;
  minedBlock?: BlockRef | null;
  runAt?: number;
  /** Apply only if the job is in this status now (a send claims a queued job). */
  onlyIf?: ChainJobStatus;
}

/** A chain job's outcome, written in one transaction (see ChainResults.finish). */
export interface ChainJobFinish {
  job: ChainJob;
  collection?: CollectionPatch;
  nft?: NftPatch;
  /** A reward's job: the reward's new state (its deployment's). */
  reward?: RewardPatch;
  /** The action's completion and its event (none: null); skipped when the action is no longer
   * pending (a finish run again after a crash). */
  action: {
    status: "succeeded" | "failed";
    data: unknown;
    buildEvent: (action: Action) => NewEvent | null;
  };
  /** The job's new status: `confirmed` (watched until final, at `minedBlock`), `done`, `failed`. */
  status: ChainJobStatus;
  minedBlock: BlockRef | null;
  at: number;
}

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
    patch: CollectionPatch,
    at: number,
  ): Promise<void>;

  /** The NFT, its action and its mint job; the existing NFT for a known id; or `limitReached`
   * when the collection already holds `supplyLimit` NFTs that are not failed. */
  createNft(
    nft: Nft,
    action: Action,
    job: NewChainJob,
    supplyLimit: number | null,
  ): Promise<{ created: boolean; nft: Nft } | { limitReached: true }>;
  /** The NFTs, their actions and mint jobs in one transaction: all, or none when the collection
   * holds `supplyLimit` NFTs that are not failed (`limitReached`). An NFT minted before with
   * the same id or idempotency key is given back (`created: false`) instead. */
  createNfts(
    items: Array<{ nft: Nft; action: Action; job: NewChainJob }>,
    supplyLimit: number | null,
  ): Promise<Array<{ created: boolean; nft: Nft }> | { limitReached: true }>;
  getNft(projectId: string, collectionId: string, id: string): Promise<Nft | null>;
  /** The NFT a PUT with this idempotency key minted. */
  getNftByKey(projectId: string, collectionId: string, key: string): Promise<Nft | null>;
  listNfts(projectId: string, collectionId: string, page: PageRequest): Promise<Page<Nft>>;
  updateNft(
    projectId: string,
    collectionId: string,
    id: string,
    patch: NftPatch,
    at: number,
  ): Promise<void>;
  /** An edit, burn or supply change: its pending action and its job, in one transaction. */
  queueOperation(action: Action, job: NewChainJob): Promise<void>;

  getWallet(projectId: string, email: string, chain: string): Promise<Wallet | null>;
  /** Records the wallet once; the first time, its events are published with it. */
  ensureWallet(wallet: Wallet, events: NewEvent[]): Promise<{ created: boolean; wallet: Wallet }>;
  /** An owner's wallets (`ownerKey` as the wallets table keeps it), by chain name. */
  listWallets(projectId: string, ownerKey: string): Promise<Wallet[]>;
  /** The minted, unburned NFTs whose owner is `address`, in collections on `chain`, newest
   * first; `offset` of them skipped, at most `limit`. */
  listWalletNfts(
    projectId: string,
    chain: string,
    address: string,
    page: { offset: number; limit: number },
  ): Promise<HeldNft[]>;

  /** Unfinished jobs, oldest first: all of them, or only those in one open status. */
  listOpenChainJobs(
    chain: string,
    limit: number,
    status?: "queued" | "sent" | "confirmed",
  ): Promise<ChainJob[]>;
  /** Queued jobs that can be sent (not waiting for their collection's deployment), oldest
   * first; with `now`, only those due by then (a failed send waits until its `runAt`). */
  listSendableChainJobs(chain: string, limit: number, now?: number): Promise<ChainJob[]>;
  /** Whether the patch was applied (false: no such job, or not in `onlyIf`). */
  updateChainJob(id: string, patch: ChainJobPatch, at: number): Promise<boolean>;
  /** Records, action and job as `finish` says, together; the completed action and its event,
   * or null when the action was not pending. */
  finishChainJob(
    finish: ChainJobFinish,
  ): Promise<{ action: Action; event: PublishedEvent | null } | null>;
  /** Back to `sent`, its action back to `pending` and its records as before it (`jobReversal`),
   * in one transaction; the action as it is now. */
  reopenChainJob(
    job: ChainJob,
    at: number,
    /** The event announcing it, from the action as it was (completed); published with it. */
    announce?: (completed: Action) => NewEvent | null,
  ): Promise<Action | null>;

  /** The chain watcher's last processed block. */
  getChainCursor(chain: string): Promise<BlockRef | null>;
  /** Collections with a contract on the chain, of every project. */
  listDeployedCollections(chain: string): Promise<Collection[]>;
  getNftByTokenId(projectId: string, collectionId: string, tokenId: string): Promise<Nft | null>;
  findWalletByAddress(projectId: string, chain: string, address: string): Promise<Wallet | null>;
  /** The logs recorded in blocks `fromBlock` to `toBlock`, with the events they published. */
  listObservedLogs(chain: string, fromBlock: number, toBlock: number): Promise<RecordedLog[]>;
  /** The logs' events and record changes (each log once, ever) and the new cursor, together.
   * Returns the number of deliveries queued. */
  recordObservedLogs(
    chain: string,
    cursor: BlockRef,
    logs: ObservedLog[],
    at: number,
  ): Promise<number>;
}

// What the Solana runner needs of a cluster: the embedded LiteSVM runtime and a JSON-RPC
// cluster both answer it (embedded-ledger.ts, rpc-ledger.ts).
import type { TxError } from "../errors.js";

export type Commitment = "confirmed" | "finalized";

export interface RecentBlockhash {
  blockhash: string;
  /** The transaction can land while the block height is at most this. */
  lastValidBlockHeight: bigint;
}

/** A transaction the cluster has seen. */
export interface LandedTx {
  slot: bigint;
  /** null: it succeeded. */
  err: TxError | null;
  /** How deep it is: `processed` (in a block), `confirmed`, `finalized`. */
  commitment: "processed" | Commitment;
}

export interface LedgerAccount {
  lamports: bigint;
  owner: string;
  data: Uint8Array;
}

/** The cluster refused a transaction before running it (preflight, a stale blockhash, …). */
export class TxRejectedError extends Error {
  constructor(
    readonly txError: TxError | null,
    message: string,
    /** The program's log lines, when the node simulated it. */
    readonly logs: readonly string[] = [],
  ) {
    super(message);
  }
}

/** A transaction that executed successfully, in the cluster's order (the watcher's feed). */
export interface FeedEntry {
  /** Its place in the feed, from 0. */
  position: number;
  signature: string;
  slot: bigint;
  wire: Uint8Array;
}

/** A transaction that touched an address, as a cluster's history lists it. */
export interface SignatureInfo {
  signature: string;
  slot: bigint;
  failed: boolean;
}

/** A cluster's per-address history: how the watcher follows managed mints where the cluster
 * keeps no feed of its own (a JSON-RPC cluster). */
export interface LedgerHistory {
  /** The latest slot at the configured commitment. */
  slot(): Promise<bigint>;
  /** The transactions that touched `address`, newest first, at most `limit`, older than
   * `before` (a signature) when given. */
  signaturesFor(address: string, limit: number, before?: string): Promise<SignatureInfo[]>;
  /** A landed transaction's wire bytes, or null when the cluster does not know it. */
  wireOf(signature: string): Promise<Uint8Array | null>;
}

export interface Ledger {
  /** Successful transactions from `position` on, at most `limit`: where the cluster keeps its
   * own ordered feed (the embedded one); absent elsewhere. */
  landedSince?(position: number, limit: number): FeedEntry[];
  /** How many entries the feed has: where a new watcher starts. */
  feedLength?(): number;
  /** Per-address history, where the cluster has no feed (JSON-RPC clusters). */
  history?: LedgerHistory;
  latestBlockhash(): Promise<RecentBlockhash>;
  blockHeight(): Promise<bigint>;
  /** Sends a signed transaction (wire bytes). Resolves when the node took it, not when it
   * landed; throws TxRejectedError when the node refused it outright. */
  send(wire: Uint8Array): Promise<void>;
  /** What became of each signature (null: the cluster does not know it). */
  statuses(signatures: readonly string[]): Promise<(LandedTx | null)[]>;
  /** A failed transaction's log lines, if the cluster kept them. */
  logs(signature: string): Promise<readonly string[]>;
  account(address: string): Promise<LedgerAccount | null>;
  balance(address: string): Promise<bigint>;
  close(): Promise<void>;
}

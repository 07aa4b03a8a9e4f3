// The types the transaction manager shares with its callers (the chain jobs persist TxRecord).
import type {
  Abi,
  Address,
  Chain,
  Hex,
  PublicClient,
  TransactionReceipt,
  WalletClient,
} from "viem";
import type { BlockReceipts } from "./block-receipts.js";

/** What the caller persists after each change (the store does it, not the manager). */
export interface TxRecord {
  /** The signer that sent it (absent in records from before signer pools: the first signer). */
  from?: Address;
  nonce: number;
  /** Every signed raw transaction sent for this nonce, oldest first (replacements append). */
  raw: Hex[];
  /** keccak256 of each raw, same order. */
  hashes: Hex[];
  /** The fees of the newest raw. */
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** When the newest raw was signed (ms since the epoch); replacement counts from here. */
  sentAt: number;
  /** The request's own fee ceiling, when it set one under the chain's: replacements keep to
   * it too. */
  maxFeePerGasCeiling?: bigint;
  /** The chain jobs one batch transaction carries (a collection's mints), in the order of its
   * calls: the runner's, stored with each of them; the manager carries it along. */
  jobs?: string[];
}

export interface TxOutcome {
  status: "success" | "reverted";
  receipt: TransactionReceipt;
  /** The hash that was mined: any of the record's hashes (a replacement's, after congestion). */
  hash: Hex;
  blockNumber: bigint;
  /** Compare with the chain later (`confirmationsOf`) to notice a reorg. */
  blockHash: Hex;
}

export interface TxRequest {
  /** Omitted: a contract deployment (`data` = bytecode + constructor arguments). */
  to?: Address;
  data: Hex;
  /** Omitted: the node's estimate + 20 %. Give it when the call may revert, or depends on a
   * transaction not mined yet: the estimate runs against the node's current state. */
  gas?: bigint;
  value?: bigint;
  /** Only to decode a reverting gas estimate (custom errors, the call's arguments). */
  abi?: Abi;
  /** This transaction's own fee ceiling (the request's), below the chain's: the lower holds. */
  maxFeePerGas?: bigint;
}

export interface TxLog {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
}

export interface TxManagerOptions {
  publicClient: PublicClient;
  /** Must carry an `account`; a local account (private key) signs in process. */
  walletClient: WalletClient;
  chain: Chain;
  /** Depth before a transaction counts as confirmed (1 = mined). */
  confirmations: number;
  /** Not mined after this long: re-sent with the same nonce and fees +15 %. */
  replaceAfterMs: number;
  pollIntervalMs: number;
  /** Persist hook, awaited BEFORE each raw transaction is broadcast. Throwing stops the send. */
  onRecord?: (key: string, record: TxRecord) => void | Promise<void>;
  log?: TxLog;
  /** No transaction offers more than this `maxFeePerGas` (default: no ceiling): a send is
   * capped at it, and a replacement that would pass it is not sent. */
  maxFeePerGasCeiling?: bigint;
  /** Fee estimates shared by the managers of one chain (a signer pool): one estimate serves
   * every send within `ttlMs`, instead of two calls per send. */
  feeCache?: FeeCache;
  /** Receipts read a block at a time, shared by the managers of one chain. */
  blockReceipts?: BlockReceipts;
}

export interface FeeCache {
  ttlMs: number;
  at?: number;
  value?: Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }>;
}

/** Fees no higher than the chain's ceiling (none: as they are). A transaction capped below the
 * base fee waits (the node holds or refuses it, and it is sent again later) rather than pay
 * more than the operator allows. */
export function capFees<F extends { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }>(
  fees: F,
  ceiling: bigint | undefined,
): F {
  if (ceiling === undefined) return fees;
  const cap = (fee: bigint) => (fee > ceiling ? ceiling : fee);
  return {
    ...fees,
    maxFeePerGas: cap(fees.maxFeePerGas),
    maxPriorityFeePerGas: cap(fees.maxPriorityFeePerGas),
  };
}

/** Fee bump of a replacement: nodes require +10 % on both fees; +15 % leaves a margin. */
export function bumpFee(previous: bigint, estimate: bigint): bigint {
  const up = (fee: bigint) => (fee * 115n + 99n) / 100n;
  return up(previous > estimate ? previous : estimate);
}

/** How `eth_sendRawTransaction` failed. */
export type BroadcastFailure =
  /** The node already has this exact transaction: as good as sent. */
  | "known"
  /** The nonce is already mined (or, on an automining node, was before this one). */
  | "nonce-too-low"
  /** Another transaction with this nonce is pending and pays as much or more. */
  | "underpriced"
  /** No answer (timeout, connection lost): the node may or may not have it. */
  | "unanswered"
  /** Any other refusal: the node did not take it. */
  | "rejected";

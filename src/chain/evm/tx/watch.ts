// Watching records until their outcome. All waiters of a manager share one view of the chain
// per poll interval (head, mined and pending nonce counts: three calls, however many wait), and
// look up receipts only once their nonce is mined.
import {
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { BlockReceipts } from "./block-receipts.js";
import { TxNonceConsumedError } from "./errors.js";
import type { TxOutcome, TxRecord } from "./types.js";

interface ChainView {
  head: bigint;
  /** The signer's nonce count in the latest block: nonces below are mined. */
  mined: number;
  /** The count including what the node will mine next (not what it cannot include). */
  pending: number;
}

export interface WatchState {
  key: string;
  record: TxRecord;
  /** Seen in an earlier poll: checked again before it counts. */
  receipt?: TransactionReceipt;
  strangerPolls: number;
  lastPresenceCheck: number;
  /** The head when its nonce was last seen unmined: it was mined in a block after it. */
  unminedAt?: bigint;
}

/** What one poll found; none of the flags: mined, waiting for depth. */
export interface WatchStep {
  outcome?: TxOutcome;
  /** Not mined, and the node knows none of the record's hashes. */
  missing?: boolean;
  /** Not mined, the node has it. */
  pending?: boolean;
}

/** Blocks read for a receipt at most; further back (after a restart) it is asked by hash. */
const MAX_SCAN = 4n;

export class OutcomeWatch {
  private cached: { at: number; view: Promise<ChainView> } | undefined;
  /** The signer's mined nonce count as last read: nonces from here on are pending. */
  minedCount: number | undefined;
  /** The head as last read. */
  private lastHead: bigint | undefined;
  private readonly presenceEveryMs: number;

  constructor(
    private readonly client: PublicClient,
    private readonly address: Address,
    private readonly pollIntervalMs: number,
    /** The chain's receipts by block, shared by its signers (absent: one call per receipt). */
    private readonly blocks?: BlockReceipts,
  ) {
    this.presenceEveryMs = Math.max(pollIntervalMs, 1000);
  }

  start(key: string, record: TxRecord): WatchState {
    // A transaction sent now is mined after the head last read (if any was).
    return {
      key,
      record,
      strangerPolls: 0,
      lastPresenceCheck: -Infinity,
      ...(this.lastHead === undefined ? {} : { unminedAt: this.lastHead }),
    };
  }

  async step(state: WatchState, confirmations: number): Promise<WatchStep> {
    const { record } = state;
    const view = await this.view();
    const deep = (r: TransactionReceipt) =>
      (view.head > r.blockNumber ? view.head : r.blockNumber) - r.blockNumber + 1n >=
      BigInt(confirmations);

    if (!state.receipt && view.mined > record.nonce) {
      const found =
        (await this.inBlocksSince(record.hashes, state.unminedAt, view.head)) ??
        (await this.findReceipt(record.hashes));
      if (!found) {
        // The nonce is used by a transaction that is not ours. Polls again first, so a
        // reorg between the count and the lookup does not count.
        state.strangerPolls += 1;
        if (state.strangerPolls >= 3) throw new TxNonceConsumedError(state.key, record.nonce);
        return {};
      }
      state.strangerPolls = 0;
      if (deep(found)) return { outcome: toOutcome(found) };
      state.receipt = found;
      return {};
    }
    state.strangerPolls = 0;

    if (state.receipt) {
      if (!deep(state.receipt)) return {};
      const current = await this.receipt(state.receipt.transactionHash);
      state.receipt = current; // undefined: its block was reorged away
      if (current && deep(current)) return { outcome: toOutcome(current) };
      return {};
    }

    // Not mined. The pending count leaves out what the node holds but cannot include (fees
    // below the base fee), so a low count is only a hint: ask for the hashes themselves.
    state.unminedAt = view.head;
    if (
      view.pending <= record.nonce &&
      Date.now() - state.lastPresenceCheck >= this.presenceEveryMs
    ) {
      state.lastPresenceCheck = Date.now();
      if (!(await this.isKnown(record.hashes))) return { missing: true };
    }
    return { pending: true };
  }

  /** Whether the node has any of the hashes, pending or mined. */
  async isKnown(hashes: Hex[]): Promise<boolean> {
    const found = await Promise.all(
      hashes.map((hash) =>
        this.client.getTransaction({ hash }).then(
          () => true,
          (error: unknown) => {
            if (error instanceof TransactionNotFoundError) return false;
            throw error;
          },
        ),
      ),
    );
    return found.includes(true);
  }

  async confirmationsOf(outcome: TxOutcome): Promise<number> {
    const [receipt, head] = await Promise.all([
      this.receipt(outcome.hash),
      this.client.getBlockNumber({ cacheTime: 0 }),
    ]);
    if (!receipt || receipt.blockHash !== outcome.blockHash) return 0;
    return Number(head - receipt.blockNumber + 1n);
  }

  /** The receipt of one of the hashes, read a block at a time (each block shared with every
   * waiter): in the blocks after `from`, on past `head` (read once per poll interval, it may
   * be a block behind) until a block the node does not have; with `from` unknown, in the last
   * few blocks, newest first. Undefined when not found there, or `from` is too far back. */
  private async inBlocksSince(
    hashes: Hex[],
    from: bigint | undefined,
    head: bigint,
  ): Promise<TransactionReceipt | undefined> {
    const blocks = this.blocks;
    if (!blocks?.usable || (from !== undefined && head - from > MAX_SCAN)) return undefined;
    const numbers: bigint[] = [];
    for (let i = 0n; i < MAX_SCAN; i += 1n) {
      const n = from === undefined ? head - i : from + 1n + i;
      if (n >= 0n) numbers.push(n);
    }
    for (const n of numbers) {
      const receipts = await blocks.of(n);
      if (!receipts) return undefined;
      for (let i = hashes.length - 1; i >= 0; i -= 1) {
        const receipt = receipts.get(hashes[i]!);
        if (receipt) return receipt;
      }
    }
    return undefined;
  }

  /** Newest hash first: after a replacement, the newest is the likely one. */
  private async findReceipt(hashes: Hex[]): Promise<TransactionReceipt | undefined> {
    for (let i = hashes.length - 1; i >= 0; i -= 1) {
      const receipt = await this.receipt(hashes[i]);
      if (receipt) return receipt;
    }
    return undefined;
  }

  private receipt(hash: Hex): Promise<TransactionReceipt | undefined> {
    return this.client.getTransactionReceipt({ hash }).catch((error: unknown) => {
      if (error instanceof TransactionReceiptNotFoundError) return undefined;
      throw error;
    });
  }

  private view(): Promise<ChainView> {
    const now = performance.now();
    if (this.cached && now - this.cached.at < this.pollIntervalMs) return this.cached.view;
    const count = (blockTag: "latest" | "pending") =>
      this.client.getTransactionCount({ address: this.address, blockTag });
    // The head is the client's, shared by every signer of the chain and the log watcher: one
    // read per poll interval however many ask.
    const view = Promise.all([
      this.client.getBlockNumber({ cacheTime: this.pollIntervalMs }),
      count("latest"),
      count("pending"),
    ]).then(([head, mined, pending]) => {
      this.minedCount = Math.max(this.minedCount ?? 0, mined);
      this.lastHead = head;
      return { head, mined, pending };
    });
    const cached = { at: now, view };
    this.cached = cached;
    view.catch(() => {
      if (this.cached === cached) this.cached = undefined;
    });
    return view;
  }
}

function toOutcome(receipt: TransactionReceipt): TxOutcome {
  return {
    status: receipt.status,
    receipt,
    hash: receipt.transactionHash,
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
  };
}

// `solana`, the embedded Solana cluster: LiteSVM in process (the Solana VM with SPL Token-2022
// and the associated-token program built in), journaled so that it survives a restart.
//
// LiteSVM has no slots of its own: only its latest blockhash is valid, and sending never changes
// it. Herald models the passing of slots with `advance(n)`: the blockhash expires at once (any
// transaction signed before can no longer land) and the block height goes up by n. A blockhash's
// last valid block height is therefore the height at which it was current. There are no forks:
// whatever executed is final at once.
import {
  getBase64Decoder,
  getBase64Encoder,
  getTransactionDecoder,
  type Address,
  type Transaction,
} from "@solana/kit";
import { FailedTransactionMetadata, LiteSVM } from "litesvm";
import { fromLiteSvmError } from "../errors.js";
import { toBase58 } from "../keys.js";
import { JournalWriter, loadJournal, type JournalHeader } from "./journal.js";
import {
  TxRejectedError,
  type FeedEntry,
  type LandedTx,
  type Ledger,
  type LedgerAccount,
  type RecentBlockhash,
} from "./ledger.js";

/** The packet size of a Solana transaction: clusters refuse larger ones (LiteSVM does not). */
export const TRANSACTION_SIZE_LIMIT = 1232;
/** What the fee payer is funded with at genesis: a million SOL. */
export const GENESIS_LAMPORTS = 1_000_000n * 1_000_000_000n;

// Refusals before execution: the transaction changed nothing, so it is not journaled.
const NOT_EXECUTED = new Set(["BlockhashNotFound", "AlreadyProcessed", "SignatureFailure"]);

export interface EmbeddedSolana extends Ledger {
  /** Moves the cluster `slots` slots on: the current blockhash expires. */
  advance(slots: number): void;
  /** The runtime itself, for tests and tools (sending outside Herald, reading accounts). */
  readonly svm: LiteSVM;
  /** Transactions replayed from the journal at start. */
  readonly replayed: number;
}

const decodeTx = (wire: Uint8Array): Transaction => getTransactionDecoder().decode(wire);

class EmbeddedLedger implements EmbeddedSolana {
  readonly svm = new LiteSVM();
  private height = 1n;
  private readonly landed = new Map<string, LandedTx>();
  private writer: JournalWriter | null = null;
  replayed = 0;

  /** Executes one transaction; null when it was refused before execution. */
  private execute(wire: Uint8Array): { error: TxRejectedError | null; journal: boolean } {
    if (wire.length > TRANSACTION_SIZE_LIMIT) {
      const error = new TxRejectedError(
        null,
        `the transaction is ${wire.length} bytes; a cluster takes at most ${TRANSACTION_SIZE_LIMIT}`,
      );
      return { error, journal: false };
    }
    const tx = decodeTx(wire);
    let result;
    try {
      result = this.svm.sendTransaction(tx);
    } catch (error) {
      // A signature is missing: the runtime refuses it as a cluster would.
      return { error: new TxRejectedError("SignatureFailure", String(error)), journal: false };
    }
    const signature = toBase58(
      result instanceof FailedTransactionMetadata ? result.meta().signature() : result.signature(),
    );
    if (result instanceof FailedTransactionMetadata) {
      const err = fromLiteSvmError(result.err());
      if (typeof err === "string" && NOT_EXECUTED.has(err)) {
        return { error: new TxRejectedError(err, `transaction refused: ${err}`), journal: false };
      }
      this.landed.set(signature, { slot: this.height, err, commitment: "finalized" });
      this.failedLogs.set(signature, result.meta().logs());
    } else {
      this.landed.set(signature, { slot: this.height, err: null, commitment: "finalized" });
      this.feed.push({ position: this.feed.length, signature, slot: this.height, wire });
    }
    return { error: null, journal: true };
  }

  private readonly failedLogs = new Map<string, string[]>();
  /** Every successful transaction in order: rebuilt by the replay, so positions are stable. */
  private readonly feed: FeedEntry[] = [];

  landedSince(position: number, limit: number): FeedEntry[] {
    return this.feed.slice(position, position + limit);
  }

  feedLength(): number {
    return this.feed.length;
  }

  /** Opens the journal at `path` (created for `payer` if new) and replays it. */
  open(path: string | null, payer: Address): void {
    const genesis = this.svm.latestBlockhash();
    const header: JournalHeader = {
      version: 1,
      genesis,
      payer,
      lamports: GENESIS_LAMPORTS.toString(),
    };
    const loaded = path ? loadJournal(path) : null;
    if (loaded) {
      const { header: was } = loaded;
      if (was.genesis !== genesis || was.payer !== payer) {
        throw new Error(
          `${path} is the journal of another embedded Solana cluster (genesis ${was.genesis}, ` +
            `fee payer ${was.payer}; this one: ${genesis}, ${payer}): move it away to start afresh`,
        );
      }
    }
    this.fund(payer, BigInt((loaded?.header ?? header).lamports));
    for (const line of loaded?.lines ?? []) {
      if ("advance" in line) this.move(line.advance);
      else {
        this.execute(Uint8Array.from(getBase64Encoder().encode(line.tx)));
        this.replayed++;
      }
    }
    if (path) this.writer = new JournalWriter(path, loaded ? undefined : header);
  }

  private fund(payer: Address, lamports: bigint) {
    this.svm.setAccount({
      address: payer,
      lamports: lamports as never,
      programAddress: "11111111111111111111111111111111" as Address,
      executable: false,
      data: new Uint8Array(),
      space: 0n,
    } as never);
  }

  private move(slots: number) {
    this.svm.expireBlockhash();
    this.height += BigInt(slots);
    this.svm.warpToSlot(this.svm.getClock().slot + BigInt(slots));
  }

  advance(slots: number): void {
    if (!Number.isInteger(slots) || slots < 1) throw new Error("advance by one slot or more");
    this.move(slots);
    this.writer?.append({ advance: slots });
  }

  latestBlockhash(): Promise<RecentBlockhash> {
    return Promise.resolve({
      blockhash: this.svm.latestBlockhash(),
      lastValidBlockHeight: this.height,
    });
  }

  blockHeight(): Promise<bigint> {
    return Promise.resolve(this.height);
  }

  send(wire: Uint8Array): Promise<void> {
    const { error, journal } = this.execute(wire);
    // Journaled before anyone hears of it (execute and append are one synchronous step).
    if (journal) this.writer?.append({ tx: getBase64Decoder().decode(wire) });
    return error ? Promise.reject(error) : Promise.resolve();
  }

  statuses(signatures: readonly string[]): Promise<(LandedTx | null)[]> {
    return Promise.resolve(signatures.map((s) => this.landed.get(s) ?? null));
  }

  logs(signature: string): Promise<readonly string[]> {
    return Promise.resolve(this.failedLogs.get(signature) ?? []);
  }

  account(address: string): Promise<LedgerAccount | null> {
    const account = this.svm.getAccount(address as Address);
    if (!account.exists) return Promise.resolve(null);
    return Promise.resolve({
      lamports: BigInt(account.lamports),
      owner: account.programAddress,
      data: Uint8Array.from(account.data),
    });
  }

  balance(address: string): Promise<bigint> {
    return Promise.resolve(BigInt(this.svm.getBalance(address as Address) ?? 0n));
  }

  close(): Promise<void> {
    this.writer?.close();
    this.writer = null;
    return Promise.resolve();
  }
}

/** The embedded cluster, its fee payer funded, its journal (null: none) replayed. */
export function openEmbeddedSolana(journalPath: string | null, payer: Address): EmbeddedSolana {
  const ledger = new EmbeddedLedger();
  ledger.open(journalPath, payer);
  return ledger;
}

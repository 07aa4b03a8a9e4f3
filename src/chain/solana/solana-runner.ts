// Runs one Solana chain's jobs with one fee payer. Each job's transaction is signed, recorded
// with its blockhash's last valid height, then sent; it is followed until it lands at the
// configured commitment (or fails, its program's error decoded). One that does not land is sent
// again as it is; only once the cluster's height has passed its last valid height, and it is
// still unknown, is it re-signed with a new blockhash and a higher priority fee. A job that
// creates a mint creates the same mint on every attempt, so it can never happen twice.
import { getBase64Decoder, getBase64Encoder, type KeyPairSigner } from "@solana/kit";
import type { ChainInfo, ChainJob } from "../../core/chain/chain-types.js";
import { sendQueuedJobs } from "../../core/chain/send-lanes.js";
import type { ChainOutcome } from "../../core/chain/job-effects.js";
import type {
  ChainContext,
  LiveChainStatus,
  RunningChain,
} from "../../core/ports/chain-adapter.js";
import { CoalescedLoop } from "../../lib/coalesced-loop.js";
import { buildTx, programsOf } from "./build-tx.js";
import { describeTxError } from "./errors.js";
import { priorityFee } from "./fees.js";
import { createsMint, instructionsFor } from "./jobs.js";
import { addressOfSeed, newSeed, signerOfSeed } from "./keys.js";
import { TxRejectedError, type Ledger, type LandedTx } from "./ledger/ledger.js";
import { embeddedFeed, historyFeed } from "./watch-feeds.js";
import { SolanaWatcher } from "./watcher.js";
import { isSolanaTxRecord, type SolanaAttempt, type SolanaTxRecord } from "./tx-record.js";

export interface SolanaRunnerDeps extends Omit<ChainContext, "stateDir"> {
  /** Opens the chain's cluster for the fee payer (embedded or JSON-RPC). */
  connect(payer: string): Promise<Ledger>;
  /** How often sent transactions are looked at (ms). */
  pollMs: number;
  /** How often one not landed yet is sent again (ms). */
  rebroadcastMs: number;
}

const SEND_CONCURRENCY = 16;
const SEND_POLL_MS = 5_000;
const SIGNER_READ_MS = 30_000;
/** How often the watcher reads what landed: the embedded cluster's feed costs nothing to read; a
 * JSON-RPC cluster's history costs a call per managed NFT (about five slots apart). */
const WATCH_POLL_MS = 250;
const HISTORY_POLL_MS = 2_000;
const LAMPORTS_PER_SOL = 1_000_000_000;

/** Lamports as SOL in decimal text, exactly ("1.5", "0.000005"). */
export function solText(lamports: bigint): string {
  const whole = lamports / 1_000_000_000n;
  const fraction = (lamports % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

class JobTakenError extends Error {}

interface Followed {
  job: ChainJob;
  record: SolanaTxRecord;
  sentAt: number;
}

export class SolanaRunner implements RunningChain {
  private ledger: Ledger | null = null;
  private payer: KeyPairSigner | null = null;
  private running = false;
  private readonly following = new Map<string, Followed>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private pollTimer: NodeJS.Timeout | null = null;
  private followTimer: NodeJS.Timeout | null = null;
  private signerTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Reads the fee payer's balance again (a job was paid for). */
  private signerChanged: () => void = () => undefined;
  private watcher: SolanaWatcher | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private readonly watchLoop = new CoalescedLoop(
    async () => {
      while (this.running && (await this.watcher!.poll()));
    },
    // The next poll tries again from the same place.
    (error) =>
      this.deps.log.warn({ err: error, chain: this.info.name }, "watching the chain failed"),
  );
  private readonly sendLoop = new CoalescedLoop(
    () => this.sendQueued(),
    (error) => this.retryLater(error),
  );
  private readonly followLoop = new CoalescedLoop(
    () => this.check(),
    (error) =>
      this.deps.log.warn({ err: error, chain: this.info.name }, "following transactions failed"),
  );

  constructor(
    readonly info: ChainInfo,
    private readonly deps: SolanaRunnerDeps,
  ) {}

  /** The cluster, for tests and tools. */
  get cluster(): Ledger | null {
    return this.ledger;
  }

  get payerAddress(): string | null {
    return this.payer?.address ?? null;
  }

  /** The fee payer's seed: the operator's, or generated on first start and stored sealed. */
  private async payerSeed(): Promise<Uint8Array> {
    const { store, box, log } = this.deps;
    if (this.info.privateKey) return Buffer.from(this.info.privateKey, "hex");
    const existing = await store.getChainAccount(this.info.name);
    if (existing) return Buffer.from(box.open(existing.privateKeyEnc), "hex");
    const seed = newSeed();
    const address = addressOfSeed(seed);
    const saved = await store.saveChainAccount(
      {
        chain: this.info.name,
        address,
        privateKeyEnc: box.seal(Buffer.from(seed).toString("hex")),
      },
      Date.now(),
    );
    if (saved.address === address && this.info.rpcUrl) {
      log.warn({ chain: this.info.name, address }, "fund this address: it pays this chain's fees");
    }
    return Buffer.from(box.open(saved.privateKeyEnc), "hex");
  }

  async start(): Promise<void> {
    this.payer = await signerOfSeed(await this.payerSeed());
    this.ledger = await this.deps.connect(this.payer.address);
    const { store } = this.deps;
    const ledger = this.ledger;
    const feed =
      ledger.landedSince && ledger.feedLength
        ? embeddedFeed({
            landedSince: ledger.landedSince.bind(ledger),
            feedLength: ledger.feedLength.bind(ledger),
          })
        : ledger.history
          ? historyFeed(ledger.history, store)
          : null;
    if (feed) {
      this.watcher = new SolanaWatcher(this.info, ledger, feed, this.payer.address, this.deps);
      await this.watcher.init();
    }
    const open = await store.listOpenChainJobs(this.info.name, Number.MAX_SAFE_INTEGER);
    for (const job of open) {
      if (job.status === "sent" && isSolanaTxRecord(job.txRecord)) {
        this.following.set(job.id, { job, record: job.txRecord, sentAt: 0 });
      }
    }
    this.running = true;
    this.unsubscribe = this.deps.signals.onChainJobsQueued(() => this.kick());
    this.pollTimer = setInterval(() => this.kick(), SEND_POLL_MS);
    this.pollTimer.unref();
    this.scheduleCheck(0);
    this.kick();
    this.watchSigner();
    if (this.watcher) {
      const every = this.ledger.history ? HISTORY_POLL_MS : WATCH_POLL_MS;
      this.watchTimer = setInterval(() => this.watchLoop.wake(), every);
      this.watchTimer.unref();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sendLoop.stop();
    this.followLoop.stop();
    this.watchLoop.stop();
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    for (const timer of [this.pollTimer, this.signerTimer]) if (timer) clearInterval(timer);
    if (this.followTimer) clearTimeout(this.followTimer);
    await this.ledger?.close();
  }

  kick(): void {
    if (this.running) this.sendLoop.wake();
  }

  /** The block height and the fee payer's balance, read now. */
  async status(): Promise<LiveChainStatus> {
    const ledger = this.ledger!;
    const address = this.payer!.address;
    const [height, lamports] = await Promise.all([ledger.blockHeight(), ledger.balance(address)]);
    return {
      head: Number(height),
      signers: [
        {
          address,
          balance: solText(lamports),
          nonce: null,
          pending: this.following.size,
          funded: lamports > 0n,
        },
      ],
    };
  }

  private retryLater(error: unknown): void {
    this.deps.log.error({ err: error, chain: this.info.name }, "chain jobs failed; retrying");
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.kick();
    }, 1000);
    this.timers.add(timer);
  }

  /** The fee payer's balance for the metrics, now, after sends, and every 30 s. */
  private watchSigner(): void {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    const loop = new CoalescedLoop(
      async () => {
        const lamports = await this.ledger!.balance(this.payer!.address);
        const balance = Number(lamports) / LAMPORTS_PER_SOL;
        metrics.signer(this.info.name, this.payer!.address, { balance });
      },
      (error) =>
        this.deps.log.debug({ err: error, chain: this.info.name }, "reading the fee payer failed"),
    );
    // Read now, after each job it paid for, and every 30 s.
    this.signerChanged = () => {
      if (this.running) loop.wake();
    };
    this.signerChanged();
    this.signerTimer = setInterval(this.signerChanged, SIGNER_READ_MS);
    this.signerTimer.unref();
  }

  private async sendQueued(): Promise<void> {
    const more = await sendQueuedJobs(
      this.deps.store,
      this.info.name,
      SEND_CONCURRENCY,
      (job) => this.following.has(job.id),
      (job) => this.sendJob(job),
      () => this.running,
    );
    if (more) this.kick();
  }

  /** A job's first transaction: its new mint chosen and sealed, signed, recorded, sent. */
  private async sendJob(job: ChainJob): Promise<void> {
    let mint: SolanaTxRecord["mint"];
    if (createsMint(job)) {
      const seed = newSeed();
      const seedSealed = this.deps.box.seal(Buffer.from(seed).toString("hex"));
      mint = { address: addressOfSeed(seed), seedSealed };
    }
    const record: SolanaTxRecord = { family: "solana", ...(mint ? { mint } : {}), attempts: [] };
    await this.attempt(job, record, true);
  }

  /** The job's records, as its instructions need them. */
  private async recordsOf(job: ChainJob) {
    const { store } = this.deps;
    const [collection, nft] = await Promise.all([
      job.kind === "deploy" ? null : store.getCollection(job.projectId, job.collectionId),
      job.nftId === null ? null : store.getNft(job.projectId, job.collectionId, job.nftId),
    ]);
    return { collection, nft };
  }

  /**
   * Signs the job's transaction under the newest blockhash (the next priority fee), records the
   * attempt, and sends it. `first`: the job is still queued and this claims it.
   */
  private async attempt(job: ChainJob, record: SolanaTxRecord, first: boolean): Promise<void> {
    const ledger = this.ledger!;
    const payer = this.payer!;
    const newMint = record.mint
      ? await signerOfSeed(Buffer.from(this.deps.box.open(record.mint.seedSealed), "hex"))
      : null;
    const { collection, nft } = await this.recordsOf(job);
    let instructions;
    try {
      instructions = await instructionsFor(job, { payer, ledger, collection, nft, newMint });
    } catch (error) {
      if (first) await this.deps.results.finish(job, unsendable(error));
      else await this.finishFollowed(job, unsendable(error));
      return;
    }
    if (instructions === "wait") return;
    if ("fail" in instructions) {
      const outcome: ChainOutcome = {
        status: "reverted",
        txHash: null,
        unsendable: instructions.fail,
      };
      if (first) await this.deps.results.finish(job, outcome);
      else await this.finishFollowed(job, outcome);
      return;
    }
    const price = priorityFee(
      record.attempts.length,
      BigInt(this.info.computeUnitPrice ?? 0),
      BigInt(this.info.maxComputeUnitPrice ?? 0),
    );
    const lifetime = await ledger.latestBlockhash();
    const signed = await buildTx(payer, instructions, lifetime, price);
    const attempt: SolanaAttempt = {
      signature: signed.signature,
      wire: getBase64Decoder().decode(signed.wire),
      lastValidBlockHeight: lifetime.lastValidBlockHeight.toString(),
      price: price.toString(),
      programs: programsOf(instructions, price),
    };
    const next: SolanaTxRecord = { ...record, attempts: [...record.attempts, attempt] };
    // Recorded before it is sent: after a crash it is followed, never signed anew blindly.
    const claim = first ? { onlyIf: "queued" as const } : {};
    const patch = { status: "sent" as const, txRecord: next, ...claim };
    if (!(await this.deps.store.updateChainJob(job.id, patch, Date.now()))) {
      if (first) return; // another runner took it
      throw new JobTakenError(`chain job ${job.id} changed under this runner`);
    }
    const followed = {
      job: { ...job, status: "sent" as const, txRecord: next },
      record: next,
      sentAt: Date.now(),
    };
    this.following.set(job.id, followed);
    await this.broadcast(followed, attempt);
    this.scheduleCheck(0);
  }

  /** Sends an attempt; a refusal that settles the job settles it. */
  private async broadcast(followed: Followed, attempt: SolanaAttempt): Promise<void> {
    followed.sentAt = Date.now();
    try {
      await this.ledger!.send(Uint8Array.from(getBase64Encoder().encode(attempt.wire)));
    } catch (error) {
      if (!(error instanceof TxRejectedError)) {
        // Not taken this time (the node is down, say): sent again, or re-signed once expired.
        this.deps.log.warn(
          { err: error, job: followed.job.id },
          "sending a Solana transaction failed",
        );
        return;
      }
      const { txError } = error;
      // It may have landed before, or its blockhash is gone: following it tells which.
      if (txError === "AlreadyProcessed" || txError === "BlockhashNotFound") return;
      const outcome: ChainOutcome =
        txError === null
          ? { status: "reverted", txHash: null, unsendable: error.message }
          : {
              status: "reverted",
              txHash: null,
              programError: describeTxError(txError, attempt.programs) + logHint(error.logs),
            };
      await this.finishFollowed(followed.job, outcome);
    }
  }

  private async finishFollowed(job: ChainJob, outcome: ChainOutcome): Promise<void> {
    this.following.delete(job.id);
    await this.deps.results.finish(job, outcome);
    this.signerChanged();
    this.kick();
  }

  private scheduleCheck(delayMs: number): void {
    if (!this.running) return;
    if (this.followTimer && delayMs > 0) return;
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => {
      this.followTimer = null;
      this.followLoop.wake();
    }, delayMs);
  }

  /** One look at every followed job: landed, still in flight, or provably expired. */
  private async check(): Promise<void> {
    if (this.following.size === 0) return;
    const ledger = this.ledger!;
    // The height first: an attempt still unknown after it has passed its last valid height can
    // never land (a status read before the height would not prove it).
    const height = await ledger.blockHeight();
    const entries = [...this.following.values()];
    const signatures = entries.flatMap((f) => f.record.attempts.map((a) => a.signature));
    const statuses = new Map<string, LandedTx | null>();
    for (let i = 0; i < signatures.length; i += 256) {
      const batch = signatures.slice(i, i + 256);
      (await ledger.statuses(batch)).forEach((status, j) => statuses.set(batch[j]!, status));
    }
    await Promise.all(
      entries.map((followed) =>
        this.checkOne(followed, height, statuses).catch((error: unknown) =>
          this.deps.log.warn({ err: error, job: followed.job.id }, "following a job failed"),
        ),
      ),
    );
    if (this.following.size > 0) this.scheduleCheck(this.deps.pollMs);
  }

  private async checkOne(
    followed: Followed,
    height: bigint,
    statuses: Map<string, LandedTx | null>,
  ): Promise<void> {
    const { job, record } = followed;
    if (this.following.get(job.id) !== followed) return;
    const landed = record.attempts
      .map((attempt) => ({ attempt, status: statuses.get(attempt.signature) ?? null }))
      .find((a) => a.status !== null);
    if (landed) {
      const { attempt, status } = landed as { attempt: SolanaAttempt; status: LandedTx };
      if (status.err !== null) {
        const logs = await this.ledger!.logs(attempt.signature).catch(() => []);
        const programError = describeTxError(status.err, attempt.programs) + logHint(logs);
        await this.finishFollowed(job, {
          status: "reverted",
          txHash: attempt.signature,
          programError,
        });
        return;
      }
      const deep =
        status.commitment === "finalized" ||
        (status.commitment === "confirmed" && this.info.commitment !== "finalized");
      if (!deep) return;
      const mint = record.mint?.address;
      await this.finishFollowed(job, {
        status: "success",
        txHash: attempt.signature,
        ...(job.kind === "deploy" ? { contractAddress: mint } : {}),
        ...(job.kind === "mint" ? { tokenId: mint } : {}),
      });
      return;
    }
    const latest = record.attempts.at(-1);
    if (!latest || height > BigInt(latest.lastValidBlockHeight)) {
      // Every attempt is past its last valid height and unknown: none can land any more.
      this.following.delete(job.id);
      try {
        await this.attempt(job, record, false);
      } catch (error) {
        this.following.set(job.id, followed);
        throw error;
      }
      return;
    }
    if (Date.now() - followed.sentAt >= this.deps.rebroadcastMs)
      await this.broadcast(followed, latest);
  }
}

function unsendable(error: unknown): ChainOutcome {
  return {
    status: "reverted",
    txHash: null,
    unsendable: (error as Error).message || String(error),
  };
}

/** The program's own last words, when its log has them. */
function logHint(logs: readonly string[]): string {
  const line = [...logs].reverse().find((l) => /Program log: (Error|error)/.test(l));
  return line ? ` (${line.replace(/^Program log: /, "")})` : "";
}

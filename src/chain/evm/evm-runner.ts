import { formatEther, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { isRewardJob, sendOrderKey, type ChainJob } from "../../core/chain/chain-types.js";
import { sendQueuedJobs } from "../../core/chain/send-lanes.js";
import type { ChainInfo } from "../../core/chain/chain-types.js";
import type {
  ChainContext,
  LiveChainStatus,
  RunningChain,
} from "../../core/ports/chain-adapter.js";
import type { SpanAttributes, WorkSpan } from "../../core/ports/trace.js";
import { conflict, notFound } from "../../core/errors.js";
import { chainRetryDelayMs } from "../../core/policy/chain-retry.js";
import { balanceCrossing } from "../../core/policy/signer-choice.js";
import { CoalescedLoop } from "../../lib/coalesced-loop.js";
import { connectChain, type ChainConnection } from "./connection.js";
import { FinalityWatch } from "./finality-watch.js";
import { isPermanentFailure } from "./jobs/failures.js";
import { minedOutcome, refusedOutcome, unsendableOutcome, unsentOutcome } from "./jobs/outcomes.js";
import { abiOf, requestFor, type JobTarget } from "./jobs/requests.js";
import { LogWatcher } from "./log-watcher.js";
import { fundEmbeddedPool } from "./embedded/fund-pool.js";
import { SignerPool, type PoolSigner } from "./signer-pool.js";
import { TxManager, TxNonceConsumedError, type TxRecord } from "./tx/tx-manager.js";
import type { TxRequest } from "./tx/types.js";
import { chainIdMismatch } from "./verify-chain.js";

export interface EvmRunnerDeps extends Omit<ChainContext, "stateDir"> {
  /** Where the embedded chain keeps its journal (unused for JSON-RPC chains). */
  journalPath?: string;
}

/** The job was no longer queued when this runner came to send it. */
class JobTakenError extends Error {
  constructor(jobId: string) {
    super(`chain job ${jobId} was taken by another runner`);
  }
}

/** Jobs being prepared and sent at once. */
const SEND_CONCURRENCY = 16;
/** Queued jobs are looked for at least this often. */
const SEND_POLL_MS = 5_000;
/** The signers' balances and nonces are read this often (for the metrics). */
const SIGNER_READ_MS = 30_000;
/** After a job, the signers are read again, at most this often. */
const SIGNER_AFTER_JOB_MS = 5_000;
/** …and this often while no transaction is in flight (a quiet chain costs few calls). */
const IDLE_SIGNER_READ_MS = 300_000;
/** Pending transactions per signer, where the chain entry does not say. */
const DEFAULT_MAX_PENDING = 16;

/**
 * Runs one chain's jobs with one signer: sends them in order through the transaction manager,
 * follows each to its confirmation depth, hands the outcome to core, and watches it until its
 * block is final (a reorg before that sends it round again). Also runs the chain's log watcher.
 */
export class EvmRunner implements RunningChain {
  private connection: ChainConnection | null = null;
  private pool: SignerPool | null = null;
  private finality: FinalityWatch | null = null;
  private watcher: LogWatcher | null = null;
  /** Jobs this runner sends or follows (it claimed them, or resumed them). */
  private readonly claimed = new Set<string>();
  /** Jobs whose transaction is being followed to its confirmation depth. */
  private readonly following = new Map<string, TxRecord>();
  /** Confirmed jobs watched until final. */
  private readonly confirmed = new Map<
    string,
    { job: ChainJob; record: TxRecord; block: { number: number; hash: string } }
  >();
  private unsubscribe: (() => void) | null = null;
  private running = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private finalityTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private signerTimer: NodeJS.Timeout | null = null;
  /** Reads the signer's balance and nonce again (a transaction was mined). */
  private signerChanged: () => void = () => undefined;
  private readonly loop = new CoalescedLoop(
    () => this.sendQueued(),
    (error) => this.retryLater(error),
  );
  /** Reads the signers, one read at a time (a change meanwhile reads once more after it). */
  private readonly signerLoop = new CoalescedLoop(
    () => this.readSigners(),
    (error) =>
      this.deps.log.debug({ err: error, chain: this.info.name }, "reading the signers failed"),
  );
  private readonly finalityLoop = new CoalescedLoop(
    () => this.finality!.check(),
    // The next poll tries again.
    (error) => this.deps.log.warn({ err: error, chain: this.info.name }, "finality check failed"),
  );

  constructor(
    readonly info: ChainInfo,
    private readonly deps: EvmRunnerDeps,
  ) {}

  /** The embedded chain, for tests and tools (null for JSON-RPC chains). */
  get embedded() {
    return this.connection?.embedded ?? null;
  }

  /** A generated signing key: the first under the chain's name, pool member `i` under
   * `<chain>#<i>`; generated on first start, sealed with the master key. */
  private async generatedKey(i: number): Promise<Hex> {
    const { store, box } = this.deps;
    const name = i === 0 ? this.info.name : `${this.info.name}#${i}`;
    const existing = await store.getChainAccount(name);
    if (existing) return box.open(existing.privateKeyEnc) as Hex;
    const key = generatePrivateKey();
    const address = privateKeyToAccount(key).address;
    const saved = await store.saveChainAccount(
      { chain: name, address, privateKeyEnc: box.seal(key) },
      Date.now(),
    );
    if (saved.address === address && this.info.rpcUrl) {
      this.deps.log.warn(
        { chain: this.info.name, address },
        "fund this address: it signs this chain's transactions",
      );
    }
    return box.open(saved.privateKeyEnc) as Hex;
  }

  /** The chain's signing keys: the operator's, or generated ones. */
  private async signerKeys(): Promise<Hex[]> {
    if (this.info.privateKeys) return this.info.privateKeys as Hex[];
    if (this.info.privateKey) return [this.info.privateKey as Hex];
    const keys: Hex[] = [];
    for (let i = 0; i < (this.info.signers ?? 1); i += 1) keys.push(await this.generatedKey(i));
    return keys;
  }

  async start(): Promise<void> {
    const keys = await this.signerKeys();
    const connection = await connectChain(this.info, keys, {
      journalPath: this.deps.journalPath,
      ...(this.deps.metrics ? { metrics: this.deps.metrics } : {}),
    });
    this.connection = connection;
    const { store, log } = this.deps;
    // Start-up asked too, but the node may have been down then: nothing goes to another chain.
    if (!connection.embedded) {
      const mismatch = chainIdMismatch(this.info, await connection.client.getChainId());
      if (mismatch) throw new Error(`${mismatch}; not sending to it`);
    }
    const replayed = connection.embedded?.replayed;
    if (replayed?.blocks) log.info(replayed, "embedded chain restored from its journal");
    // One fee estimate serves every send of the pool within a poll interval.
    const feeCache = { ttlMs: Math.max(connection.pollingInterval, 1_000) };
    const managers = connection.wallets.map(
      (walletClient) =>
        new TxManager({
          publicClient: connection.client,
          walletClient,
          chain: connection.chain,
          confirmations: this.info.confirmations,
          replaceAfterMs: this.info.replaceAfterMs,
          pollIntervalMs: connection.pollingInterval,
          onRecord: (jobId, record) => this.recorded(jobId, record),
          feeCache,
          ...(this.info.maxFeePerGas === undefined
            ? {}
            : { maxFeePerGasCeiling: BigInt(this.info.maxFeePerGas) }),
          log,
        }),
    );
    this.pool = new SignerPool(
      managers.map((tx) => ({ address: tx.address, tx, funded: true, sending: 0 })),
      this.info.maxPendingPerSigner ?? DEFAULT_MAX_PENDING,
      connection.client,
    );
    if (connection.embedded) await fundEmbeddedPool(connection, this.pool.addresses);
    this.finality = new FinalityWatch(
      connection.client,
      this.info.finality,
      {
        reorged: (jobId) => this.settle(jobId, "reorged"),
        final: (jobId) => this.settle(jobId, "final"),
      },
      connection.nodes !== undefined,
    );
    // The watcher starts where it stopped, or at the head before anything is sent.
    this.watcher = new LogWatcher(this.info, connection, {
      store,
      observations: this.deps.observations,
      isFollowing: (hash) => this.isFollowing(hash),
      busy: () => this.busy,
      log,
    });
    await this.watcher.init();

    // Every sent job, however many: each must be followed to its outcome.
    const open = await store.listOpenChainJobs(this.info.name, Number.MAX_SAFE_INTEGER);
    const sent = open.filter((job) => job.status === "sent" && job.txRecord);
    const refused: string[] = [];
    for (const signer of this.pool.signers) {
      const mine = sent.filter((job) => this.pool!.of((job.txRecord as TxRecord).from) === signer);
      const resumed = await signer.tx.resume(
        mine.map((job) => ({ key: job.id, record: job.txRecord as TxRecord })),
      );
      refused.push(...resumed.refused);
    }
    for (const id of refused) {
      await store.updateChainJob(id, { status: "queued", txRecord: null }, Date.now());
    }
    this.running = true;
    for (const job of sent) {
      if (refused.includes(job.id)) continue;
      this.pool.bind(sendOrderKey(job), this.pool.of((job.txRecord as TxRecord).from));
      this.follow(job, job.txRecord as TxRecord);
    }
    for (const job of open) {
      if (job.status === "confirmed" && job.minedBlock && job.txRecord) {
        this.watchUntilFinal(job, job.txRecord as TxRecord, job.minedBlock);
      }
    }
    this.unsubscribe = this.deps.signals.onChainJobsQueued(() => this.kick());
    this.watcher.start();
    // Jobs waiting after a failed send come due by themselves (their timers die with a restart).
    this.pollTimer = setInterval(() => this.kick(), SEND_POLL_MS);
    this.pollTimer.unref();
    await this.watchSigners();
    this.kick();
  }

  /** A job's record, before its broadcast: the watcher must not report the transaction before
   * its job. The first record claims the job (queued → sent): should a second runner of this
   * chain be alive for a moment (a lock lost and taken over), only one sends it. */
  private async recorded(jobId: string, record: TxRecord): Promise<void> {
    this.following.set(jobId, record);
    const claim = this.claimed.has(jobId) ? {} : { onlyIf: "queued" as const };
    const patch = { status: "sent" as const, txRecord: record, ...claim };
    if (!(await this.deps.store.updateChainJob(jobId, patch, Date.now()))) {
      throw new JobTakenError(jobId);
    }
    this.claimed.add(jobId);
  }

  /** Each signer's balance and next nonce, now and every 30 s: for the metrics, the chains
   * API, whether it gets new work (funded), and `signer.balance_low` once per crossing. */
  /** Transactions of this runner's in flight (sent, or confirmed and watched until final). */
  private get busy(): boolean {
    return this.following.size > 0 || this.confirmed.size > 0;
  }

  /** One signer's balance and next nonce: its metrics, whether it gets new work (funded), and
   * `signer.balance_low` once per crossing. */
  private async readSigner(signer: PoolSigner): Promise<void> {
    const threshold =
      this.info.signerBalanceLow === undefined ? null : BigInt(this.info.signerBalanceLow);
    const { client } = this.connection!;
    const address = signer.address;
    const [balance, nonce] = await Promise.all([
      client.getBalance({ address }),
      client.getTransactionCount({ address, blockTag: "pending" }),
    ]);
    signer.balance = balance;
    signer.nonce = nonce;
    const crossing = balanceCrossing(signer.low, balance, threshold);
    signer.low = crossing.low;
    signer.funded = !crossing.low && balance > 0n;
    this.deps.metrics?.signer(this.info.name, address, {
      balance: Number(formatEther(balance)),
      nonce,
    });
    if (!crossing.publish) return;
    this.deps.log.warn(
      { chain: this.info.name, address, balance: formatEther(balance) },
      "a signer's balance is low: fund it",
    );
    await this.deps.alerts?.balanceLow({
      chain: this.info.name,
      address,
      balance: formatEther(balance),
      threshold: formatEther(threshold!),
    });
  }

  private async readSigners(): Promise<void> {
    await Promise.all(this.pool!.signers.map((signer) => this.readSigner(signer)));
  }

  /** The signers read now (awaited: an unfunded one is given nothing from the start), after
   * jobs at most every SIGNER_AFTER_JOB_MS, and every 30 s while busy, 5 min while idle. */
  private async watchSigners(): Promise<void> {
    await this.readSigners().catch((error: unknown) =>
      this.deps.log.warn({ err: error, chain: this.info.name }, "reading the signers failed"),
    );
    // After jobs: at most one read per SIGNER_AFTER_JOB_MS (the last change is always read).
    let throttled: NodeJS.Timeout | null = null;
    let lastAfterJob = 0;
    this.signerChanged = () => {
      if (throttled) return;
      const wait = Math.max(0, lastAfterJob + SIGNER_AFTER_JOB_MS - Date.now());
      throttled = setTimeout(() => {
        throttled = null;
        lastAfterJob = Date.now();
        this.signerLoop.wake();
      }, wait);
      throttled.unref();
    };
    let lastRead = Date.now();
    this.signerTimer = setInterval(() => {
      if (!this.busy && Date.now() - lastRead < IDLE_SIGNER_READ_MS) return;
      lastRead = Date.now();
      this.signerLoop.wake();
    }, SIGNER_READ_MS);
    this.signerTimer.unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.loop.stop();
    this.finalityLoop.stop();
    this.signerLoop.stop();
    this.unsubscribe?.();
    for (const timer of this.timers) clearTimeout(timer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.signerTimer) clearInterval(this.signerTimer);
    if (this.finalityTimer) clearTimeout(this.finalityTimer);
    await this.watcher?.stop();
    for (const signer of this.pool?.signers ?? []) signer.tx.close();
    await this.connection?.close();
  }

  kick(): void {
    if (this.running) this.loop.wake();
  }

  async cancelNonce(address: string, nonce: number): Promise<{ txHash: string }> {
    const lower = address.toLowerCase();
    const signer = this.pool!.signers.find((s) => s.address.toLowerCase() === lower);
    if (!signer) throw notFound(`signer ${address} of chain ${this.info.name}`);
    const mined = await this.connection!.client.getTransactionCount({
      address: signer.address,
      blockTag: "latest",
    });
    const next = signer.tx.nextNonceToAssign ?? mined;
    if (nonce < mined || nonce >= next) {
      throw conflict(
        `nothing of Herald's is pending at nonce ${nonce} of ${signer.address}: ` +
          `nonces ${mined} to ${next - 1} are (${next - mined} pending)`,
      );
    }
    const waiting = [...this.following.values()].find(
      (r) => this.pool!.of(r.from) === signer && r.nonce === nonce,
    );
    const txHash = await signer.tx.cancel(nonce, waiting);
    this.deps.log.warn(
      { chain: this.info.name, signer: signer.address, nonce, txHash },
      "a nonce was cancelled by the operator",
    );
    return { txHash };
  }

  /** The head now, and each signer as last read (balances every 30 s and after each job). */
  async status(): Promise<LiveChainStatus> {
    const connection = this.connection!;
    const head = await connection.client.getBlockNumber({ cacheTime: 0 });
    return {
      head: Number(head),
      signers: this.pool!.signers.map((s) => ({
        address: s.address,
        balance: s.balance === undefined ? null : formatEther(s.balance),
        nonce: s.nonce ?? null,
        pending: s.tx.pendingCount + s.sending,
        funded: s.funded,
      })),
      ...(connection.nodes ? { nodes: connection.nodes() } : {}),
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

  /** Whether `hash` is a transaction of a job not yet confirmed (the watcher waits for it). */
  private isFollowing(hash: string): boolean {
    for (const record of this.following.values()) {
      if ((record.hashes as string[]).includes(hash)) return true;
    }
    return false;
  }

  private async sendQueued(): Promise<void> {
    // Concurrently, so their gas estimates overlap (nonces are still assigned one at a time).
    // A store failure (nothing else reaches here) is thrown: the whole pass is tried again.
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

  private async sendJob(job: ChainJob): Promise<void> {
    const pool = this.pool!;
    // Outside the try: a store failure is retried, never taken for an unsendable job.
    const target = await this.targetOf(job);
    const build = (owner: Address) => requestFor(job, target, owner, pool.addresses);
    let request: ReturnType<typeof requestFor>;
    try {
      request = build(pool.primary.address);
    } catch (error) {
      // It cannot be encoded (a value out of range, say): it never will be.
      await this.deps.results.finish(job, unsendableOutcome(error));
      return;
    }
    if (request === "wait") return;
    if ("fail" in request) {
      await this.deps.results.finish(job, unsentOutcome(job, request.fail));
      return;
    }
    // A deployment may go from any signer (it becomes the contract's owner); any other job from
    // a signer its contract accepts.
    const deploying = job.kind === "deploy" || job.kind === "rewardDeploy";
    const accepted = deploying
      ? new Set<string>(pool.addresses)
      : await pool.acceptedBy(target!.contractAddress as Address);
    const orderKey = sendOrderKey(job);
    const signer = await pool.acquire(orderKey, accepted, () => this.running);
    if (!signer) {
      if (this.running) await this.sendLater(job, new Error("no funded signer can send this job"));
      return;
    }
    await this.send(job, deploying ? (build(signer.address) as TxRequest) : request, signer);
  }

  /** The contract a job acts on, as recorded: its collection, or its reward's contract. */
  private async targetOf(job: ChainJob): Promise<JobTarget | null> {
    const { store } = this.deps;
    return isRewardJob(job)
      ? store.getOriginalReward(job.projectId, job.collectionId)
      : store.getCollection(job.projectId, job.collectionId);
  }

  /** A span of a job's work under its request's trace (none without tracing). */
  private span(job: ChainJob, name: string, attributes: SpanAttributes = {}): WorkSpan | null {
    const { tracer } = this.deps;
    if (!tracer || !job.traceParent) return null;
    return tracer.start(name, job.traceParent, {
      "herald.chain": this.info.name,
      "herald.job.id": job.id,
      "herald.job.kind": job.kind,
      "herald.action.id": job.actionId,
      ...attributes,
    });
  }

  private async send(job: ChainJob, request: TxRequest, signer: PoolSigner): Promise<void> {
    const span = this.span(job, "chain.send", { "herald.tx.from": signer.address });
    try {
      const record = await signer.tx.send(job.id, request).finally(() => this.pool!.sent(signer));
      span?.set({ "herald.tx.hash": record.hashes.at(-1)!, "herald.tx.nonce": record.nonce });
      span?.end();
      this.follow(job, record);
    } catch (error) {
      span?.end(error);
      this.following.delete(job.id);
      this.claimed.delete(job.id);
      this.pool!.release(sendOrderKey(job));
      if (error instanceof JobTakenError) return; // another runner has it: leave its record
      // This signer cannot pay: it gets no new work until its balance is read again.
      if (/insufficient funds/i.test(String((error as Error)?.message ?? error))) {
        signer.funded = false;
        this.signerChanged();
      }
      // Nothing was accepted by the node: a record persisted for this attempt must not be resumed.
      await this.deps.store.updateChainJob(
        job.id,
        { status: "queued", txRecord: null },
        Date.now(),
      );
      // The node refused it because it would revert: report it as the contract's answer.
      // A request the node can never take fails too; anything else is tried again later.
      const outcome =
        refusedOutcome(request, error, abiOf(job)) ??
        (isPermanentFailure(error) ? unsendableOutcome(error) : null);
      if (outcome) {
        await this.deps.results.finish(job, outcome);
        return;
      }
      await this.sendLater(job, error);
    }
  }

  /** A send that failed for now (RPC, nonce, fees, funds): the job waits, then goes again. */
  private async sendLater(job: ChainJob, error: unknown): Promise<void> {
    const now = Date.now();
    const delayMs = chainRetryDelayMs(job.createdAt, now);
    await this.deps.store.updateChainJob(job.id, { runAt: now + delayMs }, now);
    this.deps.log.warn(
      { err: error, job: job.id, chain: this.info.name, retryInMs: delayMs },
      "sending a chain job failed; it is tried again later",
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.kick();
    }, delayMs);
    this.timers.add(timer);
  }

  private follow(job: ChainJob, record: TxRecord): void {
    this.following.set(job.id, record);
    this.claimed.add(job.id);
    const span = this.span(job, "chain.confirm", {
      "herald.tx.hash": record.hashes.at(-1)!,
      "herald.confirmations": this.info.confirmations,
    });
    let failure: unknown = undefined;
    this.pool!.of(record.from)
      .tx.waitForOutcome(job.id, record)
      .then(async (mined) => {
        const outcome = await minedOutcome(this.connection!.client, mined, abiOf(job));
        const block = { number: Number(mined.blockNumber), hash: mined.blockHash };
        span?.set({
          "herald.tx.hash": mined.hash,
          "herald.tx.status": outcome.status,
          "herald.block.number": block.number,
        });
        if (outcome.status !== "success")
          failure = outcome.revert?.reason ?? "the transaction reverted";
        const watch = this.info.finality > this.info.confirmations;
        await this.deps.results.finish(job, outcome, watch ? block : undefined);
        if (watch) this.watchUntilFinal(job, record, block);
      })
      .catch(async (error: unknown) => {
        failure = error;
        if (!(error instanceof TxNonceConsumedError)) {
          if (this.running)
            this.deps.log.error({ err: error, job: job.id }, "following a transaction failed");
          return;
        }
        // Another transaction took the nonce: this one can never be mined.
        const reason = "the transaction's nonce was used by another transaction";
        await this.deps.results.finish(job, unsentOutcome(job, reason, record));
      })
      .finally(() => {
        span?.end(failure);
        this.following.delete(job.id);
        this.claimed.delete(job.id);
        this.pool!.release(sendOrderKey(job));
        this.signerChanged();
        this.kick();
        this.watcher?.kick();
      });
  }

  private watchUntilFinal(
    job: ChainJob,
    record: TxRecord,
    block: { number: number; hash: string },
  ) {
    this.confirmed.set(job.id, { job, record, block });
    this.finality!.add(job.id, block);
    this.scheduleFinalityCheck();
  }

  /** Polls the chain for reorgs while something is watched. */
  private scheduleFinalityCheck(): void {
    if (this.finalityTimer || !this.running) return;
    this.finalityTimer = setTimeout(() => {
      this.finalityTimer = null;
      this.finalityLoop.wake();
      if (this.finality!.size > 0) this.scheduleFinalityCheck();
    }, this.connection!.pollingInterval);
  }

  /** A confirmed job's block was reorged away (followed again) or became final (closed). */
  private settle(jobId: string, what: "reorged" | "final"): void {
    const entry = this.confirmed.get(jobId);
    if (!entry || !this.running) return;
    this.confirmed.delete(jobId);
    const { job, record } = entry;
    const done =
      what === "final"
        ? this.deps.results.finalize(job)
        : this.deps.results
            .reopen(job, { chain: this.info.name, block: entry.block, txHashes: record.hashes })
            .then(() => {
              const fields = { job: jobId, chain: this.info.name, block: entry.block };
              this.deps.log.warn(fields, "its block was reorged away: pending again");
              // Rebroadcast if the node lost it; confirmed again on the surviving chain.
              this.follow({ ...job, status: "sent", minedBlock: null }, record);
            });
    done.catch((error: unknown) =>
      // The job stays confirmed in the store: the next start looks at it again.
      this.deps.log.error({ err: error, job: jobId }, `recording a ${what} block failed`),
    );
  }
}

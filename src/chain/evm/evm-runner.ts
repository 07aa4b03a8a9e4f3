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
import { lowerCeiling } from "../../core/policy/fee-ceiling.js";
import { CoalescedLoop } from "../../lib/coalesced-loop.js";
import { connectChain, type ChainConnection } from "./connection.js";
import { FinalityWatch } from "./finality-watch.js";
import { isPermanentFailure } from "./jobs/failures.js";
import {
  minedBatchOutcomes,
  minedOutcome,
  refusedOutcome,
  unsendableOutcome,
  unsentOutcome,
} from "./jobs/outcomes.js";
import {
  abiOf,
  batchMintRequest,
  MINT_BATCH_SELECTOR,
  requestFor,
  type JobTarget,
} from "./jobs/requests.js";
import { LogWatcher } from "./log-watcher.js";
import { fundEmbeddedPool } from "./embedded/fund-pool.js";
import { SignerPool, type PoolSigner } from "./signer-pool.js";
import { BlockReceipts } from "./tx/block-receipts.js";
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
/** Queued mints of one collection per transaction, where the chain entry does not say. */
const DEFAULT_MINT_BATCH = 25;

/** Open jobs with a transaction sent, by transaction: a batch's jobs (its record's `jobs`) in
 * the order of its calls, with the newest record any of them stored (a crash between their
 * updates leaves some a replacement behind); the other jobs alone. */
function sentUnits(open: readonly ChainJob[]): { jobs: ChainJob[]; record: TxRecord }[] {
  const units = new Map<string, { jobs: ChainJob[]; record: TxRecord }>();
  for (const job of open) {
    if (job.status !== "sent" || !job.txRecord) continue;
    const record = job.txRecord as TxRecord;
    const key = record.jobs?.[0] ?? job.id;
    const unit = units.get(key) ?? { jobs: [], record };
    unit.jobs.push(job);
    if (record.raw.length > unit.record.raw.length) unit.record = record;
    units.set(key, unit);
  }
  for (const unit of units.values()) {
    const order = unit.record.jobs;
    if (order) unit.jobs.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  }
  return [...units.values()];
}

/** The fee ceiling the jobs' requests set (a batch: the lowest), if any. */
function ceilingOf(jobs: readonly ChainJob[]): bigint | undefined {
  let ceiling: bigint | undefined;
  for (const job of jobs) {
    if (job.maxFeePerGas) ceiling = lowerCeiling(ceiling, BigInt(job.maxFeePerGas));
  }
  return ceiling;
}

/** The pool's lane of a transaction: a single job's order key, or its batch's own. */
function laneOf(jobs: readonly ChainJob[], record: TxRecord): string {
  return jobs.length === 1 && !record.jobs ? sendOrderKey(jobs[0]!) : `batch:${jobs[0]!.id}`;
}

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
  /** Batches being sent or followed: the first job's id (the transaction's key) → its jobs. */
  private readonly batches = new Map<string, ChainJob[]>();
  /** Jobs whose batch the node did not take: sent one by one from now on. */
  private readonly unbatched = new Set<string>();
  /** Per contract: whether its code has `mintBatch` (collections deployed before do not). */
  private readonly batchable = new Map<string, Promise<boolean>>();
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
    // Receipts a block at a time, for every signer (where the node has eth_getBlockReceipts).
    const blockReceipts = new BlockReceipts(
      connection.client,
      Math.max(connection.pollingInterval * 8, 10_000),
    );
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
          blockReceipts,
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

    // Every sent job, however many: each must be followed to its outcome. A batch's jobs
    // share one transaction, resumed under its first job's id.
    const open = await store.listOpenChainJobs(this.info.name, Number.MAX_SAFE_INTEGER);
    const units = sentUnits(open);
    const refused = new Set<string>();
    for (const signer of this.pool.signers) {
      const mine = units.filter((u) => this.pool!.of(u.record.from) === signer);
      const resumed = await signer.tx.resume(
        mine.map((u) => ({ key: u.jobs[0]!.id, record: u.record })),
      );
      for (const id of resumed.refused) refused.add(id);
    }
    this.running = true;
    for (const { jobs, record } of units) {
      if (refused.has(jobs[0]!.id)) {
        for (const job of jobs) {
          await store.updateChainJob(job.id, { status: "queued", txRecord: null }, Date.now());
        }
        continue;
      }
      this.pool.bind(laneOf(jobs, record), this.pool.of(record.from));
      this.follow(jobs, record);
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
    // A batch's record is stored with each of its jobs, naming them all.
    const batch = this.batches.get(jobId)?.map((job) => job.id);
    const stored = batch ? { ...record, jobs: batch } : record;
    for (const id of batch ?? [jobId]) {
      this.following.set(id, stored);
      const claim = this.claimed.has(id) ? {} : { onlyIf: "queued" as const };
      const patch = { status: "sent" as const, txRecord: stored, ...claim };
      if (!(await this.deps.store.updateChainJob(id, patch, Date.now()))) {
        throw new JobTakenError(id);
      }
      this.claimed.add(id);
    }
  }

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
      { take: (jobs) => this.mintBatches(jobs), send: (batch) => this.sendBatch(batch) },
    );
    if (more) this.kick();
  }

  /** Queued mints of a collection that can take them in one transaction (deployed with
   * `mintBatch`, no supply limit: a batch past it would fail whole), in batches of the chain's
   * `mintBatch`; a lone mint goes by itself. */
  private async mintBatches(jobs: readonly ChainJob[]): Promise<ChainJob[][]> {
    const size = this.info.mintBatch ?? DEFAULT_MINT_BATCH;
    if (size < 2) return [];
    const byCollection = new Map<string, ChainJob[]>();
    for (const job of jobs) {
      if (job.kind !== "mint" || this.unbatched.has(job.id)) continue;
      const key = `${job.projectId}/${job.collectionId}`;
      byCollection.set(key, [...(byCollection.get(key) ?? []), job]);
    }
    const batches: ChainJob[][] = [];
    for (const mints of byCollection.values()) {
      if (mints.length < 2) continue;
      const collection = await this.deps.store.getCollection(
        mints[0]!.projectId,
        mints[0]!.collectionId,
      );
      if (collection?.status !== "deployed" || !collection.contractAddress) continue;
      if (collection.supplyLimit) continue;
      if (!(await this.hasMintBatch(collection.contractAddress as Address))) continue;
      for (let i = 0; i + 1 < mints.length; i += size) batches.push(mints.slice(i, i + size));
    }
    return batches;
  }

  /** Whether the contract's code has `mintBatch` (asked once per contract). */
  private hasMintBatch(contract: Address): Promise<boolean> {
    const key = contract.toLowerCase();
    let known = this.batchable.get(key);
    if (!known) {
      known = this.connection!.client.getCode({ address: contract }).then(
        (code) => (code ?? "0x").includes(MINT_BATCH_SELECTOR.slice(2)),
        (error: unknown) => {
          this.batchable.delete(key); // asked again next time
          this.deps.log.debug({ err: error, contract }, "reading a collection's code failed");
          return false;
        },
      );
      this.batchable.set(key, known);
    }
    return known;
  }

  /** A collection's mints in one transaction. Should the node not take it (it would revert,
   * or the send failed), its jobs go back to the queue and are sent one by one, each to its
   * own outcome. */
  private async sendBatch(batch: ChainJob[]): Promise<void> {
    const pool = this.pool!;
    const lead = batch[0]!;
    const collection = await this.deps.store.getCollection(lead.projectId, lead.collectionId);
    const contract = collection!.contractAddress as Address;
    const ceiling = ceilingOf(batch);
    const request = {
      ...batchMintRequest(batch, contract),
      ...(ceiling === undefined ? {} : { maxFeePerGas: ceiling }),
    };
    const lane = `batch:${lead.id}`;
    const signer = await pool.acquire(lane, await pool.acceptedBy(contract), () => this.running);
    if (!signer) return; // stopping, or no funded signer: still queued, tried again
    this.batches.set(lead.id, batch);
    try {
      const record = await signer.tx.send(lead.id, request).finally(() => pool.sent(signer));
      this.follow(batch, { ...record, jobs: batch.map((job) => job.id) });
    } catch (error) {
      this.batches.delete(lead.id);
      for (const job of batch) this.unbatched.add(job.id);
      await this.notSent(batch, lane, signer, error);
      this.deps.log.warn(
        { err: error, chain: this.info.name, jobs: batch.length },
        "a batch of mints was not sent: its mints go one by one",
      );
      this.kick();
    }
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
    const ceiling = ceilingOf([job]);
    const built = deploying ? (build(signer.address) as TxRequest) : request;
    await this.send(
      job,
      ceiling === undefined ? built : { ...built, maxFeePerGas: ceiling },
      signer,
    );
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
      this.follow([job], record);
    } catch (error) {
      span?.end(error);
      await this.notSent([job], sendOrderKey(job), signer, error);
      if (error instanceof JobTakenError) return; // another runner has it: leave its record
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

  /** A transaction the node did not take: its jobs are no longer followed, a signer that could
   * not pay gets no new work until its balance is read again, and the records persisted for
   * this attempt go (nothing may resume them); a job another runner took keeps its record. */
  private async notSent(
    jobs: ChainJob[],
    lane: string,
    signer: PoolSigner,
    error: unknown,
  ): Promise<void> {
    const ours = jobs.filter((job) => this.claimed.has(job.id));
    for (const job of jobs) {
      this.following.delete(job.id);
      this.claimed.delete(job.id);
    }
    this.pool!.release(lane);
    if (/insufficient funds/i.test(String((error as Error)?.message ?? error))) {
      signer.funded = false;
      this.signerChanged();
    }
    for (const job of error instanceof JobTakenError ? ours : jobs) {
      await this.deps.store.updateChainJob(
        job.id,
        { status: "queued", txRecord: null },
        Date.now(),
      );
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

  /** Follows a transaction to its outcome: one job's, or a batch's (`record.jobs`, in the
   * order of its calls), each job finished with its own outcome. */
  private follow(jobs: ChainJob[], record: TxRecord): void {
    const lead = jobs[0]!;
    if (record.jobs) this.batches.set(lead.id, jobs);
    for (const job of jobs) {
      this.following.set(job.id, record);
      this.claimed.add(job.id);
    }
    const span = this.span(lead, "chain.confirm", {
      "herald.tx.hash": record.hashes.at(-1)!,
      "herald.confirmations": this.info.confirmations,
      ...(record.jobs ? { "herald.batch.size": jobs.length } : {}),
    });
    let failure: unknown = undefined;
    const client = this.connection!.client;
    this.pool!.of(record.from)
      .tx.waitForOutcome(lead.id, record)
      .then(async (mined) => {
        const outcomes = record.jobs
          ? await minedBatchOutcomes(client, mined, abiOf(lead), record.jobs.length)
          : [await minedOutcome(client, mined, abiOf(lead))];
        const block = { number: Number(mined.blockNumber), hash: mined.blockHash };
        span?.set({
          "herald.tx.hash": mined.hash,
          "herald.tx.status": outcomes[0]!.status,
          "herald.block.number": block.number,
        });
        if (outcomes[0]!.status !== "success")
          failure = outcomes[0]!.revert?.reason ?? "the transaction reverted";
        const watch = this.info.finality > this.info.confirmations;
        for (const job of jobs) {
          // A batch's job has the outcome of its call (by its place in the transaction).
          const outcome = record.jobs ? outcomes[record.jobs.indexOf(job.id)] : outcomes[0];
          await this.deps.results.finish(job, outcome!, watch ? block : undefined);
          if (watch) this.watchUntilFinal(job, record, block);
        }
      })
      .catch(async (error: unknown) => {
        failure = error;
        if (!(error instanceof TxNonceConsumedError)) {
          if (this.running)
            this.deps.log.error({ err: error, job: lead.id }, "following a transaction failed");
          return;
        }
        // Another transaction took the nonce: this one can never be mined.
        const reason = "the transaction's nonce was used by another transaction";
        for (const job of jobs) {
          await this.deps.results.finish(job, unsentOutcome(job, reason, record));
        }
      })
      .finally(() => {
        span?.end(failure);
        for (const job of jobs) {
          this.following.delete(job.id);
          this.claimed.delete(job.id);
          this.unbatched.delete(job.id);
        }
        this.batches.delete(lead.id);
        this.pool!.release(laneOf(jobs, record));
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
    if (what === "final") {
      this.deps.results.finalize(job).catch((error: unknown) =>
        // The job stays confirmed in the store: the next start looks at it again.
        this.deps.log.error({ err: error, job: jobId }, `recording a final block failed`),
      );
      return;
    }
    // A batch's jobs go back together, and their one transaction is followed again.
    const unit = [job];
    for (const id of record.jobs ?? []) {
      const other = id === jobId ? undefined : this.confirmed.get(id);
      if (!other) continue;
      this.confirmed.delete(id);
      unit.push(other.job);
    }
    if (record.jobs) unit.sort((a, b) => record.jobs!.indexOf(a.id) - record.jobs!.indexOf(b.id));
    const orphaned = { chain: this.info.name, block: entry.block, txHashes: record.hashes };
    const done = Promise.all(unit.map((j) => this.deps.results.reopen(j, orphaned))).then(() => {
      const fields = { jobs: unit.length, job: jobId, chain: this.info.name, block: entry.block };
      this.deps.log.warn(fields, "its block was reorged away: pending again");
      // Rebroadcast if the node lost it; confirmed again on the surviving chain.
      this.follow(
        unit.map((j) => ({ ...j, status: "sent" as const, minedBlock: null })),
        record,
      );
    });
    done.catch((error: unknown) =>
      // The job stays confirmed in the store: the next start looks at it again.
      this.deps.log.error({ err: error, job: jobId }, `recording a ${what} block failed`),
    );
  }
}

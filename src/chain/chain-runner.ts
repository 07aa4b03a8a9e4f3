import type { Logger } from "pino";
import {
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  defineChain,
  http,
  parseEventLogs,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { ChainOutcome, ChainResults } from "../core/chain-results.js";
import type { ChainJob } from "../core/chain-types.js";
import type { ChainInfo } from "../core/chains.js";
import type { SecretBox } from "../core/secret-box.js";
import type { Signals } from "../core/signals.js";
import type { Store } from "../store/store.js";
import { CoalescedLoop } from "../lib/coalesced-loop.js";
import { collectionArtifact } from "./artifacts.js";
import { createEmbeddedChain, type EmbeddedChain } from "./embedded-chain.js";
import { namedArguments, requestFor } from "./job-requests.js";
import { decodeRevertReason, describeRevert } from "./revert-reason.js";
import { TxManager, TxNonceConsumedError, type TxOutcome, type TxRecord } from "./tx-manager.js";
import type { TxRequest } from "./tx-types.js";

export interface ChainRunnerDeps {
  store: Store;
  signals: Signals;
  results: ChainResults;
  box: SecretBox;
  log: Logger;
}

/**
 * Runs one chain's jobs with one signer: sends them in order through the transaction manager,
 * follows each to its confirmation depth, and hands the outcome to core.
 */
export class ChainRunner {
  private tx: TxManager | null = null;
  private client: PublicClient | null = null;
  private embedded: EmbeddedChain | null = null;
  private address: Address | null = null;
  private readonly tracking = new Set<string>();
  private unsubscribe: (() => void) | null = null;
  private running = false;
  private readonly loop = new CoalescedLoop(
    () => this.sendQueued(),
    (error) => {
      this.deps.log.error({ err: error, chain: this.info.name }, "chain jobs failed; retrying");
      this.timer = setTimeout(() => this.kick(), 1000);
    },
  );
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly info: ChainInfo,
    private readonly deps: ChainRunnerDeps,
  ) {}

  /** The signing key: generated on first start, sealed with the master key. */
  private async signerKey(): Promise<Hex> {
    const { store, box } = this.deps;
    if (this.info.privateKey) return this.info.privateKey as Hex;
    const existing = await store.getChainAccount(this.info.name);
    if (existing) return box.open(existing.privateKeyEnc) as Hex;
    const key = generatePrivateKey();
    const address = privateKeyToAccount(key).address;
    const saved = await store.saveChainAccount(
      { chain: this.info.name, address, privateKeyEnc: box.seal(key) },
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

  async start(): Promise<void> {
    const key = await this.signerKey();
    const account = privateKeyToAccount(key);
    this.address = account.address;
    let transport: Transport;
    let chain: Chain;
    let pollingInterval = 1000;
    if (this.info.rpcUrl === null) {
      this.embedded = await createEmbeddedChain({ chainId: this.info.chainId, fundedKeys: [key] });
      ({ transport, chain, pollingInterval } = this.embedded);
    } else {
      transport = http(this.info.rpcUrl);
      chain = defineChain({
        id: this.info.chainId,
        name: this.info.name,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [this.info.rpcUrl] } },
      });
    }
    this.client = createPublicClient({ chain, transport, pollingInterval }) as PublicClient;
    const wallet = createWalletClient({ account, chain, transport });
    this.tx = new TxManager({
      publicClient: this.client,
      walletClient: wallet,
      chain,
      confirmations: this.info.confirmations,
      replaceAfterMs: this.info.replaceAfterMs,
      pollIntervalMs: pollingInterval,
      onRecord: (jobId, record) =>
        this.deps.store.updateChainJob(jobId, { status: "sent", txRecord: record }, Date.now()),
      log: this.deps.log,
    });
    // Every sent job, however many: each must be followed to its outcome.
    const sent = (
      await this.deps.store.listOpenChainJobs(this.info.name, Number.MAX_SAFE_INTEGER, "sent")
    ).filter((job) => job.txRecord);
    await this.tx.resume(sent.map((job) => ({ key: job.id, record: job.txRecord as TxRecord })));
    this.running = true;
    for (const job of sent) this.follow(job, job.txRecord as TxRecord);
    this.unsubscribe = this.deps.signals.onChainJobsQueued(() => this.kick());
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.loop.stop();
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.tx?.close();
    await this.embedded?.close();
  }

  kick(): void {
    if (this.running) this.loop.wake();
  }

  private async sendQueued(): Promise<void> {
    const jobs = await this.deps.store.listOpenChainJobs(this.info.name, 500, "queued");
    for (const job of jobs) {
      if (!this.running || this.tracking.has(job.id)) continue;
      const [collectionId] = job.subject.split("/") as [string];
      const collection = await this.deps.store.getCollection(job.projectId, collectionId);
      const request = requestFor(job, collection, this.address!);
      if (request === "wait") continue;
      if ("fail" in request) {
        await this.deps.results.finish(job, {
          status: "reverted",
          txHash: null,
          revert: {
            reason: request.fail,
            functionName: job.kind,
            arguments: job.payload,
            calldata: "0x",
          },
        });
        continue;
      }
      await this.send(job, request);
    }
  }

  private async send(job: ChainJob, request: TxRequest): Promise<void> {
    try {
      const record = await this.tx!.send(job.id, request);
      this.follow(job, record);
    } catch (error) {
      // Nothing was accepted by the node: a record persisted for this attempt must not be resumed.
      await this.deps.store.updateChainJob(
        job.id,
        { status: "queued", txRecord: null },
        Date.now(),
      );
      const revert = describeRevert(error);
      if (!revert) throw error;
      // The node refused it because it would revert: report it as the contract's answer.
      const call = request.to
        ? decodeFunctionData({ abi: collectionArtifact.abi, data: request.data })
        : { functionName: "constructor", args: [] as unknown[] };
      await this.deps.results.finish(job, {
        status: "reverted",
        txHash: null,
        revert: {
          reason: `execution reverted: ${revert.reason}`,
          functionName: call.functionName,
          arguments: namedArguments(collectionArtifact.abi, call.functionName, call.args),
          calldata: request.data,
        },
      });
    }
  }

  private follow(job: ChainJob, record: TxRecord): void {
    this.tracking.add(job.id);
    this.tx!.waitForOutcome(job.id, record)
      .then(async (outcome) => this.deps.results.finish(job, await this.describe(outcome)))
      .catch(async (error: unknown) => {
        if (!(error instanceof TxNonceConsumedError)) {
          if (this.running)
            this.deps.log.error({ err: error, job: job.id }, "following a transaction failed");
          return;
        }
        // Another transaction took the nonce: this one can never be mined.
        await this.deps.results.finish(job, {
          status: "reverted",
          txHash: null,
          revert: {
            reason: "the transaction's nonce was used by another transaction",
            functionName: job.kind,
            arguments: job.payload,
            calldata: record.raw[record.raw.length - 1] ?? "0x",
          },
        });
      })
      .finally(() => {
        this.tracking.delete(job.id);
        this.kick();
      });
  }

  private async describe(outcome: TxOutcome): Promise<ChainOutcome> {
    const { receipt, hash } = outcome;
    if (outcome.status === "success") {
      const transfers = parseEventLogs({
        abi: collectionArtifact.abi,
        logs: receipt.logs,
        eventName: "Transfer",
      });
      const minted = transfers[0]?.args as { tokenId?: bigint } | undefined;
      return {
        status: "success",
        txHash: hash,
        contractAddress: receipt.contractAddress ?? undefined,
        tokenId: minted?.tokenId?.toString(),
      };
    }
    const decoded = await decodeRevertReason(this.client!, hash);
    const functionName = decoded.functionName ?? "constructor";
    return {
      status: "reverted",
      txHash: hash,
      revert: {
        reason: `execution reverted: ${decoded.reason}`,
        functionName,
        arguments: namedArguments(collectionArtifact.abi, functionName, decoded.args),
        calldata: decoded.calldata,
      },
    };
  }
}

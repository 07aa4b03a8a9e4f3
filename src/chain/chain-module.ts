import { join, resolve } from "node:path";
import type { ChainMetrics } from "../core/ports/chain-adapter.js";
import type { ChainObservations } from "../core/chain/chain-observations.js";
import type { ChainResults } from "../core/chain/chain-results.js";
import type { SignerAlerts } from "../core/chain/signer-alerts.js";
import type { ChainRegistry } from "../core/chain/chains.js";
import type { RunningChain } from "../core/ports/chain-adapter.js";
import type { Log } from "../core/ports/log.js";
import type { Store } from "../core/ports/store.js";
import type { WorkTracer } from "../core/ports/trace.js";
import type { SecretBox } from "../core/runtime/secret-box.js";
import type { Signals } from "../core/runtime/signals.js";
import { Singleton, type ExclusiveLocks } from "../core/runtime/singleton.js";

/** What the chain role works with; given by the composition root. */
export interface ChainModuleDeps {
  /** The configured chains, each with its family's adapter. */
  chains: ChainRegistry;
  store: Store;
  signals: Signals;
  results: ChainResults;
  observations: ChainObservations;
  /** Where RPC calls and signer state are counted. */
  metrics?: ChainMetrics;
  /** Spans of jobs' transactions (tracing). */
  tracer?: WorkTracer;
  /** Seals generated signer keys. */
  box: SecretBox;
  /** Announces signers' low balances. */
  alerts?: SignerAlerts;
  /** Who runs each chain when processes share a database. */
  locks: ExclusiveLocks;
  log: Log;
  /** Chains keep their files (an embedded chain's journal) under `<dataDir>/chains/`. */
  dataDir: string;
}

/**
 * The `chain` role: one running chain per configured chain, started by its family's adapter
 * when the chain first has work (a job, or a deployed collection to watch), so a Herald that
 * never mints never loads a chain. A chain's signer holds local nonces: each chain runs in one
 * process at a time (a singleton).
 */
export class ChainModule {
  private readonly singletons = new Map<string, Singleton>();
  private readonly runners = new Map<string, RunningChain>();
  private unsubscribe: (() => void) | null = null;
  private checking: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ChainModuleDeps) {}

  async start(): Promise<void> {
    this.unsubscribe = this.deps.signals.onChainJobsQueued(() => {
      this.startChains().catch((error: unknown) =>
        this.deps.log.error({ err: error }, "starting a chain failed"),
      );
    });
    await this.startChains();
  }

  /** The running chain, when this process runs it (tests reach an embedded chain through it). */
  async runner(chain: string): Promise<RunningChain | undefined> {
    await this.checking.catch(() => undefined);
    return this.runners.get(chain);
  }

  private async hasWork(chain: string): Promise<boolean> {
    const { store } = this.deps;
    if ((await store.listOpenChainJobs(chain, 1)).length > 0) return true;
    return (await store.listDeployedCollections(chain)).length > 0;
  }

  private startChains(): Promise<void> {
    this.checking = this.checking.catch(() => undefined).then(() => this.startChainsWithWork());
    return this.checking;
  }

  private async startChainsWithWork(): Promise<void> {
    for (const info of this.deps.chains.all()) {
      if (this.singletons.has(info.name) || !(await this.hasWork(info.name))) continue;
      const { chains, log, dataDir, locks, ...context } = this.deps;
      const chainLog = log.child({ component: "chain", chain: info.name });
      const adapter = chains.adapterOf(info);
      const stateDir = join(resolve(dataDir), "chains");
      const singleton = new Singleton(
        locks,
        `chain:${info.name}`,
        () => {
          let running: RunningChain | null = null;
          return {
            start: async () => {
              running = await adapter.startChain(info, { ...context, log: chainLog, stateDir });
              this.runners.set(info.name, running);
            },
            stop: async () => {
              this.runners.delete(info.name);
              await running?.stop();
            },
          };
        },
        chainLog,
      );
      this.singletons.set(info.name, singleton);
      await singleton.start();
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.checking.catch(() => undefined);
    for (const singleton of this.singletons.values()) await singleton.stop();
  }
}

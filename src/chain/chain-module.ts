import { join, resolve } from "node:path";
import type { Logger } from "pino";
import type { ChainObservations } from "../core/chain/chain-observations.js";
import type { ChainResults } from "../core/chain/chain-results.js";
import type { ChainRegistry } from "../core/chain/chains.js";
import type { Store } from "../core/ports/store.js";
import type { SecretBox } from "../core/runtime/secret-box.js";
import type { Signals } from "../core/runtime/signals.js";
import { Singleton, type ExclusiveLocks } from "../core/runtime/singleton.js";
import { ChainRunner } from "./evm/evm-runner.js";

/**
 * The `chain` role: one runner per configured chain, started when the chain first has work
 * (a job, or a deployed collection to watch), so a Herald that never mints never loads the EVM.
 * A chain's runner holds its signer's nonces: it runs in one process at a time (a singleton).
 */
/** What the chain role works with; given by the composition root. */
export interface ChainModuleDeps {
  chains: ChainRegistry;
  store: Store;
  signals: Signals;
  results: ChainResults;
  observations: ChainObservations;
  /** Seals generated signer keys. */
  box: SecretBox;
  /** Who runs each chain when processes share a database. */
  locks: ExclusiveLocks;
  log: Logger;
  /** Embedded chains keep their journals under `<dataDir>/chains/`. */
  dataDir: string;
}

export class ChainModule {
  private readonly singletons = new Map<string, Singleton>();
  private readonly runners = new Map<string, ChainRunner>();
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

  /** The chain's runner, when this process runs it (tests reach the embedded chain through it). */
  async runner(chain: string): Promise<ChainRunner | undefined> {
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
      const { store, signals, results, observations, log, dataDir, box, locks } = this.deps;
      const chainLog = log.child({ component: "chain", chain: info.name });
      const singleton = new Singleton(
        locks,
        `chain:${info.name}`,
        () => {
          const runner = new ChainRunner(info, {
            store,
            signals,
            results,
            observations,
            box,
            log: chainLog,
            journalPath: join(resolve(dataDir), "chains", `${info.name}.journal`),
          });
          return {
            start: async () => {
              await runner.start();
              this.runners.set(info.name, runner);
            },
            stop: async () => {
              this.runners.delete(info.name);
              await runner.stop();
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

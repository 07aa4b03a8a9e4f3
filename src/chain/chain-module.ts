import { join, resolve } from "node:path";
import type { Services } from "../app.js";
import type { SecretBox } from "../core/secret-box.js";
import { Singleton, type ExclusiveLocks } from "../core/singleton.js";
import { ChainRunner } from "./chain-runner.js";

/**
 * The `chain` role: one runner per configured chain, started when the chain first has work
 * (a job, or a deployed collection to watch), so a Herald that never mints never loads the EVM.
 * A chain's runner holds its signer's nonces: it runs in one process at a time (a singleton).
 */
export class ChainModule {
  private readonly singletons = new Map<string, Singleton>();
  private readonly runners = new Map<string, ChainRunner>();
  private unsubscribe: (() => void) | null = null;
  private checking: Promise<void> = Promise.resolve();

  constructor(
    private readonly services: Services,
    private readonly box: SecretBox,
    private readonly locks: ExclusiveLocks,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.services.signals.onChainJobsQueued(() => {
      this.startChains().catch((error: unknown) =>
        this.services.log.error({ err: error }, "starting a chain failed"),
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
    const { store } = this.services;
    if ((await store.listOpenChainJobs(chain, 1)).length > 0) return true;
    return (await store.listDeployedCollections(chain)).length > 0;
  }

  private startChains(): Promise<void> {
    this.checking = this.checking.catch(() => undefined).then(() => this.startChainsWithWork());
    return this.checking;
  }

  private async startChainsWithWork(): Promise<void> {
    for (const info of this.services.chains.all()) {
      if (this.singletons.has(info.name) || !(await this.hasWork(info.name))) continue;
      const { store, signals, chainResults, chainObservations, log, config } = this.services;
      const chainLog = log.child({ component: "chain", chain: info.name });
      const singleton = new Singleton(
        this.locks,
        `chain:${info.name}`,
        () => {
          const runner = new ChainRunner(info, {
            store,
            signals,
            results: chainResults,
            observations: chainObservations,
            box: this.box,
            log: chainLog,
            journalPath: join(resolve(config.dataDir), "chains", `${info.name}.journal`),
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

import { join, resolve } from "node:path";
import type { Services } from "../app.js";
import type { SecretBox } from "../core/secret-box.js";
import { ChainRunner } from "./chain-runner.js";

/**
 * The `chain` role: one runner per configured chain, started when the chain first has work
 * (a job, or a deployed collection to watch), so a Herald that never mints never loads the EVM.
 */
export class ChainModule {
  private readonly runners = new Map<string, Promise<ChainRunner>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly services: Services,
    private readonly box: SecretBox,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.services.signals.onChainJobsQueued(
      () => void this.startChainsWithWork(),
    );
    await this.startChainsWithWork();
  }

  /** The chain's runner once it started (tests reach the embedded chain through it). */
  runner(chain: string): Promise<ChainRunner> | undefined {
    return this.runners.get(chain);
  }

  private async hasWork(chain: string): Promise<boolean> {
    const { store } = this.services;
    if ((await store.listOpenChainJobs(chain, 1)).length > 0) return true;
    return (await store.listDeployedCollections(chain)).length > 0;
  }

  private async startChainsWithWork(): Promise<void> {
    for (const info of this.services.chains.all()) {
      if (this.runners.has(info.name)) continue;
      if (!(await this.hasWork(info.name)) || this.runners.has(info.name)) continue;
      const { store, signals, chainResults, chainObservations, log, config } = this.services;
      const runner = new ChainRunner(info, {
        store,
        signals,
        results: chainResults,
        observations: chainObservations,
        box: this.box,
        log: log.child({ component: "chain", chain: info.name }),
        journalPath: join(resolve(config.dataDir), "chains", `${info.name}.journal`),
      });
      this.runners.set(
        info.name,
        runner.start().then(() => runner),
      );
      await this.runners.get(info.name);
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    for (const runner of this.runners.values()) await (await runner.catch(() => null))?.stop();
  }
}

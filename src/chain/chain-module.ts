import type { Services } from "../app.js";
import type { SecretBox } from "../core/secret-box.js";
import { ChainRunner } from "./chain-runner.js";

/**
 * The `chain` role: one runner per configured chain, started when the chain first has work,
 * so a Herald that never mints never loads the EVM.
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

  private async startChainsWithWork(): Promise<void> {
    for (const info of this.services.chains.all()) {
      if (this.runners.has(info.name)) continue;
      const open = await this.services.store.listOpenChainJobs(info.name, 1);
      if (open.length === 0 || this.runners.has(info.name)) continue;
      const runner = new ChainRunner(info, {
        store: this.services.store,
        signals: this.services.signals,
        results: this.services.chainResults,
        box: this.box,
        log: this.services.log.child({ component: "chain", chain: info.name }),
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

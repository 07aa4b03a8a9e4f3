// Operational events about a chain's signers: `signer.balance_low` when a signer's balance
// crosses below the chain's threshold (once per crossing: core/policy/signer-choice.ts), to every
// project with work on that chain (a collection or reward there, or a job queued for it).
import { newId } from "../runtime/ids.js";
import type { Store } from "../ports/store.js";
import { buildEnvelope } from "../policy/envelope.js";
import type { Signals } from "../runtime/signals.js";

export interface BalanceLow {
  chain: string;
  address: string;
  /** In the native coin, as decimal text ("0.049"). */
  balance: string;
  threshold: string;
}

export class SignerAlerts {
  constructor(
    private readonly store: Store,
    private readonly signals: Signals,
    private readonly now: () => number = Date.now,
  ) {}

  /** The projects with work on `chain`. */
  private async projectsOn(chain: string): Promise<string[]> {
    const projects = new Set<string>();
    for (const c of await this.store.listDeployedCollections(chain)) projects.add(c.projectId);
    for (const job of await this.store.listOpenChainJobs(chain, 1_000)) projects.add(job.projectId);
    return [...projects];
  }

  async balanceLow(low: BalanceLow): Promise<void> {
    const at = this.now();
    const type = "signer.balance_low";
    const events = (await this.projectsOn(low.chain)).map((projectId) => {
      const id = newId();
      return {
        event: {
          id,
          projectId,
          type,
          actionId: null,
          createdAt: at,
          payload: buildEnvelope({ id, type, data: low, timestamp: at }),
        },
      };
    });
    if (events.length === 0) return;
    await this.store.publishEvents(events);
    this.signals.deliveriesQueued();
  }
}

// `GET /chains`: every configured chain as a project sees it: its settings, its head and
// signers where this process runs it (a chain runs in one process at a time), and the
// project's own jobs on it by status.
import type { ChainInfo } from "./chain-types.js";
import type { ChainRegistry } from "./chains.js";
import type { LiveChainStatus, RunningChain } from "../ports/chain-adapter.js";
import type { ChainStore } from "../ports/chain-store.js";
import { conflict, notFound } from "../errors.js";

export interface ChainView {
  name: string;
  family: string;
  chainId: number | null;
  embedded: boolean;
  confirmations: number;
  finality: number;
  /** Whether this process runs the chain (its live state below); false: not here (not
   * started yet: no work; or another process runs it). */
  running: boolean;
  head: number | null;
  signers: LiveChainStatus["signers"];
  nodes?: LiveChainStatus["nodes"];
  /** The project's unfinished jobs on the chain. */
  jobs: { queued: number; sent: number; confirmed: number };
}

export class ChainStatusService {
  constructor(
    private readonly chains: ChainRegistry,
    private readonly store: Pick<ChainStore, "listOpenChainJobs">,
    /** The chain's runner when this process runs it. */
    private readonly running: (chain: string) => Promise<RunningChain | undefined>,
  ) {}

  /** The admin's cancellation of a stuck nonce, on a chain this process runs. */
  async cancelNonce(chain: string, signer: string, nonce: number): Promise<{ txHash: string }> {
    if (!this.chains.get(chain)) throw notFound(`chain ${chain}`);
    const runner = await this.running(chain);
    if (!runner) {
      throw conflict(
        `chain ${chain} is not running in this process (it starts with its first job)`,
      );
    }
    if (!runner.cancelNonce) throw conflict(`chain ${chain}'s family has no nonces to cancel`);
    return runner.cancelNonce(signer, nonce);
  }

  async list(projectId: string): Promise<ChainView[]> {
    return Promise.all(this.chains.all().map((chain) => this.view(projectId, chain)));
  }

  private async view(projectId: string, chain: ChainInfo): Promise<ChainView> {
    const jobs = { queued: 0, sent: 0, confirmed: 0 };
    for (const job of await this.store.listOpenChainJobs(chain.name, Number.MAX_SAFE_INTEGER)) {
      if (job.projectId === projectId && job.status in jobs)
        jobs[job.status as keyof typeof jobs] += 1;
    }
    const runner = await this.running(chain.name);
    const live = runner?.status ? await runner.status().catch(() => null) : null;
    return {
      name: chain.name,
      family: chain.family,
      chainId: chain.chainId || null,
      embedded: chain.rpcUrl === null,
      confirmations: chain.confirmations,
      finality: chain.finality,
      running: runner !== undefined,
      head: live?.head ?? null,
      signers: live?.signers ?? [],
      ...(live?.nodes ? { nodes: live.nodes } : {}),
      jobs,
    };
  }
}

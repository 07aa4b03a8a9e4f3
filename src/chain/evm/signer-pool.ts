// A chain's signing accounts and which one sends each job (the policy: core/policy/
// signer-choice.ts). Each signer has its own transaction manager, so its own nonce lane; a job
// goes to a signer its contract accepts (the collection contract's owner or one of the minters
// it was deployed with; a rewards contract's owner), and the jobs of one order key (one NFT's,
// or one collection's) stay on the signer they are pending on.
import { setTimeout as sleep } from "node:timers/promises";
import { ContractFunctionExecutionError, type Address, type PublicClient } from "viem";
import { pickSigner } from "../../core/policy/signer-choice.js";
import { collectionArtifact } from "./artifacts.js";
import type { TxManager } from "./tx/tx-manager.js";

/** How often a job waiting for room on a signer looks again. */
const ROOM_POLL_MS = 100;

export interface PoolSigner {
  address: Address;
  tx: TxManager;
  /** Its balance was last read at or above the low threshold (or none is set). */
  funded: boolean;
  /** Whether its balance was low at the last read (undefined: not read yet). */
  low?: boolean;
  /** As last read, for the metrics and the chains API. */
  balance?: bigint;
  nonce?: number;
  /** Sends under way (not yet given a nonce by its manager). */
  sending: number;
}

const OWNER_ABI = [
  {
    type: "function",
    name: "owner",
    stateMutability: "view",
    inputs: [],
    outputs: [{ type: "address" }],
  },
] as const;

export class SignerPool {
  /** Order key → the signer its pending jobs are on, and how many. */
  private readonly bound = new Map<string, { address: Address; jobs: number }>();
  private readonly accepted = new Map<string, Set<string>>();

  constructor(
    readonly signers: readonly PoolSigner[],
    private readonly maxPending: number,
    private readonly client: PublicClient,
  ) {}

  /** The first signer: the one a record from before signer pools was sent by. */
  get primary(): PoolSigner {
    return this.signers[0]!;
  }

  get addresses(): Address[] {
    return this.signers.map((s) => s.address);
  }

  /** The signer that sent a record. */
  of(from: string | undefined): PoolSigner {
    if (!from) return this.primary;
    const lower = from.toLowerCase();
    return this.signers.find((s) => s.address.toLowerCase() === lower) ?? this.primary;
  }

  /** The signers a deployed contract accepts, read once per contract: its minters where it
   * has them (HeraldCollection), else its owner alone. */
  async acceptedBy(contract: Address): Promise<Set<string>> {
    const known = this.accepted.get(contract);
    if (known) return known;
    let accepted: Set<string>;
    try {
      const minters = await Promise.all(
        this.signers.map((s) =>
          this.client.readContract({
            address: contract,
            abi: collectionArtifact.abi,
            functionName: "isMinter",
            args: [s.address],
          }),
        ),
      );
      accepted = new Set(this.signers.filter((_, i) => minters[i] === true).map((s) => s.address));
    } catch (error) {
      // A contract without minters (a rewards contract, a collection from before pools): its
      // owner alone. Anything else (the node is down) is thrown: the job is tried again.
      if (!(error instanceof ContractFunctionExecutionError)) throw error;
      const owner = await this.client.readContract({
        address: contract,
        abi: OWNER_ABI,
        functionName: "owner",
      });
      const lower = owner.toLowerCase();
      accepted = new Set(
        this.signers.filter((s) => s.address.toLowerCase() === lower).map((s) => s.address),
      );
    }
    this.accepted.set(contract, accepted);
    return accepted;
  }

  /**
   * A signer for a job of `orderKey` among `accepted`, once one has room; null when none of
   * them is funded (the job waits like a failed send). The signer is bound to the order key
   * until `release`; its send counts against its limit until `sent`.
   */
  async acquire(
    orderKey: string,
    accepted: ReadonlySet<string>,
    running: () => boolean,
  ): Promise<PoolSigner | null> {
    for (;;) {
      const sticky = this.bound.get(orderKey)?.address ?? null;
      const pick = pickSigner(
        this.signers.map((s) => ({
          address: s.address,
          pending: s.tx.pendingCount + s.sending,
          maxPending: this.maxPending,
          funded: s.funded,
        })),
        accepted,
        sticky,
      );
      if (pick.kind === "unfunded") return null;
      if (pick.kind === "signer") {
        const signer = this.of(pick.address);
        signer.sending += 1;
        this.bind(orderKey, signer);
        return signer;
      }
      if (!running()) return null;
      await sleep(ROOM_POLL_MS);
    }
  }

  /** The send under way ended (its nonce taken, or it failed). */
  sent(signer: PoolSigner): void {
    signer.sending -= 1;
  }

  /** A job of `orderKey` is no longer pending on `signer` (mined, failed, or given up). */
  release(orderKey: string): void {
    const binding = this.bound.get(orderKey);
    if (!binding) return;
    binding.jobs -= 1;
    if (binding.jobs <= 0) this.bound.delete(orderKey);
  }

  /** A job of `orderKey` pending on `signer` (just acquired, or resumed after a restart). */
  bind(orderKey: string, signer: PoolSigner): void {
    const binding = this.bound.get(orderKey);
    if (binding) binding.jobs += 1;
    else this.bound.set(orderKey, { address: signer.address, jobs: 1 });
  }
}

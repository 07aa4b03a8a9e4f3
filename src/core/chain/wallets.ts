// Custodial wallets: one per owner (an email, or a user id the project chose) per chain,
// derived by the chain's family rather than generated, recorded on first use, announced with
// `wallets.create.succeeded`.
import { buildEnvelope } from "../policy/envelope.js";
import type { Store } from "../ports/store.js";
import { newId } from "../runtime/ids.js";
import type { Signals } from "../runtime/signals.js";
import type { CustodialOwner, Wallet } from "./chain-types.js";
import type { ChainRegistry } from "./chains.js";
import { ownerFields, ownerKey } from "./custodial-owners.js";

export class WalletService {
  constructor(
    private readonly store: Store,
    private readonly chains: ChainRegistry,
    /** Custodial wallets' keys are derived from it (never stored); 32 bytes. */
    private readonly custodialSecret: Uint8Array,
    private readonly signals: Signals,
    private readonly apiUrl: (path: string) => string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The wallet's address, where `wallets.create.succeeded` points. */
  url(wallet: Pick<Wallet, "chain" | "address">): string {
    return this.apiUrl(`/wallets/${wallet.address}`);
  }

  /** The address an owner's wallet on `chain` has (or will have): derived, stored nowhere. */
  addressOf(projectId: string, owner: CustodialOwner, chain: string): string {
    const info = this.chains.get(chain);
    if (!info) throw new Error(`unknown chain ${chain}`);
    return this.chains
      .adapterOf(info)
      .custodialAddress(this.custodialSecret, projectId, ownerKey(owner));
  }

  /** The owner's wallet on `chain`, recorded and announced the first time. */
  async ensure(
    projectId: string,
    owner: CustodialOwner,
    chain: string,
  ): Promise<{ created: boolean; wallet: Wallet }> {
    const address = this.addressOf(projectId, owner, chain);
    const key = ownerKey(owner);
    const now = this.now();
    const eventId = newId();
    const type = "wallets.create.succeeded";
    const result = await this.store.ensureWallet(
      { projectId, email: key, chain, address, createdAt: now },
      {
        id: eventId,
        projectId,
        type,
        actionId: null,
        createdAt: now,
        payload: buildEnvelope({
          id: eventId,
          type,
          startedAt: now,
          completedAt: now,
          data: { chain, wallet: { address, ...ownerFields(key) } },
          resource: this.url({ chain, address }),
          timestamp: now,
        }),
      },
    );
    if (result.created) this.signals.deliveriesQueued();
    return result;
  }
}

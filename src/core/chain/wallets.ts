// Custodial wallets: one per owner (an email, or a user id the project chose) per chain,
// derived by the chain's family rather than generated, recorded on first use, announced with
// `wallets.create.succeeded`. Crossmint's wallet API creates them, lists an owner's, and lists
// the NFTs a wallet holds.
import { invalid, notFound } from "../errors.js";
import { buildEnvelope, type EnvelopeFields } from "../policy/envelope.js";
import { appOf, networkOf } from "../original/app.js";
import { appUserOfOwner } from "../original/app-users.js";
import type { Store } from "../ports/store.js";
import { newId } from "../runtime/ids.js";
import type { Signals } from "../runtime/signals.js";
import {
  EVM_ON_CHAIN_NAMES,
  type CustodialOwner,
  type HeldNft,
  type OnChainNames,
  type Wallet,
} from "./chain-types.js";
import type { ChainRegistry } from "./chains.js";
import {
  ownerFields,
  ownerKey,
  parseOwner,
  recipientOwner,
  type OwnerInput,
} from "./custodial-owners.js";
import { parseRecipient } from "./recipients.js";
import { NO_TRACE, type TraceContext } from "../ports/trace.js";

/** The most NFTs one page of a wallet's list holds, and the last page one can ask for. */
export const MAX_WALLET_NFTS_PER_PAGE = 100;
export const MAX_WALLET_NFTS_PAGE = 1_000_000;

export class WalletService {
  constructor(
    private readonly store: Store,
    private readonly chains: ChainRegistry,
    /** Custodial wallets' keys are derived from it (never stored); 32 bytes. */
    private readonly custodialSecret: Uint8Array,
    private readonly signals: Signals,
    private readonly apiUrl: (path: string) => string,
    private readonly traces: TraceContext = NO_TRACE,
    private readonly now: () => number = Date.now,
  ) {}

  /** The wallet (`GET /wallets/<chain>:<address>`), where `wallets.create.succeeded` points. */
  url(wallet: Pick<Wallet, "chain" | "address">): string {
    return this.apiUrl(`/wallets/${wallet.chain}:${wallet.address}`);
  }

  /** The address an owner's wallet on `chain` has (or will have): derived, stored nowhere. */
  addressOf(projectId: string, owner: CustodialOwner, chain: string): string {
    const info = this.chains.get(chain);
    if (!info) throw new Error(`unknown chain ${chain}`);
    return this.chains
      .adapterOf(info)
      .custodialAddress(this.custodialSecret, projectId, ownerKey(owner));
  }

  /**
   * The owner's wallet on `chain`, recorded the first time and announced to both families:
   * Crossmint's `wallets.create.succeeded` and Original's `wallet.created`.
   */
  async ensure(
    projectId: string,
    owner: CustodialOwner,
    chain: string,
  ): Promise<{ created: boolean; wallet: Wallet }> {
    const address = this.addressOf(projectId, owner, chain);
    const key = ownerKey(owner);
    const existing = await this.store.getWallet(projectId, key, chain);
    if (existing) return { created: false, wallet: existing };
    const project = await this.store.getProject(projectId);
    if (!project) throw notFound("project");
    const info = this.chains.get(chain)!;
    const now = this.now();
    const traceParent = this.traces.current();
    const event = (type: string, fields: Omit<EnvelopeFields, "id" | "type" | "timestamp">) => {
      const id = newId();
      const payload = buildEnvelope({ id, type, ...fields, timestamp: now });
      return { id, projectId, type, actionId: null, createdAt: now, payload, traceParent };
    };
    const result = await this.store.ensureWallet(
      { projectId, email: key, chain, address, createdAt: now },
      [
        event("wallets.create.succeeded", {
          startedAt: now,
          completedAt: now,
          data: { chain, wallet: { address, ...ownerFields(key) } },
          resource: this.url({ chain, address }),
        }),
        event("wallet.created", {
          data: {
            app: appOf(project),
            app_user: await appUserOfOwner(this.store, projectId, key),
            // A family without numeric chain ids (Solana) has none to give.
            wallet: { address, chain_id: info.chainId || null, network: networkOf(chain) },
          },
        }),
      ],
    );
    if (result.created) this.signals.deliveriesQueued();
    return result;
  }

  /** Crossmint's create wallet: the owner's wallet on `chain`, both checked first. */
  async create(projectId: string, input: OwnerInput, chain: string) {
    const owner = checkedOwner(input);
    const unavailable = this.chains.unavailable(chain);
    if (unavailable) throw invalid(unavailable);
    return this.ensure(projectId, owner, chain);
  }

  /** The owner's wallets in the project, on every chain. */
  async listOf(projectId: string, input: OwnerInput): Promise<Wallet[]> {
    return this.store.listWallets(projectId, ownerKey(checkedOwner(input)));
  }

  /** The recorded wallet an identifier names (a 404 for any other address or owner). */
  async find(projectId: string, identifier: string): Promise<Wallet> {
    const recipient = parseIdentifier(identifier, this.chains);
    const { chain } = recipient;
    const wallet =
      recipient.kind === "address"
        ? await this.store.findWalletByAddress(projectId, chain, recipient.address)
        : await this.store.getWallet(projectId, ownerKey(recipientOwner(recipient)), chain);
    if (!wallet) throw notFound("wallet");
    return wallet;
  }

  /** The NFTs the identified wallet holds now (any address; an owner's derived one), newest
   * first; `page` counts from 1. */
  async nftsOf(
    projectId: string,
    identifier: string,
    { page, perPage }: { page: number; perPage: number },
  ): Promise<{ chain: string; nfts: HeldNft[]; names: OnChainNames }> {
    if (!Number.isInteger(page) || page < 1 || page > MAX_WALLET_NFTS_PAGE)
      throw invalid(`page must be 1 to ${MAX_WALLET_NFTS_PAGE}`);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_WALLET_NFTS_PER_PAGE)
      throw invalid(`perPage must be 1 to ${MAX_WALLET_NFTS_PER_PAGE}`);
    const recipient = parseIdentifier(identifier, this.chains);
    const { chain } = recipient;
    const address =
      recipient.kind === "address"
        ? recipient.address
        : this.addressOf(projectId, recipientOwner(recipient), chain);
    const offset = (page - 1) * perPage;
    const nfts = await this.store.listWalletNfts(projectId, chain, address, {
      offset,
      limit: perPage,
    });
    return { chain, nfts, names: this.chains.get(chain)?.onChainNames ?? EVM_ON_CHAIN_NAMES };
  }
}

function checkedOwner(input: OwnerInput): CustodialOwner {
  const parsed = parseOwner(input);
  if (!parsed.ok) throw invalid(parsed.message);
  return parsed.owner;
}

/** `<chain>:<address>`, `email:<email>:<chain>` or `userId:<userId>:<chain>`, as recipients. */
function parseIdentifier(identifier: string, chains: ChainRegistry) {
  const parsed = parseRecipient(identifier, chains);
  if (!parsed.ok) throw invalid(`wallet identifier: ${parsed.message}`);
  return parsed.recipient;
}

import type { PageRequest, Store } from "../ports/store.js";
import { EVM_ON_CHAIN_NAMES, type Collection, type OnChainNames } from "./chain-types.js";
import type { ChainRegistry } from "./chains.js";
import { conflict, invalid, notFound } from "../errors.js";
import { newId } from "../runtime/ids.js";
import type { Page } from "../interfaces.js";
import { pendingAction, type ActionService } from "../webhooks/actions.js";
import { validateCollectionMetadata } from "../policy/nft-metadata.js";
import { customIdProblem } from "../policy/custom-ids.js";
import { checkWholeNumber, ON_CHAIN_LIMITS } from "../policy/on-chain-limits.js";
import type { Signals } from "../runtime/signals.js";
import { jobContext, NO_REQUEST, type RequestContext } from "../ports/request-context.js";

export interface CollectionInput {
  chain: string;
  metadata: unknown;
  fungibility?: "non-fungible" | "semi-fungible";
  transferable?: boolean;
  supplyLimit?: number;
}

export const defaultCollectionId = (chain: string) => `default-${chain}`;

/** A supply limit the contract can take (see ON_CHAIN_LIMITS), if one is given. */
function checkSupplyLimit(value: number | undefined): void {
  if (value === undefined) return;
  const problem = checkWholeNumber("supplyLimit", value, ON_CHAIN_LIMITS.supplyLimit);
  if (problem) throw invalid(problem);
}

/** Collections (ERC-721 contracts): creation records the collection, its action and its deploy job at once. */
export class CollectionService {
  constructor(
    private readonly store: Store,
    private readonly chains: ChainRegistry,
    private readonly signals: Signals,
    private readonly actions: ActionService,
    private readonly apiBase: () => string,
    /** The request's trace and fee ceiling, kept with the chain jobs it queues. */
    private readonly request: RequestContext = NO_REQUEST,
    private readonly now: () => number = Date.now,
  ) {}

  /** A URL of the versioned API, for `resource` links. */
  apiUrl(path: string): string {
    return `${this.apiBase()}${path}`;
  }

  url(id: string): string {
    return this.apiUrl(`/collections/${id}`);
  }

  /** `customId`: the caller's id (PUT); without one the collection's id is its deployment's
   * action id, as in Crossmint's examples. */
  async create(projectId: string, input: CollectionInput, customId?: string) {
    const id = customId ?? newId();
    const problem = customIdProblem(id, "collection id");
    if (problem) throw invalid(problem);
    const chain = this.chains.get(input.chain);
    if (!chain) throw invalid(this.chains.unavailable(input.chain)!);
    const metadata = validateCollectionMetadata(input.metadata);
    if (!metadata.ok) throw invalid(metadata.message);
    checkSupplyLimit(input.supplyLimit);
    if (input.fungibility === "semi-fungible" && !this.chains.semiFungible(chain.name)) {
      // Crossmint's words: "Only EVM collections may be set as semi-fungible".
      throw invalid(`fungibility: only EVM collections may be set as semi-fungible`);
    }
    const now = this.now();
    const actionId = customId === undefined ? id : newId();
    const collection: Collection = {
      projectId,
      id,
      chain: chain.name,
      metadata: metadata.metadata as Record<string, unknown>,
      fungibility: input.fungibility ?? "non-fungible",
      transferable: input.transferable ?? true,
      custody: true,
      supplyLimit: input.supplyLimit ? input.supplyLimit : null,
      status: "pending",
      contractAddress: null,
      actionId,
      createdAt: now,
      updatedAt: now,
    };
    const action = pendingAction(
      projectId,
      "collections.create",
      { chain: chain.name, collection: { id } },
      this.url(id),
      now,
      actionId,
    );
    const result = await this.store.createCollection(collection, action, {
      id: newId(),
      projectId,
      chain: chain.name,
      kind: "deploy",
      collectionId: id,
      nftId: null,
      actionId,
      payload: {
        name: metadata.metadata.name,
        symbol: metadata.metadata.symbol,
        supplyLimit: collection.supplyLimit ?? 0,
      },
      runAt: now,
      createdAt: now,
      ...jobContext(this.request),
    });
    if (result.created) this.signals.chainJobsQueued();
    return result;
  }

  /** How Crossmint's shapes name on-chain ids on `chain` (Solana: mintAddress, mintHash). */
  onChainNames(chain: string): OnChainNames {
    return this.chains.get(chain)?.onChainNames ?? EVM_ON_CHAIN_NAMES;
  }

  /** Every project has `default-<chain>`, deployed on first use. */
  async ensureDefault(projectId: string, chain: string): Promise<Collection> {
    const id = defaultCollectionId(chain);
    const existing = await this.store.getCollection(projectId, id);
    if (existing) return existing;
    const { collection } = await this.create(
      projectId,
      { chain, metadata: { name: `Default ${chain} collection`, symbol: "HRLD" } },
      id,
    );
    return collection;
  }

  /** A collection; `default-<chain>` of a known chain not configured is told how to enable it. */
  async get(projectId: string, id: string): Promise<Collection> {
    const chain = /^default-(.+)$/.exec(id)?.[1];
    if (chain && this.chains.get(chain)) return this.ensureDefault(projectId, chain);
    const collection = await this.store.getCollection(projectId, id);
    if (collection) return collection;
    if (chain && this.chains.enableable(chain)) throw invalid(this.chains.unavailable(chain)!);
    throw notFound("collection");
  }

  /**
   * `collections.update`: a new supply limit is a transaction (the contract enforces it); new
   * metadata alone is Herald's record, so that action completes at once.
   */
  async update(
    projectId: string,
    id: string,
    patch: { supplyLimit?: number; metadata?: unknown; payments?: unknown },
  ) {
    const collection = await this.get(projectId, id);
    if (collection.status !== "deployed") throw conflict("the collection is not deployed yet");
    let metadata: Record<string, unknown> | undefined;
    if (patch.metadata !== undefined) {
      const checked = validateCollectionMetadata(patch.metadata);
      if (!checked.ok) throw invalid(checked.message);
      metadata = checked.metadata as Record<string, unknown>;
    }
    checkSupplyLimit(patch.supplyLimit);
    const changes = [
      ...(patch.supplyLimit !== undefined ? ["supplyLimit"] : []),
      ...(metadata ? ["metadata"] : []),
    ];
    // `payments` alone (Crossmint's sales settings, ignored here) changes nothing.
    if (changes.length === 0 && patch.payments === undefined)
      throw invalid("give supplyLimit or metadata");
    const now = this.now();
    const ref = {
      chain: collection.chain,
      collection: { id, contractAddress: collection.contractAddress },
      changes,
    };
    const action = pendingAction(projectId, "collections.update", ref, this.url(id), now);
    if (patch.supplyLimit === undefined) {
      if (metadata) await this.store.updateCollection(projectId, id, { metadata }, now);
      await this.store.createAction(action);
      return (await this.actions.complete(projectId, action.id, "succeeded", ref)).action;
    }
    await this.store.queueOperation(action, {
      id: newId(),
      projectId,
      chain: collection.chain,
      kind: "setSupplyLimit",
      collectionId: id,
      nftId: null,
      actionId: action.id,
      payload: { supplyLimit: patch.supplyLimit, changes, ...(metadata ? { metadata } : {}) },
      runAt: now,
      createdAt: now,
      ...jobContext(this.request),
    });
    this.signals.chainJobsQueued();
    return action;
  }

  list(projectId: string, page: PageRequest): Promise<Page<Collection>> {
    return this.store.listCollections(projectId, page);
  }
}

import { conflict, HeraldError, invalid, notFound } from "../errors.js";
import type { Page } from "../interfaces.js";
import { validateMetadataInput } from "../policy/nft-metadata.js";
import type { NewChainJob } from "../ports/chain-store.js";
import type { PageRequest, Store } from "../ports/store.js";
import { newId } from "../runtime/ids.js";
import type { Signals } from "../runtime/signals.js";
import { pendingAction } from "../webhooks/actions.js";
import type { Collection, Nft, OnChainNames } from "./chain-types.js";
import type { ChainRegistry } from "./chains.js";
import type { CollectionService } from "./collections.js";
import { ownerFields, ownerKey, recipientOwner } from "./custodial-owners.js";
import { checkBatch, checkMint, type CheckedMint, type MintInput } from "./mint-requests.js";
import type { WalletService } from "./wallets.js";
import { jobContext, NO_REQUEST, type RequestContext } from "../ports/request-context.js";

export type { MintInput };

/** The most NFTs one batch request mints (Crossmint's documented batch size). */
export const MAX_BATCH_MINT = 125;

/** A collection as actions name it: its id, and its contract once deployed. */
function collectionRef(collection: Collection, names: OnChainNames) {
  const { id, contractAddress } = collection;
  return { id, ...(contractAddress ? { [names.collectionAddress]: contractAddress } : {}) };
}

/** NFTs: each operation records the NFT change, a pending action and a chain job together. */
export class NftService {
  constructor(
    private readonly store: Store,
    private readonly chains: ChainRegistry,
    private readonly collections: CollectionService,
    private readonly wallets: WalletService,
    private readonly signals: Signals,
    private readonly publicBase: () => string,
    /** The request's trace and fee ceiling, kept with the chain jobs it queues. */
    private readonly request: RequestContext = NO_REQUEST,
    private readonly now: () => number = Date.now,
  ) {}

  /** The URL of an action (a mint's: its status). */
  actionUrl(actionId: string): string {
    return this.collections.apiUrl(`/actions/${actionId}`);
  }

  url(collectionId: string, id: string): string {
    return `${this.collections.url(collectionId)}/nfts/${id}`;
  }

  /** Where the token URI points: Herald serves the metadata it stores. */
  metadataUrl(projectId: string, collectionId: string, id: string): string {
    return `${this.publicBase()}/metadata/${projectId}/${collectionId}/${id}`;
  }

  /** The collection NFTs are minted into, if it can take them. */
  private async mintable(projectId: string, collectionId: string) {
    const collection = await this.collections.get(projectId, collectionId);
    if (collection.status === "failed") throw conflict("the collection failed to deploy");
    return collection;
  }

  /** One NFT. `key`: the caller's id (PUT), an idempotency key; the NFT's own id is always its
   * mint's action id, as in Crossmint's examples. */
  async mint(projectId: string, collectionId: string, input: MintInput) {
    const collection = await this.mintable(projectId, collectionId);
    const checked = checkMint(input, collection.chain, this.chains);
    if ("problem" in checked) throw invalid(checked.problem);
    const [result] = await this.create(projectId, collection, [checked]);
    return { ...result!, collection };
  }

  /** Up to MAX_BATCH_MINT NFTs, each its own action and webhook: all checked first, then all
   * stored in one transaction (or none: a problem in any item, or no room for all). */
  async mintBatch(projectId: string, collectionId: string, inputs: MintInput[]) {
    if (inputs.length === 0 || inputs.length > MAX_BATCH_MINT)
      throw invalid(`nfts must hold 1 to ${MAX_BATCH_MINT} NFTs`);
    const collection = await this.mintable(projectId, collectionId);
    const checked = checkBatch(inputs, collection.chain, this.chains);
    if (!checked.ok) {
      const [first] = checked.problems;
      throw new HeraldError("invalid", `nfts[${first!.index}]: ${first!.message}`, {
        validationErrors: checked.problems,
      });
    }
    return { results: await this.create(projectId, collection, checked.mints), collection };
  }

  /** The checked mints' records, actions and jobs, stored together. */
  private async create(projectId: string, collection: Collection, mints: CheckedMint[]) {
    const items = [];
    for (const mint of mints) items.push(await this.prepare(projectId, collection, mint));
    const result = await this.store.createNfts(items, collection.supplyLimit);
    if ("limitReached" in result) {
      throw conflict(
        `supply limit reached: the collection allows ${collection.supplyLimit} tokens`,
      );
    }
    if (result.some((r) => r.created)) this.signals.chainJobsQueued();
    return result;
  }

  /** An NFT record, its pending action and its mint job (its recipient's wallet made first). */
  private async prepare(projectId: string, collection: Collection, mint: CheckedMint) {
    const { recipient } = mint;
    // What goes on chain must fit there (Solana: one transaction); checked before anything.
    const id = newId();
    const uri = mint.tokenUri ?? this.metadataUrl(projectId, collection.id, id);
    this.checkOnChain(collection, mint.metadata, uri);
    const owner =
      recipient.kind === "address"
        ? recipient.address
        : (await this.wallets.ensure(projectId, recipientOwner(recipient), recipient.chain)).wallet
            .address;
    const now = this.now();
    const nft: Nft = {
      projectId,
      collectionId: collection.id,
      id,
      recipient: mint.input.recipient,
      email: recipient.kind === "address" ? null : ownerKey(recipientOwner(recipient)),
      owner,
      metadata: mint.metadata,
      tokenId: null,
      status: "pending",
      txId: null,
      actionId: id,
      idempotencyKey: mint.key,
      tokenUri: mint.tokenUri,
      createdAt: now,
      updatedAt: now,
    };
    // What is known at submission, as Crossmint's pending examples show it.
    const data = {
      chain: collection.chain,
      collection: collectionRef(collection, this.collections.onChainNames(collection.chain)),
      recipient: { walletAddress: owner, ...(nft.email ? ownerFields(nft.email) : {}) },
      token: { id },
    };
    const url = this.url(collection.id, id);
    const action = pendingAction(projectId, "nfts.create", data, url, now, id);
    const job: NewChainJob = {
      id: newId(),
      projectId,
      chain: collection.chain,
      kind: "mint",
      collectionId: collection.id,
      nftId: id,
      actionId: id,
      // A custodial wallet's token is minted in custody: Herald may move it for its holder.
      payload: {
        to: owner,
        tokenUri: this.tokenUriOf(nft),
        custody: nft.email !== null && collection.custody === true,
      },
      runAt: now,
      createdAt: now,
      ...jobContext(this.request),
    };
    return { nft, action, job };
  }

  /** A 400 when the chain's family cannot hold this metadata on chain (see ChainAdapter). */
  private checkOnChain(collection: Collection, metadata: Record<string, unknown>, uri: string) {
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    const problem = this.chains.tokenMetadataProblem(collection.chain, {
      name: text(metadata.name),
      symbol: text(collection.metadata.symbol),
      uri,
    });
    if (problem) throw invalid(`metadata: ${problem}`);
  }

  /** The token URI of an NFT: where its metadata was published, or Herald's own URL. */
  private tokenUriOf(nft: Nft): string {
    return nft.tokenUri ?? this.metadataUrl(nft.projectId, nft.collectionId, nft.id);
  }

  /** An NFT by its id, or by the idempotency key it was minted with. */
  async get(projectId: string, collectionId: string, id: string): Promise<Nft> {
    const nft =
      (await this.store.getNft(projectId, collectionId, id)) ??
      (await this.store.getNftByKey(projectId, collectionId, id));
    if (!nft) throw notFound("nft");
    return nft;
  }

  /** The token URI's document: public, so a burned token's metadata is gone with it (and
   * metadata published elsewhere is not served here). */
  async publicMetadata(
    projectId: string,
    collectionId: string,
    id: string,
  ): Promise<Record<string, unknown>> {
    const nft = await this.store.getNft(projectId, collectionId, id);
    if (!nft || nft.status === "burned" || nft.tokenUri) throw notFound("metadata");
    return nft.metadata;
  }

  async list(projectId: string, collectionId: string, page: PageRequest): Promise<Page<Nft>> {
    await this.collections.get(projectId, collectionId);
    return this.store.listNfts(projectId, collectionId, page);
  }

  /** `nfts.update` (new metadata, replacing the old) or `nfts.delete` (burn), once minted. */
  async operate(
    projectId: string,
    collectionId: string,
    id: string,
    kind: "update" | "burn",
    metadata?: unknown,
    /** A burn asked on behalf of this holder: refused on chain unless it still holds the token
     * (a custody collection's `custodyBurn`). */
    holder?: string,
  ) {
    const nft = await this.get(projectId, collectionId, id);
    if (nft.status !== "minted" || nft.tokenId === null) {
      throw conflict(nft.status === "burned" ? "the nft is burned" : "the nft is not minted yet");
    }
    let replacement: { metadata: Record<string, unknown>; tokenUri: string | null } | undefined;
    if (kind === "update") {
      const checked = validateMetadataInput(metadata);
      if (!checked.ok) throw invalid(checked.message);
      replacement = checked.metadata;
    }
    const collection = await this.collections.get(projectId, collectionId);
    const now = this.now();
    const names = this.collections.onChainNames(collection.chain);
    const token = { id: nft.id, owner: { walletAddress: nft.owner }, [names.tokenId]: nft.tokenId };
    const action = pendingAction(
      projectId,
      kind === "update" ? "nfts.update" : "nfts.delete",
      {
        chain: collection.chain,
        collection: collectionRef(collection, names),
        token,
        ...(kind === "update" ? { changes: ["metadata"] } : {}),
      },
      this.url(collectionId, nft.id),
      now,
    );
    const tokenUri = replacement
      ? (replacement.tokenUri ?? this.metadataUrl(projectId, collectionId, nft.id))
      : this.tokenUriOf(nft);
    if (replacement) this.checkOnChain(collection, replacement.metadata, tokenUri);
    await this.store.queueOperation(action, {
      id: newId(),
      projectId,
      chain: collection.chain,
      kind,
      collectionId,
      nftId: nft.id,
      actionId: action.id,
      payload: {
        tokenId: nft.tokenId,
        tokenUri,
        ...(replacement
          ? { metadata: replacement.metadata, externalTokenUri: replacement.tokenUri }
          : {}),
        ...(kind === "burn" && holder && collection.custody ? { from: holder } : {}),
      },
      runAt: now,
      createdAt: now,
      ...jobContext(this.request),
    });
    this.signals.chainJobsQueued();
    return action;
  }

  /**
   * `nfts.transfer`: moves a minted token in custody (held by a custodial wallet) to `to`, on its
   * holder's behalf; it stays in custody when `to` is a custodial wallet too.
   */
  async transfer(
    projectId: string,
    collectionId: string,
    id: string,
    to: string,
    keepInCustody: boolean,
  ) {
    const nft = await this.get(projectId, collectionId, id);
    if (nft.status !== "minted" || nft.tokenId === null) {
      throw conflict(nft.status === "burned" ? "the nft is burned" : "the nft is not minted yet");
    }
    const collection = await this.collections.get(projectId, collectionId);
    const now = this.now();
    const names = this.collections.onChainNames(collection.chain);
    const action = pendingAction(
      projectId,
      "nfts.transfer",
      {
        chain: collection.chain,
        collection: collectionRef(collection, names),
        token: { id: nft.id, owner: { walletAddress: nft.owner }, [names.tokenId]: nft.tokenId },
        from: { walletAddress: nft.owner },
        to: { walletAddress: to },
      },
      this.url(collectionId, nft.id),
      now,
    );
    await this.store.queueOperation(action, {
      id: newId(),
      projectId,
      chain: collection.chain,
      kind: "transfer",
      collectionId,
      nftId: nft.id,
      actionId: action.id,
      payload: { tokenId: nft.tokenId, from: nft.owner, to, keepInCustody },
      runAt: now,
      createdAt: now,
      ...jobContext(this.request),
    });
    this.signals.chainJobsQueued();
    return action;
  }
}

import type { PageRequest, Store } from "../ports/store.js";
import type { Collection, Nft } from "./chain-types.js";
import type { ChainRegistry } from "./chains.js";
import type { CollectionService } from "./collections.js";
import { buildEnvelope } from "../policy/envelope.js";
import { conflict, invalid, notFound } from "../errors.js";
import { newId } from "../runtime/ids.js";
import type { Page } from "../interfaces.js";
import { pendingAction } from "../webhooks/actions.js";
import { validateNftMetadata } from "../policy/nft-metadata.js";
import { parseRecipient } from "./recipients.js";
import type { Signals } from "../runtime/signals.js";

export interface MintInput {
  recipient: string;
  metadata: unknown;
}

const NFT_ID = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,99}$/;

/** A collection as actions name it: its id, and its contract once deployed. */
function collectionRef(collection: Collection) {
  const { id, contractAddress } = collection;
  return { id, ...(contractAddress ? { contractAddress } : {}) };
}

/** NFTs: each operation records the NFT change, a pending action and a chain job together. */
export class NftService {
  constructor(
    private readonly store: Store,
    private readonly chains: ChainRegistry,
    private readonly collections: CollectionService,
    /** Custodial wallets' keys are derived from it (never stored); 32 bytes. */
    private readonly custodialSecret: Uint8Array,
    private readonly signals: Signals,
    private readonly publicBase: () => string,
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

  private async walletFor(projectId: string, givenEmail: string, chain: string): Promise<string> {
    // One wallet per mailbox, however the address is capitalised.
    const email = givenEmail.trim().toLowerCase();
    const info = this.chains.get(chain)!;
    const address = this.chains
      .adapterOf(info)
      .custodialAddress(this.custodialSecret, projectId, email);
    const now = this.now();
    const eventId = newId();
    const { created, wallet } = await this.store.ensureWallet(
      { projectId, email, chain, address, createdAt: now },
      {
        id: eventId,
        projectId,
        type: "wallets.create.succeeded",
        actionId: null,
        createdAt: now,
        payload: buildEnvelope({
          id: eventId,
          type: "wallets.create.succeeded",
          startedAt: now,
          completedAt: now,
          data: { chain, wallet: { address, email } },
          resource: this.collections.apiUrl(`/wallets/${address}`),
          timestamp: now,
        }),
      },
    );
    if (created) this.signals.deliveriesQueued();
    return wallet.address;
  }

  /** `customId`: the caller's id (an idempotency key); without one the NFT's id is its mint's
   * action id, as in Crossmint's examples. */
  async mint(projectId: string, collectionId: string, input: MintInput, customId?: string) {
    const id = customId ?? newId();
    if (!NFT_ID.test(id)) throw invalid("nft id must be 1-100 letters, digits, '_' or '-'");
    const collection = await this.collections.get(projectId, collectionId);
    if (collection.status === "failed") throw conflict("the collection failed to deploy");
    const parsed = parseRecipient(input.recipient, this.chains);
    if (!parsed.ok) throw invalid(`recipient: ${parsed.message}`);
    const recipient = parsed.recipient;
    if (recipient.chain !== collection.chain) {
      throw invalid(
        `recipient: the collection is on ${collection.chain}, the recipient on ${recipient.chain}`,
      );
    }
    const metadata = validateNftMetadata(input.metadata);
    if (!metadata.ok) throw invalid(metadata.message);
    const existing = await this.store.getNft(projectId, collectionId, id);
    if (existing) return { created: false, nft: existing, collection };
    const owner =
      recipient.kind === "address"
        ? recipient.address
        : await this.walletFor(projectId, recipient.email, recipient.chain);
    const now = this.now();
    // A custom id may repeat in another collection; a generated one is unique everywhere.
    const actionId = customId === undefined ? id : newId();
    const nft: Nft = {
      projectId,
      collectionId,
      id,
      recipient: input.recipient,
      email: recipient.kind === "email" ? recipient.email.toLowerCase() : null,
      owner,
      metadata: metadata.metadata as Record<string, unknown>,
      tokenId: null,
      status: "pending",
      txId: null,
      actionId,
      createdAt: now,
      updatedAt: now,
    };
    // What is known at submission, as Crossmint's pending examples show it.
    const tokenRef = {
      chain: collection.chain,
      collection: collectionRef(collection),
      recipient: { walletAddress: owner, ...(nft.email ? { email: nft.email } : {}) },
      token: { id },
    };
    const action = pendingAction(
      projectId,
      "nfts.create",
      tokenRef,
      this.url(collectionId, id),
      now,
      actionId,
    );
    const result = await this.store.createNft(
      nft,
      action,
      {
        id: newId(),
        projectId,
        chain: collection.chain,
        kind: "mint",
        collectionId,
        nftId: id,
        actionId,
        payload: { to: owner, tokenUri: this.metadataUrl(projectId, collectionId, id) },
        runAt: now,
        createdAt: now,
      },
      collection.supplyLimit,
    );
    if ("limitReached" in result) {
      throw conflict(
        `supply limit reached: the collection allows ${collection.supplyLimit} tokens`,
      );
    }
    if (result.created) this.signals.chainJobsQueued();
    return { ...result, collection };
  }

  async get(projectId: string, collectionId: string, id: string): Promise<Nft> {
    const nft = await this.store.getNft(projectId, collectionId, id);
    if (!nft) throw notFound("nft");
    return nft;
  }

  /** The token URI's document: public, so a burned token's metadata is gone with it. */
  async publicMetadata(
    projectId: string,
    collectionId: string,
    id: string,
  ): Promise<Record<string, unknown>> {
    const nft = await this.store.getNft(projectId, collectionId, id);
    if (!nft || nft.status === "burned") throw notFound("metadata");
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
  ) {
    const nft = await this.get(projectId, collectionId, id);
    if (nft.status !== "minted" || nft.tokenId === null) {
      throw conflict(nft.status === "burned" ? "the nft is burned" : "the nft is not minted yet");
    }
    let replacement: Record<string, unknown> | undefined;
    if (kind === "update") {
      const checked = validateNftMetadata(metadata);
      if (!checked.ok) throw invalid(checked.message);
      replacement = checked.metadata as Record<string, unknown>;
    }
    const collection = await this.collections.get(projectId, collectionId);
    const now = this.now();
    const token = { id, owner: { walletAddress: nft.owner }, tokenId: nft.tokenId };
    const action = pendingAction(
      projectId,
      kind === "update" ? "nfts.update" : "nfts.delete",
      {
        chain: collection.chain,
        collection: collectionRef(collection),
        token,
        ...(kind === "update" ? { changes: ["metadata"] } : {}),
      },
      this.url(collectionId, id),
      now,
    );
    await this.store.queueOperation(action, {
      id: newId(),
      projectId,
      chain: collection.chain,
      kind,
      collectionId,
      nftId: id,
      actionId: action.id,
      payload: {
        tokenId: nft.tokenId,
        tokenUri: this.metadataUrl(projectId, collectionId, id),
        ...(replacement ? { metadata: replacement } : {}),
      },
      runAt: now,
      createdAt: now,
    });
    this.signals.chainJobsQueued();
    return action;
  }
}

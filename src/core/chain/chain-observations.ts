// What the chain watcher saw on managed collections, turned into Original's chain-observed
// events (`asset.minted`, `asset.transferred`, `asset.burned`, `asset.edited`) and into
// Herald's records (a token's owner, a burn nobody asked Herald for).
import type { Store } from "../ports/store.js";
import type { BlockRef, Collection, Nft, ObservedLog, Wallet } from "./chain-types.js";
import type { ChainInfo } from "./chain-types.js";
import { ownerFields } from "./custodial-owners.js";
import { nftOfUndone, removedLogs, undoPatch, undoneLog } from "./asset-reorgs.js";
import { appOf } from "../original/app.js";
import { appUserOfOwner } from "../original/app-users.js";
import { assetName } from "../original/assets.js";
import { buildEnvelope } from "../policy/envelope.js";
import { newId } from "../runtime/ids.js";
import type { Project } from "../interfaces.js";
import type { Signals } from "../runtime/signals.js";

/** One decoded log of a managed collection, as its chain family read it. */
export interface TokenLog {
  /** A token minted, moved or burned (`from`, `to` in the family's form), or its metadata changed. */
  kind: "mint" | "transfer" | "burn" | "metadata";
  contractAddress: string;
  tokenId: string;
  /** Mints, transfers and burns: the family's empty address stands for "none". */
  from?: string;
  to?: string;
  txHash: string;
  blockNumber: number;
  logIndex: number;
  /** The log's place among its transaction's logs of managed collections. */
  position: number;
}

export interface ObservationUrls {
  /** The token URI Herald serves for an NFT. */
  tokenUri(projectId: string, collectionId: string, nftId: string): string;
  /** The NFT in the API. */
  nftResource(collectionId: string, nftId: string): string;
}

type AssetEvent = "asset.minted" | "asset.transferred" | "asset.burned" | "asset.edited";

/** Which event a log is, and the `transaction_log.type` Original gives it. */
const ASSET_EVENTS: Record<TokenLog["kind"], { type: AssetEvent; txType: string }> = {
  metadata: { type: "asset.edited", txType: "edit" },
  mint: { type: "asset.minted", txType: "mint" },
  burn: { type: "asset.burned", txType: "burn" },
  transfer: { type: "asset.transferred", txType: "transfer" },
};

export function classifyTokenLog(log: TokenLog): { type: AssetEvent; txType: string } {
  return ASSET_EVENTS[log.kind];
}

export class ChainObservations {
  constructor(
    private readonly store: Store,
    private readonly signals: Signals,
    private readonly urls: ObservationUrls,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Publishes one event per log (each log once, ever) and moves the chain's cursor to
   * `cursor`, in one transaction. `collections` maps contract addresses to collections.
   * `range`: the blocks `logs` are all of the managed collections' logs in; a log recorded
   * there before and absent now was removed by a reorg, and is announced (`asset.reorged`).
   */
  async record(
    chain: ChainInfo,
    cursor: BlockRef,
    logs: TokenLog[],
    collections: ReadonlyMap<string, Collection>,
    range?: { from: number; to: number },
  ): Promise<void> {
    const projects = new Map<string, Project | null>();
    const observed: ObservedLog[] = range ? await this.removed(chain, logs, range) : [];
    for (const log of logs) {
      const collection = collections.get(log.contractAddress);
      if (!collection) continue;
      if (!projects.has(collection.projectId)) {
        projects.set(collection.projectId, await this.store.getProject(collection.projectId));
      }
      const project = projects.get(collection.projectId);
      if (!project) continue;
      observed.push(await this.observe(chain, project, collection, log));
    }
    const deliveries = await this.store.recordObservedLogs(
      chain.name,
      cursor,
      observed,
      this.now(),
    );
    if (deliveries > 0) this.signals.deliveriesQueued();
  }

  /** The logs recorded in `range` that the chain no longer has, as the store forgets them. */
  private async removed(
    chain: ChainInfo,
    logs: TokenLog[],
    range: { from: number; to: number },
  ): Promise<ObservedLog[]> {
    const recorded = await this.store.listObservedLogs(chain.name, range.from, range.to);
    const undone: ObservedLog[] = [];
    for (const log of removedLogs(recorded, logs)) {
      const ref = nftOfUndone(log);
      const nft = ref ? await this.store.getNft(ref.projectId, ref.collectionId, ref.id) : null;
      undone.push(undoneLog(log, ref, undoPatch(log, nft), this.now()));
    }
    return undone;
  }

  private async observe(
    chain: ChainInfo,
    project: Project,
    collection: Collection,
    log: TokenLog,
  ): Promise<ObservedLog> {
    const { type, txType } = classifyTokenLog(log);
    const nft = await this.store.getNftByTokenId(project.id, collection.id, log.tokenId);
    const at = this.now();
    const id = newId();
    const transfer = log.kind !== "metadata";
    const deposit =
      type === "asset.transferred" && log.to
        ? await this.store.findWalletByAddress(project.id, chain.name, log.to)
        : null;
    const data = {
      app: appOf(project),
      asset: await this.asset(chain, collection, nft, log),
      collection: {
        uid: collection.id,
        name: collection.metadata.name ?? null,
        type: "ERC721",
        symbol: collection.metadata.symbol ?? null,
        website: null,
        image_url: collection.metadata.imageUrl ?? null,
        description: collection.metadata.description ?? "",
        contract_address: collection.contractAddress,
      },
      transaction_log: {
        type: txType,
        chain_id: chain.chainId || null,
        chain: chain.name,
        transaction_hash: log.txHash,
        block_number: log.blockNumber,
        log_index: log.logIndex,
        ...(transfer ? { from_address: log.from, to_address: log.to } : {}),
        ...(deposit ? { deposit: true, to_app_user: ownerFields(deposit.email) } : {}),
      },
    };
    const patch: Partial<Pick<Nft, "status" | "owner">> =
      type === "asset.burned"
        ? { status: "burned" }
        : type === "asset.transferred"
          ? { owner: log.to! }
          : {};
    return {
      txHash: log.txHash,
      position: log.position,
      blockNumber: log.blockNumber,
      event: {
        id,
        projectId: project.id,
        type,
        actionId: null,
        createdAt: at,
        payload: buildEnvelope({
          id,
          type,
          data,
          resource: nft ? this.urls.nftResource(collection.id, nft.id) : null,
          timestamp: at,
        }),
      },
      ...(nft && Object.keys(patch).length > 0
        ? { nft: { projectId: project.id, collectionId: collection.id, id: nft.id, patch } }
        : {}),
    };
  }

  /** Original's `asset`; a token Herald did not mint has only its id. */
  private async asset(chain: ChainInfo, collection: Collection, nft: Nft | null, log: TokenLog) {
    const tokenId = Number(log.tokenId);
    const token_id = Number.isSafeInteger(tokenId) ? tokenId : log.tokenId;
    if (!nft) return { uid: null, token_id };
    const wallet = nft.email
      ? await this.store.getWallet(nft.projectId, nft.email, chain.name)
      : null;
    // What Original's API added, for an asset created through it.
    const original = await this.store.getOriginalAsset(nft.projectId, nft.id);
    const name = original ? assetName(original, token_id) : (nft.metadata.name ?? null);
    return {
      uid: nft.id,
      name,
      metadata: { ...nft.metadata, original_id: nft.id },
      token_id,
      asset_external_id: original?.assetExternalId ?? null,
      // Herald serves the metadata and keeps the image where it was given: no IPFS ids.
      image_cid: null,
      token_uri: this.urls.tokenUri(nft.projectId, collection.id, nft.id),
      metadata_cid: null,
      ...(wallet ? { mint_for_app_user: await this.mintFor(nft.projectId, wallet) } : {}),
    };
  }

  /** Original's `mint_for_app_user`: the app user a custodial wallet belongs to. */
  private async mintFor(projectId: string, wallet: Wallet) {
    const user = await appUserOfOwner(this.store, projectId, wallet.email);
    return {
      uid: user.uid,
      email: user.email,
      user_external_id: user.user_external_id,
      wallet_id: `${wallet.chain}:${wallet.address}`,
      wallet_address: wallet.address,
    };
  }
}

// Original's assets: an asset is an NFT Herald mints for an app user (its uid is the NFT's id),
// with what Original's API adds (external id, sale price, the name rule). Minting, editing and
// burning go through the NFT service, so the asset's chain work, actions and Crossmint events
// are the NFT's; `asset.*` events come from the chain watcher, as for every managed collection.
import type { Collection, Nft } from "../chain/chain-types.js";
import type { CollectionService } from "../chain/collections.js";
import type { ChainRegistry } from "../chain/chains.js";
import type { NftService } from "../chain/nfts.js";
import type { WalletService } from "../chain/wallets.js";
import { ownerKey, ownerOfKey } from "../chain/custodial-owners.js";
import { HeraldError } from "../errors.js";
import type { OriginalAsset, OriginalOperation, OriginalUser } from "../interfaces.js";
import type { PageRequest, Store } from "../ports/store.js";
import { newId } from "../runtime/ids.js";
import { originalStatus } from "./app.js";
import { fieldError, type OriginalUserService } from "./users.js";

export interface AssetData {
  name: string;
  unique_name: boolean;
  image_url: string;
  store_image_on_ipfs?: boolean | null;
  description?: string | null;
  external_url?: string | null;
  attributes?: Array<{
    trait_type: string;
    value: string | number;
    display_type?: string | null;
  }> | null;
}

export interface NewAssetInput {
  user_uid: string;
  collection_uid: string;
  asset_external_id?: string | null;
  /** Original's older name for the external id. */
  client_id?: string | null;
  sale_price_in_usd?: number | null;
  data: AssetData;
}

/** An asset and everything its answer and its events show. */
export interface AssetState {
  asset: OriginalAsset;
  nft: Nft;
  collection: Collection;
  /** The Original user whose custodial wallet holds it now; null: an outside address. */
  ownerUserUid: string | null;
  /** The wallet of the user it was minted for, on the collection's chain. */
  mintForAddress: string;
}

/** The most assets a user's list answers (Original's lists have no pages). */
export const MAX_LISTED_ASSETS = 1000;

/** Original's name rule: as given when unique, else `<name> #<token id>` once minted. */
export function assetName(asset: Pick<OriginalAsset, "name" | "uniqueName">, tokenId: unknown) {
  return asset.uniqueName || tokenId === null || tokenId === undefined
    ? asset.name
    : `${asset.name} #${String(tokenId)}`;
}

/** Original's fields as the token metadata Herald serves (OpenSea's names). */
export function metadataOf(data: AssetData): Record<string, unknown> {
  const attributes = data.attributes?.map(({ trait_type, value, display_type }) => ({
    trait_type,
    value,
    ...(display_type != null ? { display_type } : {}),
  }));
  return {
    name: data.name,
    image: data.image_url,
    org_image_url: data.image_url,
    ...(data.description != null ? { description: data.description } : {}),
    ...(data.external_url != null ? { external_url: data.external_url } : {}),
    ...(attributes ? { attributes } : {}),
  };
}

/** The NFT service names metadata fields as Crossmint does; Original's client sent `data.*`. */
function asOriginalField(error: unknown): unknown {
  if (!(error instanceof HeraldError) || error.kind !== "invalid") return error;
  const match = /^metadata(\.[\w.[\]]+)?/.exec(error.message);
  if (!match) return error;
  const field = `data${(match[1] ?? "").replace(/^\.image\b/, ".image_url")}`;
  return fieldError(field.replace(/\[\d+\].*$/, ""), error.message.replace(/^metadata/, "data"));
}

export class OriginalAssetService {
  constructor(
    private readonly store: Store,
    private readonly users: OriginalUserService,
    private readonly nfts: NftService,
    private readonly collections: CollectionService,
    private readonly wallets: WalletService,
    private readonly chains: ChainRegistry,
    private readonly now: () => number = Date.now,
  ) {}

  /** Mints the asset to the user's wallet on the collection's chain; its uid at once. */
  async create(projectId: string, input: NewAssetInput): Promise<string> {
    const user = await this.users.get(projectId, input.user_uid);
    const collection = await this.collectionOf(projectId, input.collection_uid);
    const data = input.data;
    if (
      data.unique_name &&
      (await this.store.originalAssetNamed(projectId, collection.id, data.name))
    )
      throw fieldError("data.name", "Asset with this name already exists", "client_error");
    const recipient = `userId:${user.id}:${collection.chain}`;
    let minted: { nft: Nft };
    try {
      minted = await this.nfts.mint(projectId, collection.id, {
        recipient,
        metadata: metadataOf(data),
      });
    } catch (error) {
      throw asOriginalField(error);
    }
    // Written once the mint is accepted: a crash in between leaves the NFT (in Crossmint's API
    // and its webhooks) without Original's extra fields, never an asset without its NFT.
    await this.store.createOriginalAsset({
      id: minted.nft.id,
      projectId,
      collectionId: collection.id,
      userUid: user.id,
      assetExternalId: input.asset_external_id ?? input.client_id ?? null,
      name: data.name,
      uniqueName: data.unique_name,
      salePriceInUsd: input.sale_price_in_usd ?? null,
      createdAt: this.now(),
    });
    return minted.nft.id;
  }

  private async collectionOf(projectId: string, uid: string): Promise<Collection> {
    try {
      return await this.collections.get(projectId, uid);
    } catch (error) {
      if (error instanceof HeraldError && error.kind === "not_found")
        throw new HeraldError("not_found", "Collection not found.");
      throw error;
    }
  }

  async state(projectId: string, uid: string): Promise<AssetState> {
    const asset = await this.store.getOriginalAsset(projectId, uid);
    const nft = asset && (await this.store.getNft(projectId, asset.collectionId, asset.id));
    if (!asset || !nft) throw new HeraldError("not_found", "Asset not found.");
    const collection = await this.collections.get(projectId, asset.collectionId);
    const holder = await this.store.findWalletByAddress(projectId, collection.chain, nft.owner);
    const owner = holder ? ownerOfKey(holder.email) : null;
    const ownerUserUid =
      owner && "userId" in owner && (await this.store.getOriginalUser(projectId, owner.userId))
        ? owner.userId
        : null;
    const mintForAddress = this.wallets.addressOf(
      projectId,
      { userId: asset.userUid },
      collection.chain,
    );
    return { asset, nft, collection, ownerUserUid, mintForAddress };
  }

  /** The project's assets with their NFTs, in id order (Herald's console lists them). */
  async list(projectId: string, page: PageRequest) {
    const found = await this.store.listOriginalAssets(projectId, page);
    const data = [];
    for (const asset of found.data) {
      const nft = await this.store.getNft(projectId, asset.collectionId, asset.id);
      if (nft) data.push({ asset, nft });
    }
    return { data, nextCursor: found.nextCursor };
  }

  /** The assets the user's wallets hold now, newest first. */
  async ownedBy(projectId: string, userUid: string): Promise<AssetState[]> {
    const user = await this.store.getOriginalUser(projectId, userUid);
    if (!user) return [];
    const wallets = await this.store.listWallets(projectId, ownerKey({ userId: user.id }));
    const states: AssetState[] = [];
    for (const wallet of wallets) {
      const held = await this.store.listWalletNfts(projectId, wallet.chain, wallet.address, {
        offset: 0,
        limit: MAX_LISTED_ASSETS,
      });
      for (const { nft } of held) {
        if (!(await this.store.getOriginalAsset(projectId, nft.id))) continue;
        states.push(await this.state(projectId, nft.id));
      }
    }
    return states.slice(0, MAX_LISTED_ASSETS);
  }

  /** Replaces the asset's metadata (Original's edit: every field given, the rest dropped). */
  async edit(projectId: string, uid: string, data: AssetData): Promise<void> {
    const { asset } = await this.state(projectId, uid);
    if (
      data.unique_name &&
      data.name !== asset.name &&
      (await this.store.originalAssetNamed(projectId, asset.collectionId, data.name))
    )
      throw fieldError("data.name", "Asset with this name already exists", "client_error");
    let action: { id: string };
    try {
      action = await this.nfts.operate(
        projectId,
        asset.collectionId,
        uid,
        "update",
        metadataOf(data),
      );
    } catch (error) {
      throw asOriginalField(error);
    }
    await this.record(projectId, "edit", uid, null, null, action.id);
    // The asset's name and its rule are the edit's from now on (answers, events, the check).
    await this.store.renameOriginalAsset(projectId, uid, data.name, data.unique_name);
  }

  /** Burns the asset held by `fromUserUid`'s wallet; the burn's uid. */
  async burn(projectId: string, assetUid: string, fromUserUid: string): Promise<string> {
    const { asset, nft, ownerUserUid } = await this.transferable(projectId, assetUid, fromUserUid);
    const action = await this.nfts.operate(
      projectId,
      asset.collectionId,
      asset.id,
      "burn",
      undefined,
      nft.owner,
    );
    return this.record(projectId, "burn", asset.id, ownerUserUid, null, action.id);
  }

  /**
   * Transfers the asset held by `fromUserUid`'s wallet to `toAddress` (another user's wallet,
   * or any address); the transfer's uid. Herald moves it on the holder's behalf: only a token
   * in custody (minted to a custodial wallet, never moved out) can be.
   */
  async transfer(
    projectId: string,
    input: { asset_uid: string; from_user_uid: string; to_address: string },
  ): Promise<string> {
    const state = await this.transferable(projectId, input.asset_uid, input.from_user_uid);
    if (!state.collection.transferable)
      throw fieldError(
        "asset_uid",
        "Assets of this collection are not transferable.",
        "client_error",
      );
    if (!state.collection.custody || !state.nft.email)
      throw fieldError(
        "asset_uid",
        "This asset cannot be transferred through the API: its collection predates custody.",
        "client_error",
      );
    const parsed = this.chains.parseAddress(state.collection.chain, input.to_address.trim());
    if (!parsed.ok) throw fieldError("to_address", `Enter a valid address: ${parsed.message}`);
    if (parsed.address === state.nft.owner)
      throw fieldError("to_address", "The asset is already at this address.", "client_error");
    // A custodial wallet of the project: the asset stays in Herald's custody there.
    const custodial = await this.store.findWalletByAddress(
      projectId,
      state.collection.chain,
      parsed.address,
    );
    const action = await this.nfts.transfer(
      projectId,
      state.collection.id,
      state.nft.id,
      parsed.address,
      custodial !== null,
    );
    return this.record(
      projectId,
      "transfer",
      state.asset.id,
      input.from_user_uid,
      parsed.address,
      action.id,
    );
  }

  /** An asset its user may transfer or burn now (Original's preconditions, its messages). */
  private async transferable(projectId: string, assetUid: string, fromUserUid: string) {
    const user: OriginalUser = await this.users.get(projectId, fromUserUid);
    const state = await this.state(projectId, assetUid);
    if (state.nft.status === "burned")
      throw fieldError("asset_uid", "Asset is burned.", "client_error");
    if (state.nft.status !== "minted")
      throw fieldError("asset_uid", "Asset is not minted yet.", "client_error");
    if (state.ownerUserUid !== user.id)
      throw fieldError("from_user_uid", "Asset is not owned by this user.", "client_error");
    // A pending transfer or burn decides who holds it next: nothing more until it ends (the
    // contract also refuses a transfer from a former holder).
    if (await this.busy(state, "transfer"))
      throw fieldError("asset_uid", "Asset is being transferred.", "client_error");
    if (await this.busy(state, "burn"))
      throw fieldError("asset_uid", "Asset is being burned.", "client_error");
    return state;
  }

  private async record(
    projectId: string,
    kind: OriginalOperation["kind"],
    assetUid: string,
    fromUserUid: string | null,
    toAddress: string | null,
    actionId: string,
  ): Promise<string> {
    const id = newId();
    await this.store.createOriginalOperation({
      id,
      projectId,
      kind,
      assetUid,
      fromUserUid,
      toAddress,
      actionId,
      createdAt: this.now(),
    });
    return id;
  }

  async operation(projectId: string, kind: OriginalOperation["kind"], uid: string) {
    const operation = await this.store.getOriginalOperation(projectId, kind, uid);
    if (!operation)
      throw new HeraldError("not_found", `${kind === "burn" ? "Burn" : "Transfer"} not found.`);
    return operation;
  }

  /** Original's status of an operation: its action's (`succeeded` is Original's `done`). */
  async statusOf(operation: OriginalOperation): Promise<"pending" | "done" | "failed"> {
    const action = await this.store.getAction(operation.projectId, operation.actionId);
    return action ? originalStatus(action.status) : "pending";
  }

  /** Whether the latest operation of `kind` on the asset is still pending. */
  async busy(state: AssetState, kind: OriginalOperation["kind"]): Promise<boolean> {
    const [latest] = await this.store.listOriginalOperations(
      state.asset.projectId,
      { assetUid: state.asset.id, kind },
      1,
    );
    return latest ? (await this.statusOf(latest)) === "pending" : false;
  }

  operationsOf(projectId: string, kind: OriginalOperation["kind"], userUid: string) {
    return this.store.listOriginalOperations(
      projectId,
      { kind, fromUserUid: userUid },
      MAX_LISTED_ASSETS,
    );
  }
}

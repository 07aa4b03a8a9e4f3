// The Solana chain watcher: transfers and burns of Herald's NFTs made outside Herald (by their
// holders) become Original's `asset.transferred` / `asset.burned`, once each, and Herald's record
// of the token follows (its owner; burned). It reads what landed from where it stopped
// (watch-feeds.ts), the cursor stored with the events it publishes.
import type { Address } from "@solana/kit";
import { decodeMint, decodeToken } from "@solana-program/token-2022";
import type { ChainInfo, Collection } from "../../core/chain/chain-types.js";
import type { TokenLog } from "../../core/chain/chain-observations.js";
import type { ChainContext } from "../../core/ports/chain-adapter.js";
import type { FeedEntry, Ledger, LedgerAccount } from "./ledger/ledger.js";
import { tokenMoves, type TokenMove } from "./token-moves.js";
import type { WatchFeed } from "./watch-feeds.js";

/** Where a burn sends the token: Solana's "no address" (the system program). */
const NO_ADDRESS = "11111111111111111111111111111111";

type WatcherDeps = Pick<ChainContext, "store" | "observations" | "log">;

const encoded = (address: string, account: LedgerAccount) => ({
  address: address as Address,
  data: account.data,
  executable: false,
  lamports: account.lamports as never,
  programAddress: account.owner as Address,
  space: BigInt(account.data.length),
  exists: true as const,
});

export class SolanaWatcher {
  constructor(
    private readonly info: ChainInfo,
    private readonly ledger: Ledger,
    private readonly feed: WatchFeed,
    /** Herald's fee payer: its own transactions are its jobs, reported by their actions. */
    private readonly payer: string,
    private readonly deps: WatcherDeps,
  ) {}

  /** Where it stopped, or the cluster as it is now: what happened before it watched is not
   * news. */
  async init(): Promise<void> {
    await this.feed.init(await this.deps.store.getChainCursor(this.info.name));
  }

  /** One pass over what landed since; true when there may be more. */
  async poll(): Promise<boolean> {
    let listed: Map<string, Collection> | null = null;
    const managed = async () => {
      listed ??= new Map(
        (await this.deps.store.listDeployedCollections(this.info.name)).flatMap((c) =>
          c.contractAddress ? [[c.contractAddress, c] as const] : [],
        ),
      );
      return listed;
    };
    const batch = await this.feed.next(managed);
    if (!batch) return false;
    const collections = await managed();
    const logs: TokenLog[] = [];
    for (const entry of batch.entries) logs.push(...(await this.logsOf(entry, collections)));
    await this.deps.observations.record(this.info, batch.cursor, logs, collections);
    this.feed.commit(batch.cursor);
    return batch.more;
  }

  private async logsOf(entry: FeedEntry, collections: Map<string, Collection>) {
    const { feePayer, moves } = tokenMoves(entry.wire);
    if (feePayer === this.payer || moves.length === 0) return [];
    const logs: TokenLog[] = [];
    for (const move of moves) {
      const log = await this.logOf(entry, move, collections);
      if (log) logs.push({ ...log, position: logs.length });
    }
    return logs;
  }

  /** A move of a managed NFT (a member of one of Herald's collections), or null. */
  private async logOf(
    entry: FeedEntry,
    move: TokenMove,
    collections: Map<string, Collection>,
  ): Promise<Omit<TokenLog, "position"> | null> {
    const tokenAccount = async (address: string) => {
      const account = await this.ledger.account(address);
      return account ? decodeToken(encoded(address, account)).data : null;
    };
    const source = await tokenAccount(move.source);
    const mint = move.mint ?? source?.mint;
    if (!mint) return null;
    const mintAccount = await this.ledger.account(mint);
    if (!mintAccount) return null;
    const decoded = decodeMint(encoded(mint, mintAccount)).data;
    const extensions = decoded.extensions.__option === "Some" ? decoded.extensions.value : [];
    const member = extensions.find((e) => e.__kind === "TokenGroupMember") as
      { group: string } | undefined;
    if (!member || !collections.has(member.group)) return null;
    // The accounts as they are now: a token account's owner never changes (ImmutableOwner).
    const from = source?.owner ?? null;
    const to =
      move.kind === "transfer"
        ? ((await tokenAccount(move.destination!))?.owner ?? null)
        : NO_ADDRESS;
    if (!from || !to) return null;
    return {
      kind: move.kind,
      contractAddress: member.group,
      tokenId: mint,
      from,
      to,
      txHash: entry.signature,
      blockNumber: Number(entry.slot),
      logIndex: move.index,
    };
  }
}

// The Solana chain watcher: transfers and burns of Herald's NFTs made outside Herald (by their
// holders) become Original's `asset.transferred` / `asset.burned`, once each, and Herald's record
// of the token follows (its owner; burned). It reads the cluster's own feed of successful
// transactions (the embedded cluster keeps one, rebuilt by its replay, so a position is stable)
// from where it stopped, the cursor stored with the events it publishes.
import type { Address } from "@solana/kit";
import { decodeMint, decodeToken } from "@solana-program/token-2022";
import type { ChainInfo, Collection } from "../../core/chain/chain-types.js";
import type { TokenLog } from "../../core/chain/chain-observations.js";
import type { ChainContext } from "../../core/ports/chain-adapter.js";
import type { FeedEntry, Ledger, LedgerAccount } from "./ledger/ledger.js";
import { tokenMoves, type TokenMove } from "./token-moves.js";

/** Transactions read per pass. */
const FEED_BATCH = 500;
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
  private position = 0;

  constructor(
    private readonly info: ChainInfo,
    private readonly ledger: Required<Pick<Ledger, "landedSince" | "feedLength">> & Ledger,
    /** Herald's fee payer: its own transactions are its jobs, reported by their actions. */
    private readonly payer: string,
    private readonly deps: WatcherDeps,
  ) {}

  /** Where it stopped, or the feed's end: what happened before it watched is not news. */
  async init(): Promise<void> {
    const cursor = await this.deps.store.getChainCursor(this.info.name);
    this.position = cursor ? cursor.number : this.ledger.feedLength();
  }

  /** One pass over what landed since; true when there may be more. */
  async poll(): Promise<boolean> {
    const entries = this.ledger.landedSince(this.position, FEED_BATCH);
    if (entries.length === 0) return false;
    const collections = new Map<string, Collection>();
    for (const c of await this.deps.store.listDeployedCollections(this.info.name)) {
      if (c.contractAddress) collections.set(c.contractAddress, c);
    }
    const logs: TokenLog[] = [];
    for (const entry of entries) logs.push(...(await this.logsOf(entry, collections)));
    const last = entries.at(-1)!;
    const cursor = { number: last.position + 1, hash: last.signature };
    await this.deps.observations.record(this.info, cursor, logs, collections);
    this.position = cursor.number;
    return entries.length === FEED_BATCH;
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

// Where the Solana watcher reads what landed, from its stored cursor on:
// - the embedded cluster's own ordered feed of successful transactions (rebuilt by its replay,
//   so a position is stable): the cursor is the next position;
// - a JSON-RPC cluster's per-address history: each managed NFT's mint, read with
//   getSignaturesForAddress, from the stored slot up to the cluster's current slot at the
//   configured commitment. The window includes its first slot again (a transaction seen twice
//   is published once: observations are keyed by signature), so nothing landing in the slot a
//   pass read up to is missed. Every Token-2022 instruction that moves a managed NFT and names
//   its mint (TransferChecked, Burn, BurnChecked) is in the mint's history; docs/chain.md says
//   why the plain Transfer is not followed.
import type { BlockRef, Collection } from "../../core/chain/chain-types.js";
import type { ChainContext } from "../../core/ports/chain-adapter.js";
import type { FeedEntry, Ledger, LedgerHistory } from "./ledger/ledger.js";

/** Transactions read per pass from the embedded feed. */
const FEED_BATCH = 500;
/** getSignaturesForAddress's page size (the RPC's maximum). */
const HISTORY_PAGE = 1_000;
/** Mints whose history is read at once. */
const HISTORY_CONCURRENCY = 8;

export interface FeedBatch {
  entries: FeedEntry[];
  /** Where the next pass starts, stored with what this one publishes. */
  cursor: BlockRef;
  /** There may be more already. */
  more: boolean;
}

/** Herald's collections on the chain by group mint, read when a feed needs them. */
export type ManagedCollections = () => Promise<ReadonlyMap<string, Collection>>;

export interface WatchFeed {
  /** Where to start: the stored cursor, or (none stored) the cluster as it is now. */
  init(cursor: BlockRef | null): Promise<void>;
  /** What landed since the last committed batch, or null when nothing did. */
  next(collections: ManagedCollections): Promise<FeedBatch | null>;
  /** The batch's events are stored: the next one starts at its cursor. */
  commit(cursor: BlockRef): void;
}

type EmbeddedFeedLedger = Required<Pick<Ledger, "landedSince" | "feedLength">>;

export function embeddedFeed(ledger: EmbeddedFeedLedger): WatchFeed {
  let position = 0;
  return {
    init(cursor) {
      position = cursor ? cursor.number : ledger.feedLength();
      return Promise.resolve();
    },
    next() {
      const entries = ledger.landedSince(position, FEED_BATCH);
      if (entries.length === 0) return Promise.resolve(null);
      const last = entries.at(-1)!;
      return Promise.resolve({
        entries,
        cursor: { number: last.position + 1, hash: last.signature },
        more: entries.length === FEED_BATCH,
      });
    },
    commit(cursor) {
      position = cursor.number;
    },
  };
}

/** Runs `work` over `items`, at most `limit` at once. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** A managed NFT the history feed follows: its mint, and the transaction that minted it (Herald's
 * own, never news). */
interface WatchedMint {
  mint: string;
  mintTx: string | null;
}

async function watchedMints(
  store: ChainContext["store"],
  collections: ReadonlyMap<string, Collection>,
): Promise<WatchedMint[]> {
  const mints: WatchedMint[] = [];
  for (const collection of collections.values()) {
    let cursor: string | undefined;
    do {
      const page = await store.listNfts(collection.projectId, collection.id, {
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      for (const nft of page.data) {
        if (nft.status === "minted" && nft.tokenId) {
          mints.push({ mint: nft.tokenId, mintTx: nft.txId });
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return mints;
}

export function historyFeed(history: LedgerHistory, store: ChainContext["store"]): WatchFeed {
  let fromSlot = 0n;
  /** The signatures `address` saw from `fromSlot` to `head`, successful ones only. */
  const landedOn = async (watched: WatchedMint, head: bigint, into: Map<string, bigint>) => {
    let before: string | undefined;
    for (;;) {
      const page = await history.signaturesFor(watched.mint, HISTORY_PAGE, before);
      for (const s of page) {
        if (s.slot < fromSlot) return;
        if (!s.failed && s.slot <= head && s.signature !== watched.mintTx) {
          into.set(s.signature, s.slot);
        }
      }
      if (page.length < HISTORY_PAGE) return;
      before = page.at(-1)!.signature;
    }
  };
  return {
    async init(cursor) {
      fromSlot = cursor ? BigInt(cursor.number) : await history.slot();
    },
    async next(collections) {
      const head = await history.slot();
      if (head < fromSlot) return null; // a node behind the one read last time: wait for it
      const mints = await watchedMints(store, await collections());
      const found = new Map<string, bigint>();
      await eachLimited(mints, HISTORY_CONCURRENCY, (m) => landedOn(m, head, found));
      const entries: FeedEntry[] = [];
      const ordered = [...found].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [signature, slot] of ordered) {
        const wire = await history.wireOf(signature);
        // Listed but not served yet (another node behind a load balancer): the same window is
        // read again next pass.
        if (!wire) throw new Error(`transaction ${signature} is not available yet`);
        entries.push({ position: entries.length, signature, slot, wire });
      }
      if (entries.length === 0 && head === fromSlot) return null;
      return { entries, cursor: { number: Number(head), hash: "" }, more: false };
    },
    commit(cursor) {
      fromSlot = BigInt(cursor.number);
    },
  };
}

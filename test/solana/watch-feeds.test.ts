// The JSON-RPC watcher's window (src/chain/solana/watch-feeds.ts), over a scripted history: it
// reads every managed mint's transactions from the cursor's slot (inclusive) to the head, pages
// through more than 1,000, leaves out failed ones, ones past the head and the NFT's own mint, and
// reads the same window again until a batch is committed.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { SignatureInfo } from "../../src/chain/solana/ledger/ledger.js";
import { historyFeed } from "../../src/chain/solana/watch-feeds.js";
import type { Collection, Nft } from "../../src/core/chain/chain-types.js";

const collection = { projectId: "p", id: "c", contractAddress: "GROUP" } as Collection;
const nfts = [
  { tokenId: "MINT_A", txId: "mint-a", status: "minted" },
  { tokenId: "MINT_B", txId: "mint-b", status: "minted" },
  { tokenId: "MINT_C", txId: "mint-c", status: "burned" },
  { tokenId: null, txId: null, status: "pending" },
] as Nft[];

function scripted(history: Record<string, SignatureInfo[]>, head: { slot: bigint }) {
  const calls: string[] = [];
  const store = {
    listNfts: (_p: string, _c: string, page: { cursor?: string; limit: number }) => {
      // Two pages, to follow nextCursor.
      const from = page.cursor ? 2 : 0;
      return Promise.resolve({ data: nfts.slice(from, from + 2), nextCursor: from ? null : "2" });
    },
  };
  const feed = historyFeed(
    {
      slot: () => Promise.resolve(head.slot),
      signaturesFor: (address, limit, before) => {
        calls.push(`${address}${before ? ` before ${before}` : ""}`);
        const newest = [...(history[address] ?? [])].reverse();
        const from = before ? newest.findIndex((s) => s.signature === before) + 1 : 0;
        return Promise.resolve(newest.slice(from, from + limit));
      },
      wireOf: (signature) => Promise.resolve(new TextEncoder().encode(signature)),
    },
    store as never,
  );
  return { feed, calls };
}

const at = (slot: number, signature: string, failed = false): SignatureInfo => ({
  signature,
  slot: BigInt(slot),
  failed,
});
const collections = () => Promise.resolve(new Map([["GROUP", collection]]));

test("the window: from the cursor's slot to the head, successful moves only, mints in slot order", async () => {
  const head = { slot: 20n };
  const { feed, calls } = scripted(
    {
      MINT_A: [
        at(5, "old"),
        at(10, "mint-a"),
        at(10, "a-at-cursor"),
        at(15, "a-failed", true),
        at(21, "a-past-head"),
      ],
      MINT_B: [at(12, "b-move")],
      MINT_C: [at(16, "burned-nft-move")],
    },
    head,
  );
  await feed.init({ number: 10, hash: "" });
  const batch = await feed.next(collections);
  assert.deepEqual(
    batch?.entries.map((e) => [e.signature, e.slot]),
    [
      ["a-at-cursor", 10n],
      ["b-move", 12n],
    ],
  );
  assert.deepEqual(batch?.cursor, { number: 20, hash: "" });
  assert.deepEqual(calls.sort(), ["MINT_A", "MINT_B"], "burned and pending NFTs are not read");
  // Not committed (the events were not stored): the same window again.
  assert.deepEqual((await feed.next(collections))?.entries.length, 2);
  feed.commit(batch!.cursor);
  head.slot = 25n;
  const later = await feed.next(collections);
  assert.deepEqual(
    later?.entries.map((e) => e.signature),
    ["a-past-head"],
  );
  feed.commit(later!.cursor);
  assert.equal(await feed.next(collections), null, "nothing new and the head has not moved");
});

test("more than a page since the cursor: every one read, through `before`", async () => {
  const many = Array.from({ length: 2_500 }, (_, i) => at(100 + Math.floor(i / 10), `s${i}`));
  const { feed, calls } = scripted({ MINT_A: many }, { slot: 400n });
  await feed.init({ number: 100, hash: "" });
  const batch = await feed.next(collections);
  assert.equal(batch?.entries.length, 2_500);
  assert.equal(calls.filter((c) => c.startsWith("MINT_A")).length, 3);
  const slots = batch!.entries.map((e) => e.slot);
  assert.deepEqual(
    slots,
    [...slots].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
  );
});

test("no stored cursor: it starts at the cluster's current slot", async () => {
  const { feed } = scripted({ MINT_A: [at(5, "before-herald"), at(30, "after")] }, { slot: 10n });
  await feed.init(null);
  const batch = await feed.next(collections);
  assert.equal(batch, null);
});

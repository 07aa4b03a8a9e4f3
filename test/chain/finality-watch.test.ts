// FinalityWatch against a scripted chain: reorgs are reported, finality is reported, and
// nothing else is (the false reorgs of transactions confirmed during a check, or below the
// range verified so far); a quiet chain costs one call per check.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PublicClient } from "viem";
import { FinalityWatch } from "../../src/chain/evm/finality-watch.js";

/** Blocks 0..n of a fork: a block's hash names its fork and height. */
class ScriptedChain {
  blocks: Array<{ hash: string; parentHash: string }> = [];
  calls = 0;
  /** Runs inside the next `getBlock("latest")`, after the head is read. */
  duringHeadRead: (() => void) | null = null;

  constructor(length: number) {
    this.grow(length, "a");
  }

  grow(count: number, fork: string): void {
    for (let i = 0; i < count; i += 1) {
      const height = this.blocks.length;
      this.blocks.push({
        hash: `0x${fork}${height}`,
        parentHash: height === 0 ? "0x" : this.blocks[height - 1]!.hash,
      });
    }
  }

  /** Drops every block from `height` up and grows `count` blocks of `fork` in their place. */
  reorg(height: number, count: number, fork: string): void {
    this.blocks.length = height;
    this.grow(count, fork);
  }

  get head() {
    return this.blocks.length - 1;
  }

  hashAt(height: number): string {
    return this.blocks[height]!.hash;
  }

  client(): PublicClient {
    const getBlock = async (args: { blockTag?: string; blockHash?: string }) => {
      this.calls += 1;
      const height =
        args.blockTag === "latest"
          ? this.head
          : this.blocks.findIndex((b) => b.hash === args.blockHash);
      assert.ok(height >= 0, `asked for an unknown block ${args.blockHash}`);
      const block = { number: BigInt(height), ...this.blocks[height]! };
      if (args.blockTag === "latest" && this.duringHeadRead) {
        const run = this.duringHeadRead;
        this.duringHeadRead = null;
        run();
      }
      return block;
    };
    return { getBlock } as unknown as PublicClient;
  }
}

function watch(chain: ScriptedChain, finality: number, headMayLag = false) {
  const reorged: string[] = [];
  const final: string[] = [];
  const w = new FinalityWatch(
    chain.client(),
    finality,
    {
      reorged: (key) => reorged.push(key),
      final: (key) => final.push(key),
    },
    headMayLag,
  );
  return { w, reorged, final };
}

test("a block reorged away is reported; the blocks below it are not", async () => {
  const chain = new ScriptedChain(10);
  const { w, reorged, final } = watch(chain, 20);
  w.add("low", { number: 5, hash: chain.hashAt(5) });
  w.add("high", { number: 8, hash: chain.hashAt(8) });
  await w.check();
  assert.deepEqual([reorged, final], [[], []]);
  chain.reorg(7, 4, "b"); // 7..10 replaced
  await w.check();
  assert.deepEqual(reorged, ["high"]);
  assert.equal(w.size, 1);
});

test("the head going back below a block reports it", async () => {
  const chain = new ScriptedChain(10);
  const { w, reorged } = watch(chain, 20);
  w.add("k", { number: 9, hash: chain.hashAt(9) });
  await w.check();
  chain.blocks.length = 8; // evm_revert to a snapshot
  await w.check();
  assert.deepEqual(reorged, ["k"]);
});

test("several nodes, one lagging: a block above the head it shows waits, then counts by hash", async () => {
  const chain = new ScriptedChain(10);
  const { w, reorged, final } = watch(chain, 3, true);
  w.add("k", { number: 9, hash: chain.hashAt(9) });
  await w.check();
  const ahead = chain.blocks.splice(8); // the node answering now is 2 blocks behind
  await w.check();
  assert.deepEqual([reorged, final], [[], []], "not reorged: the head has not reached it");
  chain.blocks.push(...ahead); // caught up, and two blocks more: 3 deep
  chain.grow(2, "a");
  await w.check();
  assert.deepEqual([reorged, final], [[], ["k"]]);
  // A block that is truly replaced is still reported, once the head reaches its height.
  const { w: w2, reorged: reorged2 } = watch(chain, 20, true);
  w2.add("gone", { number: 11, hash: chain.hashAt(11) });
  await w2.check();
  chain.reorg(10, 1, "b"); // head 10: below the block, waits
  await w2.check();
  assert.deepEqual(reorged2, []);
  chain.grow(1, "b"); // height 11 now holds another block
  await w2.check();
  assert.deepEqual(reorged2, ["gone"]);
});

test("finality is reported at the depth, once", async () => {
  const chain = new ScriptedChain(10);
  const { w, reorged, final } = watch(chain, 3);
  w.add("k", { number: 9, hash: chain.hashAt(9) });
  await w.check();
  chain.grow(1, "a");
  await w.check();
  assert.deepEqual(final, []);
  chain.grow(1, "a");
  await w.check();
  await w.check();
  assert.deepEqual([reorged, final], [[], ["k"]]);
  assert.equal(w.size, 0);
});

test("confirmed during a check, in a block above the head it read: not a reorg", async () => {
  const chain = new ScriptedChain(10);
  const { w, reorged } = watch(chain, 20);
  w.add("first", { number: 9, hash: chain.hashAt(9) });
  chain.duringHeadRead = () => {
    chain.grow(2, "a");
    w.add("late", { number: 11, hash: chain.hashAt(11) });
  };
  await w.check();
  assert.deepEqual(reorged, []);
  await w.check();
  assert.deepEqual(reorged, []);
  assert.equal(w.size, 2);
});

test("a block below the range verified so far is verified, not reported", async () => {
  const chain = new ScriptedChain(20);
  const { w, reorged } = watch(chain, 50);
  w.add("recent", { number: 18, hash: chain.hashAt(18) });
  await w.check();
  w.add("older", { number: 12, hash: chain.hashAt(12) }); // confirmed out of order
  await w.check();
  assert.deepEqual(reorged, []);
  chain.reorg(11, 10, "b");
  await w.check();
  assert.deepEqual(reorged.sort(), ["older", "recent"]);
});

test("a quiet chain costs one call per check; a new block one more", async () => {
  const chain = new ScriptedChain(30);
  const { w } = watch(chain, 100);
  w.add("k", { number: 10, hash: chain.hashAt(10) });
  await w.check();
  chain.calls = 0;
  await w.check();
  await w.check();
  assert.equal(chain.calls, 2);
  chain.grow(1, "a");
  chain.calls = 0;
  await w.check();
  assert.equal(chain.calls, 2, "the head, then its parent, which was verified");
});

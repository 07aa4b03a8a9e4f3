// Watches confirmed transactions until their blocks are final, and tells when a block is
// reorged away first. One view of the chain serves every watched transaction: each poll reads
// the head and, when it changed, walks back by parent hash to the newest block it verified
// before, so a quiet chain costs one call per poll and a busy one a call per new block.
import type { Hash, PublicClient } from "viem";
import type { BlockRef } from "../core/chain-types.js";

export interface FinalityHandlers {
  /** The block is no longer on the chain: the key is no longer watched. */
  reorged(key: string): void;
  /** The block is `finality` deep: the key is no longer watched. */
  final(key: string): void;
}

export class FinalityWatch {
  private readonly watched = new Map<string, BlockRef>();
  /** Hashes of the current chain by height, each verified as an ancestor of the head. */
  private readonly canonical = new Map<number, string>();
  private head: { number: number; hash: string } | null = null;

  constructor(
    private readonly client: PublicClient,
    private readonly finality: number,
    private readonly handlers: FinalityHandlers,
  ) {}

  get size(): number {
    return this.watched.size;
  }

  add(key: string, block: BlockRef): void {
    this.watched.set(key, block);
  }

  /** One look at the chain: reports what was reorged away and what became final. */
  async check(): Promise<void> {
    if (this.watched.size === 0) {
      this.canonical.clear();
      this.head = null;
      return;
    }
    const latest = await this.client.getBlock({ blockTag: "latest" });
    const head = { number: Number(latest.number), hash: latest.hash };
    if (this.head?.hash !== head.hash) await this.verify(head, latest.parentHash);
    this.head = head;
    for (const [key, block] of [...this.watched]) {
      if (block.number > head.number || this.canonical.get(block.number) !== block.hash) {
        this.watched.delete(key);
        this.handlers.reorged(key);
      } else if (head.number - block.number + 1 >= this.finality) {
        this.watched.delete(key);
        this.handlers.final(key);
      }
    }
  }

  /** Brings `canonical` in line with the chain ending at `head`, down to the lowest watched block. */
  private async verify(head: { number: number; hash: string }, parentHash: Hash): Promise<void> {
    const lowest = Math.min(...[...this.watched.values()].map((b) => b.number));
    for (const height of [...this.canonical.keys()]) {
      if (height > head.number || height < lowest) this.canonical.delete(height);
    }
    let height = head.number;
    let hash = head.hash;
    let parent = parentHash;
    for (;;) {
      // Verified before, so everything below it is too: the rest of the chain is unchanged.
      if (this.canonical.get(height) === hash) return;
      this.canonical.set(height, hash);
      if (height <= lowest || height === 0) return;
      const block = await this.client.getBlock({ blockHash: parent });
      height -= 1;
      hash = block.hash;
      parent = block.parentHash;
    }
  }
}

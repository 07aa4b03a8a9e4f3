// Watches confirmed transactions until their blocks are final, and tells when a block is
// reorged away first. One view of the chain serves every watched transaction: each poll reads
// the head and, when it changed, walks back by parent hash to the newest block it verified
// before, so a quiet chain costs one call per poll and a busy one a call per new block.
import type { Hash, PublicClient } from "viem";
import type { BlockRef } from "../../core/chain/chain-types.js";

export interface FinalityHandlers {
  /** The block is no longer on the chain: the key is no longer watched. */
  reorged(key: string): void;
  /** The block is `finality` deep: the key is no longer watched. */
  final(key: string): void;
}

interface Verified {
  hash: string;
  parentHash: string;
}

export class FinalityWatch {
  private readonly watched = new Map<string, BlockRef>();
  /** The current chain by height, contiguous, each block verified as an ancestor of the head. */
  private readonly canonical = new Map<number, Verified>();

  constructor(
    private readonly client: PublicClient,
    private readonly finality: number,
    private readonly handlers: FinalityHandlers,
    /** The head may come from a node that lags (several rpcUrls): a block above it waits for
     * the head to reach its height instead of counting as reorged. With one node, a head that
     * goes back below a block (a revert to a snapshot) reports it at once. */
    private readonly headMayLag = false,
  ) {}

  get size(): number {
    return this.watched.size;
  }

  add(key: string, block: BlockRef): void {
    this.watched.set(key, block);
  }

  /** One look at the chain: reports what was reorged away and what became final. */
  async check(): Promise<void> {
    // Judged against a head read after they were added: one confirmed meanwhile, in a block
    // above that head, waits for the next check.
    const judged = [...this.watched];
    if (judged.length === 0) {
      this.canonical.clear();
      return;
    }
    const latest = await this.client.getBlock({ blockTag: "latest" });
    const head = Number(latest.number);
    const lowest = Math.min(...judged.map(([, block]) => block.number));
    await this.verify(head, { hash: latest.hash, parentHash: latest.parentHash }, lowest);
    for (const [key, block] of judged) {
      if (block.number > head && this.headMayLag) continue;
      if (block.number > head || this.canonical.get(block.number)?.hash !== block.hash) {
        this.watched.delete(key);
        this.handlers.reorged(key);
      } else if (head - block.number + 1 >= this.finality) {
        this.watched.delete(key);
        this.handlers.final(key);
      }
    }
  }

  /** Brings `canonical` in line with the chain ending at `head`, down to `lowest`. */
  private async verify(head: number, top: Verified, lowest: number): Promise<void> {
    for (const height of [...this.canonical.keys()]) {
      if (height > head || height < lowest) this.canonical.delete(height);
    }
    // Down from the head to the newest block verified before: below it nothing changed.
    let height = head;
    let block = top;
    while (this.canonical.get(height)?.hash !== block.hash) {
      this.canonical.set(height, block);
      if (height <= lowest || height === 0) break;
      block = await this.parentOf(block);
      height -= 1;
    }
    // Further down than verified before, when a lower block is watched now.
    let bottom = Math.min(...this.canonical.keys());
    while (bottom > lowest && bottom > 0) {
      const parent = await this.parentOf(this.canonical.get(bottom)!);
      bottom -= 1;
      this.canonical.set(bottom, parent);
    }
  }

  private async parentOf(block: Verified): Promise<Verified> {
    const parent = await this.client.getBlock({ blockHash: block.parentHash as Hash });
    return { hash: parent.hash, parentHash: parent.parentHash };
  }
}

// One sync of the journal with the chain: from the chain's head back to the newest block both
// agree on, cut the journal back to it (after a revert), append the blocks above it. Called by
// embedded-journaling.ts, one call at a time.
import type { Hex, RpcTransaction } from "viem";
import type { BlockJournal, JournalBlock } from "./journal.js";
import {
  getBlock,
  isReservedBlock,
  rawTransaction,
  toJournalBlock,
  type ChainBlock,
  type RpcRequester,
} from "./replay.js";

/** Raw transactions remembered until journaled; past this many (never mined?) all are dropped. */
const MAX_REMEMBERED_RAWS = 10_000;

export class JournalSync {
  /** eth_sendRawTransaction's raws by hash, until their block is journaled. */
  private readonly sentRaws = new Map<Hex, Hex>();

  constructor(
    private readonly hardhat: RpcRequester,
    private readonly journal: BlockJournal,
  ) {}

  /** Makes the journal hold the chain as it is now (one call at a time). */
  async run(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const latest = await getBlock(this.hardhat, "latest");
      if (latest.hash === this.journal.head.hash) return;
      const line = await this.commonLine(latest);
      const blocks = await this.collect(this.journal.lineEnd(line), latest);
      if (blocks) {
        this.journal.truncateAfter(line);
        this.journal.append(blocks);
        return;
      }
      if (attempt === 5) throw new Error("the chain kept changing while it was read");
    }
  }

  /** A raw transaction EDR accepted: journaled as sent, so its block needs no full fetch. */
  sent(hash: Hex, raw: Hex): void {
    if (this.sentRaws.size >= MAX_REMEMBERED_RAWS) this.sentRaws.clear();
    this.sentRaws.set(hash, raw);
  }

  /** The last journal line whose block is still on the chain (line 0, genesis, always is). */
  private async commonLine(latest: ChainBlock): Promise<number> {
    const head = this.journal.head;
    const top = this.journal.lines - 1;
    const height = Number(latest.number);
    if (height === head.number + 1 && latest.parentHash === head.hash) return top;
    const onChain = async (line: number) => {
      const end = this.journal.lineEnd(line);
      return end.number <= height && (await getBlock(this.hardhat, end.number)).hash === end.hash;
    };
    if (await onChain(top)) return top;
    // The journal and the chain agree up to some line: binary search for it.
    let [low, high] = [0, top];
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (await onChain(mid)) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Blocks after `base` up to `latest` as journal lines; null if the chain changed meanwhile. */
  private async collect(
    base: { number: number; hash: Hex },
    latest: ChainBlock,
  ): Promise<JournalBlock[] | null> {
    const height = Number(latest.number);
    const lines: JournalBlock[] = [];
    let parent = base.hash;
    for (let n = base.number + 1; n <= height;) {
      const block = n === height ? latest : await getBlock(this.hardhat, n);
      if (!isReservedBlock(block)) {
        if (block.parentHash !== parent) return null;
        const txs = await this.rawsOf(block);
        if (!txs) return null;
        lines.push(toJournalBlock(block, txs));
        [parent, n] = [block.hash, n + 1];
        continue;
      }
      const last = await this.hardhatMineEnd(n, height);
      // The call mined the two blocks before its reserved run: its line starts at the first.
      const [first, second] = lines.splice(-2, 2);
      if (second?.number !== n - 1) {
        throw new Error(`block ${n}: a reserved hardhat_mine block whose call was not seen whole`);
      }
      const interval = Number(block.timestamp) - second.timestamp;
      const blocks = last.number - first.number + 1;
      lines.push({ ...first, hardhatMine: { blocks, interval, hash: last.hash } });
      [parent, n] = [last.hash, last.number + 1];
    }
    return lines;
  }

  /** A block's raw transactions: as sent, or rebuilt from the full block; null if it changed. */
  private async rawsOf(block: ChainBlock): Promise<Hex[] | null> {
    const hashes = block.transactions as Hex[];
    const sent = hashes.map((hash) => this.sentRaws.get(hash));
    let txs = sent as Hex[];
    if (sent.includes(undefined)) {
      const full = await getBlock(this.hardhat, Number(block.number), true);
      if (full.hash !== block.hash) return null;
      txs = full.transactions.map((tx, i) => sent[i] ?? rawTransaction(tx as RpcTransaction));
    }
    for (const hash of hashes) this.sentRaws.delete(hash);
    return txs;
  }

  /**
   * The block ending the `hardhat_mine` whose reserved run starts at `first`: the first block
   * after the run. Found by galloping then bisecting (a sync sees one call's run at most).
   */
  private async hardhatMineEnd(
    first: number,
    height: number,
  ): Promise<{ number: number; hash: Hex }> {
    const reserved = async (n: number) => isReservedBlock(await getBlock(this.hardhat, n));
    let [low, high] = [first, height]; // low is reserved, high (the head) is not
    for (let step = 1; low + step < high; step *= 2) {
      if (!(await reserved(low + step))) {
        high = low + step;
        break;
      }
      low += step;
    }
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await reserved(mid)) low = mid;
      else high = mid;
    }
    return { number: high, hash: (await getBlock(this.hardhat, high)).hash };
  }
}

// The embedded chain's block journal: a JSON-lines file that lets the in-memory EDR chain
// survive a restart (replayed by embedded-journaling.ts).
//
//   {"version":1,"chainId":31337,"genesisTimestamp":1796025696,"genesis":"0x…"}     header
//   {"number":1,"hash":"0x…","timestamp":1796025697,"baseFeePerGas":"0x…","txs":["0x02f8…"]}
//   {"number":7,…,"txs":[],"hardhatMine":{"blocks":300,"interval":1,"hash":"0x…"}}  blocks 7–306
//
// A block line holds what replaying needs: the timestamp and base fee to set, the raw signed
// transactions to send, the hash to check. `hardhatMine` marks a `hardhat_mine` call whose middle
// blocks EDR reserved (see isReservedBlock in embedded-replay.ts): the line's block is the call's
// first, `hash` the call's last. The mempool is not journaled: pending transactions are lost.
//
// Durability: appends are plain write(2)s, no fsync. The page cache survives a process kill
// (SIGKILL included), so only a power loss can lose the newest blocks; Herald's transaction
// manager rebroadcasts what the node no longer knows. A kill in the middle of a write leaves a
// torn last line: it is dropped on load and the file rewritten without it.
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import type { Hex } from "viem";

export interface JournalHeader {
  version: 1;
  chainId: number;
  /** Seconds; the genesis block's timestamp, so that block 0 is the same after a restart. */
  genesisTimestamp: number;
  /** Hash of block 0. */
  genesis: Hex;
}

export interface JournalBlock {
  number: number;
  hash: Hex;
  timestamp: number;
  /** Absent before London. */
  baseFeePerGas?: Hex;
  /** Raw signed transactions in block order. */
  txs: Hex[];
  /** This block starts a `hardhat_mine` of `blocks` blocks `interval` s apart, the last `hash`. */
  hardhatMine?: { blocks: number; interval: number; hash: Hex };
}

/** The last block a journal line covers. */
export function lastBlockOf(block: JournalBlock): { number: number; hash: Hex } {
  const mine = block.hardhatMine;
  return mine ? { number: block.number + mine.blocks - 1, hash: mine.hash } : block;
}

export interface LoadedJournal {
  header: JournalHeader;
  blocks: JournalBlock[];
  /** The byte offset just after each block's line, and after the header's. */
  ends: number[];
  headerEnd: number;
}

/**
 * Reads a journal; null when there is none (or only a torn header: nothing was journaled).
 * A torn last line is cut off the file; any other damage throws, naming the file and line.
 */
export function loadJournal(path: string): LoadedJournal | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path);
  const complete = text.lastIndexOf(0x0a) + 1;
  if (complete < text.length) rewritePrefix(path, complete);
  if (complete === 0) return null;

  const lines = text.subarray(0, complete).toString("utf8").split("\n");
  lines.pop(); // after the last newline
  const fail = (line: number, why: string) =>
    new Error(`embedded chain journal ${path}, line ${line}: ${why}`);
  const parse = (index: number): unknown => {
    try {
      return JSON.parse(lines[index]);
    } catch {
      throw fail(index + 1, "not JSON");
    }
  };

  const header = parse(0) as JournalHeader;
  if (header?.version !== 1) throw fail(1, `unknown version ${String(header?.version)}`);
  let offset = Buffer.byteLength(lines[0]) + 1;
  const loaded: LoadedJournal = { header, blocks: [], ends: [], headerEnd: offset };
  let expected = 1;
  for (let i = 1; i < lines.length; i += 1) {
    const block = parse(i) as JournalBlock;
    if (block?.number !== expected || !Array.isArray(block.txs)) {
      throw fail(i + 1, `expected block ${expected}`);
    }
    offset += Buffer.byteLength(lines[i]) + 1;
    loaded.blocks.push(block);
    loaded.ends.push(offset);
    expected = lastBlockOf(block).number + 1;
  }
  return loaded;
}

/** Replaces the file, atomically, with its first `length` bytes (temp file, fsync, rename). */
function rewritePrefix(path: string, length: number): void {
  const temp = `${path}.tmp`;
  copyFileSync(path, temp);
  truncateSync(temp, length);
  const fd = openSync(temp, "r+");
  try {
    fsyncSync(fd); // else a power loss after the rename may leave an empty file
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let written = 0; written < bytes.length;) {
    written += writeSync(fd, bytes, written);
  }
}

/** The open journal: its file and an index of the journaled chain (number → hash per line). */
export class BlockJournal {
  private fd: number;
  /** Per line: the last block's number and hash, the byte offset after the line. */
  private readonly numbers: number[] = [0];
  private readonly hashes: Hex[];
  private readonly ends: number[];

  private constructor(
    readonly path: string,
    readonly header: JournalHeader,
    headerEnd: number,
  ) {
    this.hashes = [header.genesis];
    this.ends = [headerEnd];
    this.fd = openSync(path, "a");
  }

  /** Starts a new journal file holding only the header (written atomically). */
  static create(path: string, header: JournalHeader): BlockJournal {
    const line = `${JSON.stringify(header)}\n`;
    writeFileSync(`${path}.tmp`, line);
    renameSync(`${path}.tmp`, path);
    return new BlockJournal(path, header, Buffer.byteLength(line));
  }

  /** Opens a loaded journal for appending. */
  static open(path: string, loaded: LoadedJournal): BlockJournal {
    const journal = new BlockJournal(path, loaded.header, loaded.headerEnd);
    loaded.blocks.forEach((block, i) => journal.index(block, loaded.ends[i]));
    return journal;
  }

  /** The newest journaled block. */
  get head(): { number: number; hash: Hex } {
    return { number: this.numbers.at(-1)!, hash: this.hashes.at(-1)! };
  }

  /** Journal lines, oldest first (line 0 is genesis); a line may cover several blocks. */
  get lines(): number {
    return this.numbers.length;
  }

  /** The last block that line `line` covers. */
  lineEnd(line: number): { number: number; hash: Hex } {
    return { number: this.numbers[line], hash: this.hashes[line] };
  }

  /** Appends blocks that continue the journaled chain, in one write. */
  append(blocks: JournalBlock[]): void {
    if (blocks.length === 0) return;
    const lines = blocks.map((block) => `${JSON.stringify(block)}\n`);
    writeAll(this.fd, lines.join(""));
    let end = this.ends.at(-1)!;
    lines.forEach((line, i) => {
      end += Buffer.byteLength(line);
      this.index(blocks[i], end);
    });
  }

  /** Drops every line after `line` (a revert or reorg below them), rewriting the file. */
  truncateAfter(line: number): void {
    if (line >= this.lines - 1) return;
    closeSync(this.fd);
    rewritePrefix(this.path, this.ends[line]);
    this.fd = openSync(this.path, "a");
    for (const list of [this.numbers, this.hashes, this.ends]) list.length = line + 1;
  }

  close(): void {
    closeSync(this.fd);
  }

  private index(block: JournalBlock, end: number): void {
    const last = lastBlockOf(block);
    this.numbers.push(last.number);
    this.hashes.push(last.hash);
    this.ends.push(end);
  }
}

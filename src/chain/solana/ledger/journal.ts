// The embedded Solana runtime's journal: a JSON-lines file that lets the in-memory LiteSVM state
// survive a restart (replayed by embedded-ledger.ts).
//
//   {"version":1,"genesis":"<blockhash>","payer":"<address>","lamports":"<funded>"}   header
//   {"tx":"<base64 wire transaction>"}                                               sent
//   {"advance":3}                                                                    3 slots on
//
// Every transaction the runtime executed is written before its result is returned, so nothing
// anyone saw is missing after a restart; replaying the lines in order gives the same accounts
// and the same blockhash (LiteSVM is deterministic). Appends are plain write(2)s, as the EVM
// journal's: the page cache survives a process kill, only a power loss can lose the newest
// lines, and the runner sends again what the runtime no longer knows. A kill in the middle of a
// write leaves a torn last line: it is dropped on load.
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";

export interface JournalHeader {
  version: 1;
  /** The runtime's first blockhash: which LiteSVM (and so which programs) the journal is of. */
  genesis: string;
  /** The fee payer funded at genesis, and with how many lamports. */
  payer: string;
  lamports: string;
}

export type JournalLine = { tx: string } | { advance: number };

export interface LoadedJournal {
  header: JournalHeader;
  lines: JournalLine[];
}

export function loadJournal(path: string): LoadedJournal | null {
  if (!existsSync(path)) return null;
  const text = readFileSync(path, "utf8");
  const rows = text.split("\n");
  // The last row is "" after a complete line, or a torn line after a kill mid-write.
  const torn = rows.pop() !== "";
  const parsed: unknown[] = [];
  for (const [i, row] of rows.entries()) {
    try {
      parsed.push(JSON.parse(row));
    } catch {
      if (i === rows.length - 1) break; // torn, not corrupt: written last, never completed
      throw new Error(`${path}: line ${i + 1} is not JSON; the journal is damaged`);
    }
  }
  if (torn || parsed.length < rows.length) {
    writeFileSync(
      path,
      rows
        .slice(0, parsed.length)
        .map((r) => `${r}\n`)
        .join(""),
    );
  }
  // Not even the header was written whole (a kill or a power loss as the journal was created):
  // nothing ever ran on it, so it is no journal yet.
  if (parsed.length === 0) return null;
  const [header, ...lines] = parsed as [JournalHeader, ...JournalLine[]];
  if (!header || header.version !== 1) throw new Error(`${path}: not a Solana journal`);
  return { header, lines };
}

export class JournalWriter {
  private fd: number;

  constructor(path: string, header?: JournalHeader) {
    mkdirSync(dirname(path), { recursive: true });
    if (header) writeFileSync(path, `${JSON.stringify(header)}\n`);
    this.fd = openSync(path, "a");
  }

  append(line: JournalLine): void {
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

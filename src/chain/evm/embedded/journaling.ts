// Journaling the embedded chain: an EIP-1193 provider over Hardhat's that appends every new
// block to the journal before any caller can learn of it.
//
// The guarantee: a request made after a block was mined returns only once that block is in the
// journal. Mutating requests are followed by a sync (read the head, append what is new, cut the
// journal back after a revert: embedded-journal-sync.ts); read-only requests return after the
// syncs of mutations still in flight. Syncs run one at a time on a promise chain, and a sync
// waiting to start serves every request that asks meanwhile, so 200 concurrent sends cost a
// handful of syncs. EDR's own interval mining would make blocks no request knows of, so here a
// timer mines through this provider.
import type { Hex } from "viem";
import { BlockJournal, loadJournal, type LoadedJournal } from "./journal.js";
import { JournalSync } from "./journal-sync.js";
import { catchUpClock, getBlock, replayJournal, type RpcRequester } from "./replay.js";

/** Changes in no block, so a replay could not repeat them: refused while journaling. */
const UNJOURNALABLE = new Set([
  "hardhat_setBalance",
  "hardhat_setCode",
  "hardhat_setNonce",
  "hardhat_setStorageAt",
  "hardhat_impersonateAccount",
  "hardhat_reset",
  "hardhat_setCoinbase",
  "hardhat_setPrevRandao",
  "evm_setBlockGasLimit",
]);

/** Methods that can neither mine nor drop a block. */
const READ_ONLY = /^(eth_(?!send)|net_|web3_|debug_|evm_snapshot$)/;

type IntervalSetting = number | [number, number] | null;

/** A journal file read before the chain is created: its genesis timestamp makes block 0. */
export interface PreparedJournal {
  path: string;
  chainId: number;
  /** null: a new journal. */
  loaded: LoadedJournal | null;
  /** Seconds: the journal's, or now for a new one. */
  genesisTimestamp: number;
}

export interface JournalingProvider extends RpcRequester {
  /** Blocks replayed from the journal at start, and how long that took. */
  readonly replayed: { blocks: number; ms: number };
  /** Waits for requests in flight, stops interval mining, closes the file. */
  close(): Promise<void>;
}

/** Reads the journal at `path` (if any); refuses one of another chain id. */
export function prepareJournal(path: string, chainId: number): PreparedJournal {
  const loaded = loadJournal(path);
  if (loaded && loaded.header.chainId !== chainId) {
    throw new Error(
      `embedded chain journal ${path} is of chain ${loaded.header.chainId}, not ${chainId}; ` +
        `move the file away to start a new chain`,
    );
  }
  const genesisTimestamp = loaded?.header.genesisTimestamp ?? Math.floor(Date.now() / 1000);
  return { path, chainId, loaded, genesisTimestamp };
}

/**
 * Checks the fresh chain's genesis against the journal and replays it (the chain must have been
 * created with mining off), then switches on the configured mining and journals from there.
 */
export async function startJournaling(
  hardhat: RpcRequester,
  prepared: PreparedJournal,
  mining: { automine: boolean; intervalMs?: number },
): Promise<JournalingProvider> {
  const { path, loaded, chainId, genesisTimestamp } = prepared;
  const genesis = (await getBlock(hardhat, 0)).hash;
  const started = performance.now();
  let journal: BlockJournal;
  if (loaded) {
    if (loaded.header.genesis !== genesis) {
      throw new Error(
        `embedded chain journal ${path} belongs to another chain: its genesis block is ` +
          `${loaded.header.genesis}, this chain's is ${genesis} (other funded keys, balances ` +
          `or hardfork?); move the file away to start a new chain`,
      );
    }
    await replayJournal(hardhat, path, loaded.blocks);
    journal = BlockJournal.open(path, loaded);
  } else {
    journal = BlockJournal.create(path, { version: 1, chainId, genesisTimestamp, genesis });
  }
  const replayed = { blocks: journal.head.number, ms: Math.round(performance.now() - started) };
  await catchUpClock(hardhat);
  if (mining.automine) await hardhat.request({ method: "evm_setAutomine", params: [true] });
  const provider = new Journaling(hardhat, journal, replayed);
  if (mining.intervalMs) provider.setIntervalMining([mining.intervalMs]);
  return provider;
}

class Journaling implements JournalingProvider {
  private readonly inflight = new Set<Promise<unknown>>();
  private tail: Promise<unknown> = Promise.resolve();
  private waitingSync: Promise<void> | null = null;
  private failure: Error | null = null;
  private closed = false;
  private interval: IntervalSetting = null;
  private timer: NodeJS.Timeout | undefined;
  private timerGeneration = 0;
  private readonly journalSync: JournalSync;

  constructor(
    private readonly hardhat: RpcRequester,
    private readonly journal: BlockJournal,
    readonly replayed: { blocks: number; ms: number },
  ) {
    this.journalSync = new JournalSync(hardhat, journal);
  }

  async request(args: { method: string; params?: unknown }): Promise<unknown> {
    const { method } = args;
    if (this.failure) throw this.failure;
    if (UNJOURNALABLE.has(method)) {
      throw new Error(
        `${method} is not available on a journaled embedded chain: its change is in no block, ` +
          `so a restart could not replay it`,
      );
    }
    if (method === "evm_setIntervalMining") return this.setIntervalMining(args.params);
    if (READ_ONLY.test(method)) {
      const result = await this.hardhat.request(args);
      await this.settled();
      return result;
    }
    // hardhat_mine and its sync run as one step, so a sync never sees two calls' reserved runs.
    const done =
      method === "hardhat_mine"
        ? this.serialized(() => this.hardhat.request(args).finally(() => this.syncNow()))
        : this.mutate(args);
    this.inflight.add(done);
    return done.finally(() => this.inflight.delete(done));
  }

  /** `evm_setIntervalMining`: ms (0 = off) or [min, max] ms between blocks. */
  setIntervalMining(params: unknown): true {
    const [value] = (params ?? []) as [unknown];
    const valid = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;
    if (!(valid(value) || (Array.isArray(value) && value.length === 2 && value.every(valid)))) {
      throw new Error(`evm_setIntervalMining expects ms or [min, max] ms, got ${String(value)}`);
    }
    this.interval = value === 0 ? null : (value as IntervalSetting);
    this.scheduleMining();
    return true;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.interval = null;
    this.scheduleMining();
    await Promise.allSettled([...this.inflight]);
    await this.tail;
    this.journal.close();
  }

  private async mutate(args: { method: string; params?: unknown }): Promise<unknown> {
    let result: unknown;
    try {
      result = await this.hardhat.request(args);
      if (args.method === "eth_sendRawTransaction") {
        this.journalSync.sent(result as Hex, (args.params as Hex[])[0]);
      }
    } catch (error) {
      await this.requestSync(); // a failed request may still have mined (automine) or reverted
      throw error;
    }
    await this.requestSync();
    return result;
  }

  /** For read-only requests: every mutation that ran before the result has been journaled. */
  private async settled(): Promise<void> {
    if (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    if (this.failure) throw this.failure;
  }

  /** A sync that starts after this call; joins one that is queued but not yet running. */
  private requestSync(): Promise<void> {
    this.waitingSync ??= this.serialized(() => {
      this.waitingSync = null;
      return this.syncNow();
    });
    return this.waitingSync;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => {
      if (this.failure) throw this.failure;
      return task();
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Journals the chain as it is now; a failure stops the chain taking requests. */
  private async syncNow(): Promise<void> {
    try {
      await this.journalSync.run();
    } catch (error) {
      this.failure ??= new Error(
        `embedded chain journal ${this.journal.path} could not keep up: ${String(error)}; ` +
          `the chain has blocks the journal lacks, so it takes no more requests (restart it)`,
        { cause: error },
      );
      throw this.failure;
    }
  }

  private scheduleMining(): void {
    clearTimeout(this.timer);
    const generation = ++this.timerGeneration;
    const interval = this.interval;
    if (interval === null || this.closed) return;
    const [min, max] = typeof interval === "number" ? [interval, interval] : interval;
    const delay = min + Math.floor(Math.random() * (max - min + 1));
    this.timer = setTimeout(() => {
      this.request({ method: "evm_mine" }).then(
        () => generation === this.timerGeneration && this.scheduleMining(),
        () => undefined, // failed journal or closed chain: mining stops
      );
    }, delay);
    this.timer.unref(); // like EDR's miner thread, it does not keep the process alive
  }
}

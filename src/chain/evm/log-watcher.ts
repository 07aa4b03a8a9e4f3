// The chain watcher: reads the `Transfer` and `MetadataUpdate` logs of every collection Herald
// manages on a chain, at the confirmation depth, and hands them to core, which publishes
// Original's chain-observed events. The cursor (last processed block) moves in the same
// transaction as the events, so a restart resumes where it stopped and nothing is published
// twice; a reorg below the cursor rewinds it by the finality depth (seen logs are skipped, and
// seen logs the surviving chain lacks are announced as `asset.reorged`).
import type { Log as HeraldLog } from "../../core/ports/log.js";
import { BlockNotFoundError, getAddress, parseAbiItem, type Log } from "viem";
import type { ChainObservations, TokenLog } from "../../core/chain/chain-observations.js";
import type { BlockRef, Collection } from "../../core/chain/chain-types.js";
import type { ChainInfo } from "../../core/chain/chain-types.js";
import type { Store } from "../../core/ports/store.js";
import { CoalescedLoop } from "../../lib/coalesced-loop.js";
import type { ChainConnection } from "./connection.js";

const TRANSFER = parseAbiItem(
  "event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)",
);
const METADATA_UPDATE = parseAbiItem("event MetadataUpdate(uint256 _tokenId)");
/** Blocks per `eth_getLogs` (public RPC endpoints refuse wider ranges). */
const MAX_RANGE = 2000;
/** Contract addresses per `eth_getLogs`. */
const MAX_ADDRESSES = 500;

export interface LogWatcherDeps {
  store: Store;
  observations: ChainObservations;
  /** A transaction of a job Herald has not confirmed yet: its logs wait for the job. */
  isFollowing(txHash: string): boolean;
  /** Herald has transactions on the chain in flight (the watcher polls at full speed). */
  busy(): boolean;
  log: HeraldLog;
}

/** Polls of a JSON-RPC chain back off to this while nothing happens (no job in flight, no log
 * of a managed collection): a quiet chain costs a few calls a minute, and an outside transfer
 * is seen within this long. */
const IDLE_INTERVAL_MS = 15_000;

type DecodedLog = Log<bigint, number, false, typeof TRANSFER | typeof METADATA_UPDATE, true>;

export class LogWatcher {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly intervalMs: number;
  /** The current poll interval: `intervalMs` while busy, doubling up to the idle one. */
  private currentMs: number;
  private readonly idleMs: number;
  /** The last pass found logs of managed collections. */
  private sawLogs = false;
  private readonly loop = new CoalescedLoop(
    () => this.pass(),
    (error) => {
      // A pass cut short by the shutdown is not a failure.
      if (this.running) this.deps.log.warn({ err: error, chain: this.info.name }, "watcher failed");
    },
  );

  constructor(
    private readonly info: ChainInfo,
    private readonly connection: ChainConnection,
    private readonly deps: LogWatcherDeps,
  ) {
    this.intervalMs = Math.max(connection.pollingInterval, 50);
    this.currentMs = this.intervalMs;
    // The embedded chain costs nothing to ask: it never backs off.
    this.idleMs = connection.embedded
      ? this.intervalMs
      : Math.max(IDLE_INTERVAL_MS, this.intervalMs);
  }

  /** On the very first start the watcher begins at the current head. */
  async init(): Promise<void> {
    if (await this.deps.store.getChainCursor(this.info.name)) return;
    const head = await this.connection.client.getBlock({ blockTag: "latest" });
    await this.deps.observations.record(
      this.info,
      { number: Number(head.number), hash: head.hash },
      [],
      new Map(),
    );
  }

  start(): void {
    this.running = true;
    this.tick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.loop.stop();
    if (this.timer) clearTimeout(this.timer);
  }

  kick(): void {
    if (this.running) this.loop.wake();
  }

  private tick(): void {
    if (!this.running) return;
    this.kick();
    const active = this.sawLogs || this.deps.busy();
    this.currentMs = active ? this.intervalMs : Math.min(this.currentMs * 2, this.idleMs);
    this.timer = setTimeout(() => this.tick(), this.currentMs);
  }

  /** One step: the logs from the cursor to the confirmed head (at most MAX_RANGE blocks). */
  private async pass(): Promise<void> {
    const { client } = this.connection;
    const { store } = this.deps;
    const cursor = await store.getChainCursor(this.info.name);
    if (!cursor) return;
    // The head first, the collections after: a log up to the head is from a collection
    // that was recorded as deployed before it (mints wait for the deployment).
    // The client's head, shared with the signers' polls (at most one poll interval old).
    const head = Number(
      await client.getBlockNumber({ cacheTime: this.connection.pollingInterval }),
    );
    const confirmed = head - (this.info.confirmations - 1);
    if (confirmed <= cursor.number) return;
    const from = await this.startAfter(cursor);
    let to = Math.min(confirmed, from + MAX_RANGE - 1);
    const collections = new Map<string, Collection>();
    for (const c of await store.listDeployedCollections(this.info.name)) {
      collections.set(getAddress(c.contractAddress!), c);
    }
    let logs = await this.logsBetween([...collections.keys()], from, to);
    this.sawLogs = logs.length > 0;
    const waiting = logs.find((log) => this.deps.isFollowing(log.transactionHash));
    if (waiting) {
      to = Number(waiting.blockNumber) - 1;
      logs = logs.filter((log) => Number(log.blockNumber) <= to);
      if (to < from) return; // the job's outcome comes first; its finish kicks us again
    }
    const block = await client.getBlock({ blockNumber: BigInt(to) });
    // Logs recorded in from..to and not read again now were removed by a reorg (only after
    // a rewind are there any): they are announced.
    await this.deps.observations.record(
      this.info,
      { number: to, hash: block.hash },
      tokenLogs(logs),
      collections,
      { from, to },
    );
    if (to < confirmed && !waiting) this.kick();
  }

  /** The first block to read: after the cursor, or further back if the cursor was reorged. */
  private async startAfter(cursor: BlockRef): Promise<number> {
    const block = await this.connection.client
      .getBlock({ blockNumber: BigInt(cursor.number) })
      .catch((error: unknown) => {
        if (error instanceof BlockNotFoundError) return null; // above the head now
        throw error;
      });
    if (block?.hash === cursor.hash) return cursor.number + 1;
    const from = Math.max(0, cursor.number - this.info.finality);
    this.deps.log.warn(
      { chain: this.info.name, cursor: cursor.number, from },
      "the watcher's last block was reorged away: reading again from an older block",
    );
    return from;
  }

  private async logsBetween(addresses: string[], from: number, to: number): Promise<DecodedLog[]> {
    const logs: DecodedLog[] = [];
    for (let i = 0; i < addresses.length; i += MAX_ADDRESSES) {
      const found = await this.connection.client.getLogs({
        address: addresses.slice(i, i + MAX_ADDRESSES) as `0x${string}`[],
        events: [TRANSFER, METADATA_UPDATE],
        fromBlock: BigInt(from),
        toBlock: BigInt(to),
        strict: true,
      });
      logs.push(...(found as DecodedLog[]));
    }
    return logs.sort((a, b) => Number(a.blockNumber - b.blockNumber) || a.logIndex - b.logIndex);
  }
}

/**
 * The logs as core sees them. A mint also emits `MetadataUpdate` (the token URI is set): only
 * a `MetadataUpdate` without a mint of the same token in its transaction is an edit.
 */
export function tokenLogs(logs: DecodedLog[]): TokenLog[] {
  const positions = new Map<string, number>();
  const mintedIn = new Set<string>();
  for (const log of logs) {
    if (log.eventName === "Transfer" && BigInt(log.args.from) === 0n) {
      mintedIn.add(`${log.transactionHash}:${log.args.tokenId}`);
    }
  }
  const result: TokenLog[] = [];
  for (const log of logs) {
    const position = positions.get(log.transactionHash) ?? 0;
    positions.set(log.transactionHash, position + 1);
    const common = {
      contractAddress: getAddress(log.address),
      txHash: log.transactionHash,
      blockNumber: Number(log.blockNumber),
      logIndex: log.logIndex,
      position,
    };
    if (log.eventName === "Transfer") {
      const { from, to, tokenId } = log.args;
      // ERC-721: a transfer from the zero address is a mint, to it a burn.
      const kind = BigInt(from) === 0n ? "mint" : BigInt(to) === 0n ? "burn" : "transfer";
      result.push({ ...common, kind, tokenId: tokenId.toString(), from, to });
    } else {
      const tokenId = log.args._tokenId;
      if (mintedIn.has(`${log.transactionHash}:${tokenId}`)) continue;
      result.push({ ...common, kind: "metadata", tokenId: tokenId.toString() });
    }
  }
  return result;
}

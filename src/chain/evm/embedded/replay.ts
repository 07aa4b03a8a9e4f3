// Between EDR's blocks and journal lines (embedded-journal.ts): a mined block becomes a line of
// raw signed transactions, and replaying the lines on a fresh chain mines the same blocks again.
import { formatTransaction, keccak256, serializeTransaction } from "viem";
import type { Hex, RpcTransaction, Signature, TransactionSerializable } from "viem";
import { lastBlockOf, type JournalBlock } from "./journal.js";

export interface RpcRequester {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

/** The fields of an `eth_getBlockByNumber` result used here. */
export interface ChainBlock {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
  timestamp: Hex;
  baseFeePerGas?: Hex | null;
  /** Full objects when fetched with `full`, else hashes. */
  transactions: (RpcTransaction | Hex)[];
}

const toHex = (n: number): Hex => `0x${n.toString(16)}`;

export async function getBlock(
  rpc: RpcRequester,
  number: number | "latest",
  full = false,
): Promise<ChainBlock> {
  const tag = number === "latest" ? number : toHex(number);
  const block = (await rpc.request({ method: "eth_getBlockByNumber", params: [tag, full] })) as
    ChainBlock | undefined;
  if (!block) throw new Error(`embedded chain has no block ${number}`);
  return block;
}

/**
 * EDR does not mine the middle of a long `hardhat_mine` (≥ 7 blocks): it reserves those blocks,
 * with a zero parent hash (and mixHash), which no mined block has. Mined one by one they would
 * get other hashes, so replay repeats the `hardhat_mine` call instead.
 */
export function isReservedBlock(block: ChainBlock): boolean {
  return /^0x0+$/.test(block.parentHash) && block.number !== "0x0";
}

/** A mined block as a journal line, given its raw transactions. */
export function toJournalBlock(block: ChainBlock, txs: Hex[]): JournalBlock {
  return {
    number: Number(block.number),
    hash: block.hash,
    timestamp: Number(block.timestamp),
    ...(block.baseFeePerGas ? { baseFeePerGas: block.baseFeePerGas } : {}),
    txs,
  };
}

/**
 * The signed transaction as sent, rebuilt from its JSON-RPC form. Hardhat signs
 * `eth_sendTransaction`s of its own accounts for real, so those rebuild too; an impersonated
 * sender's fake signature does not, and the hash check catches it.
 */
export function rawTransaction(rpc: RpcTransaction): Hex {
  const tx = formatTransaction(rpc);
  const fields = { ...tx, data: tx.input } as TransactionSerializable;
  // A pre-EIP-155 legacy transaction (v 27/28) signs no chain id.
  if (tx.type === "legacy" && tx.v !== undefined && tx.v < 35n) delete fields.chainId;
  const signature = { r: tx.r, s: tx.s, v: tx.v, yParity: tx.yParity } as Signature;
  const raw = serializeTransaction(fields, signature);
  if (tx.type !== "eip4844" && keccak256(raw) === tx.hash) return raw;
  const why =
    tx.type === "eip4844"
      ? "blob transactions are not supported"
      : "its signature does not reproduce its hash (an impersonated sender?)";
  throw new Error(`transaction ${tx.hash} in block ${tx.blockNumber} cannot be journaled: ${why}`);
}

/**
 * Mines the journaled blocks again, each checked against its journaled hash. The chain must be
 * fresh (genesis checked) with automine and interval mining off, so nothing else gets mined.
 */
export async function replayJournal(
  rpc: RpcRequester,
  path: string,
  blocks: JournalBlock[],
): Promise<void> {
  const call = (method: string, params: unknown[]) => rpc.request({ method, params });
  for (const block of blocks) {
    try {
      if (block.baseFeePerGas)
        await call("hardhat_setNextBlockBaseFeePerGas", [block.baseFeePerGas]);
      for (const raw of block.txs) await call("eth_sendRawTransaction", [raw]);
      const mine = block.hardhatMine;
      if (mine) {
        await call("evm_setNextBlockTimestamp", [block.timestamp]);
        await call("hardhat_mine", [toHex(mine.blocks), toHex(mine.interval)]);
      } else {
        await call("evm_mine", [block.timestamp]);
      }
    } catch (error) {
      throw new Error(
        `embedded chain journal ${path}: replaying block ${block.number} failed: ${String(error)}`,
        { cause: error },
      );
    }
    for (const expected of checkedBlocks(block)) {
      const { hash } = await getBlock(rpc, expected.number);
      if (hash !== expected.hash) {
        throw new Error(
          `embedded chain journal ${path}: replayed block ${expected.number} has hash ${hash}, ` +
            `the journal says ${expected.hash}; the chain's state cannot be trusted`,
        );
      }
    }
  }
}

/** The blocks of a line to check: the first and, for a `hardhat_mine`, the last. */
function checkedBlocks(block: JournalBlock): { number: number; hash: Hex }[] {
  return block.hardhatMine ? [block, lastBlockOf(block)] : [block];
}

/**
 * After a replay EDR's clock continues from the last block's timestamp (and from genesis for an
 * empty journal, set by `initialDate`). Time went on while Herald was down, as on a real chain.
 */
export async function catchUpClock(rpc: RpcRequester): Promise<void> {
  const behind = Math.floor(Date.now() / 1000) - Number((await getBlock(rpc, "latest")).timestamp);
  if (behind > 0) await rpc.request({ method: "evm_increaseTime", params: [behind] });
}

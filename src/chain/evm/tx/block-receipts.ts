// Receipts read a block at a time (`eth_getBlockReceipts`), shared by the signers of a chain:
// when several of Herald's transactions are mined in the same blocks, one call answers them
// all, instead of one `eth_getTransactionReceipt` each. A node without the method (Hardhat,
// some providers) is asked per transaction from then on, as before; a block the node does not
// have yet (a lagging one) is asked per transaction this time.
import {
  BaseError,
  formatTransactionReceipt,
  numberToHex,
  type Hex,
  type PublicClient,
  type RpcTransactionReceipt,
  type TransactionReceipt,
} from "viem";

/** JSON-RPC codes for a method the node does not have (EIP-1474: -32601; -32004). */
const UNSUPPORTED_CODES = new Set([-32601, -32004]);
const UNSUPPORTED_TEXT =
  /method .*(not supported|not found|does not exist|not available)|unsupported method/i;

/** Whether the node refused the method itself (not the block, not the connection). */
export function isUnsupportedMethod(error: unknown): boolean {
  const refused = (e: unknown) => {
    const { code, message } = e as { code?: unknown; message?: unknown };
    return (
      (typeof code === "number" && UNSUPPORTED_CODES.has(code)) ||
      (typeof message === "string" && UNSUPPORTED_TEXT.test(message))
    );
  };
  return error instanceof BaseError ? error.walk(refused) !== null : refused(error);
}

export class BlockReceipts {
  /** Unknown until the node first answers. */
  private supported: boolean | undefined;
  private readonly blocks = new Map<
    bigint,
    { at: number; receipts: Promise<Map<Hex, TransactionReceipt> | null> }
  >();

  constructor(
    private readonly client: PublicClient,
    /** A block's receipts are kept this long (a reorg replaces a block: not for long). */
    private readonly ttlMs: number,
  ) {}

  /** False once the node has said it lacks the method. */
  get usable(): boolean {
    return this.supported !== false;
  }

  /** The receipts of block `number` by transaction hash; null when the node cannot say. */
  of(number: bigint): Promise<Map<Hex, TransactionReceipt> | null> {
    const now = performance.now();
    for (const [n, entry] of this.blocks) if (now - entry.at >= this.ttlMs) this.blocks.delete(n);
    const cached = this.blocks.get(number);
    if (cached) return cached.receipts;
    const receipts = this.client
      .request({ method: "eth_getBlockReceipts", params: [numberToHex(number)] } as never)
      .then(
        (raw: unknown) => {
          this.supported = true;
          if (!Array.isArray(raw)) return null; // not on this node (yet)
          const byHash = new Map<Hex, TransactionReceipt>();
          for (const r of raw as RpcTransactionReceipt[]) {
            const receipt = formatTransactionReceipt(r);
            byHash.set(receipt.transactionHash, receipt);
          }
          return byHash;
        },
        (error: unknown) => {
          if (isUnsupportedMethod(error)) this.supported = false;
          return null;
        },
      );
    this.blocks.set(number, { at: now, receipts });
    // Only a block's receipts are kept: a null is asked again next time.
    void receipts.then((found) => {
      if (!found && this.blocks.get(number)?.receipts === receipts) this.blocks.delete(number);
    });
    return receipts;
  }
}

// A Solana cluster over JSON-RPC, through @solana/kit's client. Herald calls only these methods
// (a test serves exactly them over LiteSVM; docs/chain.md lists them): getLatestBlockhash,
// getBlockHeight, sendTransaction, getSignatureStatuses, getTransaction, getAccountInfo,
// getBalance. Every call is counted in the metrics by method.
import {
  createDefaultRpcTransport,
  createSolanaRpcFromTransport,
  getBase64Decoder,
  isSolanaError,
  type Address,
  type Base64EncodedWireTransaction,
  type RpcTransport,
  type Signature,
} from "@solana/kit";
import type { ChainInfo } from "../../../core/chain/chain-types.js";
import type { ChainMetrics } from "../../../core/ports/chain-adapter.js";
import type { TxError } from "../errors.js";
import { TxRejectedError, type LandedTx, type Ledger, type LedgerAccount } from "./ledger.js";

const TIMEOUT_MS = 15_000;

function counted(transport: RpcTransport, chain: string, metrics?: ChainMetrics): RpcTransport {
  if (!metrics) return transport;
  return (async (config: Parameters<RpcTransport>[0]) => {
    const method = String((config.payload as { method?: unknown }).method ?? "unknown");
    try {
      const response = await transport(config);
      const failed = typeof response === "object" && response !== null && "error" in response;
      metrics.rpcCall(chain, method, failed);
      return response;
    } catch (error) {
      metrics.rpcCall(chain, method, true);
      throw error;
    }
  }) as RpcTransport;
}

/** Kit's numbers are bigints; the RPC's error JSON has plain numbers. */
function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)),
  );
}

export function connectRpcLedger(chain: ChainInfo, metrics?: ChainMetrics): Ledger {
  const transport = counted(createDefaultRpcTransport({ url: chain.rpcUrl! }), chain.name, metrics);
  const rpc = createSolanaRpcFromTransport(transport);
  const commitment = chain.commitment ?? "confirmed";
  const timed = () => ({ abortSignal: AbortSignal.timeout(TIMEOUT_MS) });
  return {
    async latestBlockhash() {
      const { value } = await rpc.getLatestBlockhash({ commitment }).send(timed());
      return {
        blockhash: value.blockhash,
        lastValidBlockHeight: BigInt(value.lastValidBlockHeight),
      };
    },
    async blockHeight() {
      return BigInt(await rpc.getBlockHeight({ commitment }).send(timed()));
    },
    async send(wire) {
      const encoded = getBase64Decoder().decode(wire) as Base64EncodedWireTransaction;
      try {
        await rpc
          .sendTransaction(encoded, { encoding: "base64", preflightCommitment: commitment })
          .send(timed());
      } catch (error) {
        // A preflight failure: the node ran it and it failed; it was not sent.
        if (isSolanaError(error) && error.context && "err" in (error.context as object)) {
          const context = error.context as { err?: unknown; logs?: unknown };
          const logs = Array.isArray(context.logs) ? (context.logs as string[]) : [];
          const txError = plain(context.err) as TxError;
          throw new TxRejectedError(txError, error.message, logs);
        }
        throw error;
      }
    },
    async statuses(signatures) {
      const { value } = await rpc
        .getSignatureStatuses(signatures as Signature[], { searchTransactionHistory: true })
        .send(timed());
      return value.map((status): LandedTx | null =>
        status
          ? {
              slot: BigInt(status.slot),
              err: status.err === null ? null : (plain(status.err) as TxError),
              commitment: status.confirmationStatus ?? "processed",
            }
          : null,
      );
    },
    async logs(signature) {
      const tx = await rpc
        .getTransaction(signature as Signature, {
          commitment,
          encoding: "json",
          maxSupportedTransactionVersion: 0,
        })
        .send(timed());
      return tx?.meta?.logMessages ?? [];
    },
    async account(address): Promise<LedgerAccount | null> {
      const { value } = await rpc
        .getAccountInfo(address as Address, { commitment, encoding: "base64" })
        .send(timed());
      if (!value) return null;
      return {
        lamports: BigInt(value.lamports),
        owner: value.owner,
        data: Uint8Array.from(Buffer.from(value.data[0], "base64")),
      };
    },
    async balance(address) {
      const { value } = await rpc.getBalance(address as Address, { commitment }).send(timed());
      return BigInt(value);
    },
    close: () => Promise.resolve(),
  };
}

// A Solana cluster over JSON-RPC, through @solana/kit's client. Herald calls only these methods
// (a test serves exactly them over LiteSVM; docs/chain.md lists them): getLatestBlockhash,
// getBlockHeight, sendTransaction, getSignatureStatuses, getTransaction, getAccountInfo,
// getBalance, and for the watcher getSlot and getSignaturesForAddress. Every call is counted in
// the metrics by method.
import {
  createDefaultRpcTransport,
  createSolanaRpcFromTransport,
  getBase64Decoder,
  getBase64Encoder,
  type Address,
  type RpcTransport,
  type Signature,
} from "@solana/kit";
import type { ChainInfo } from "../../../core/chain/chain-types.js";
import type { ChainMetrics } from "../../../core/ports/chain-adapter.js";
import type { TxError } from "../errors.js";
import {
  TxRejectedError,
  type LandedTx,
  type Ledger,
  type LedgerAccount,
  type LedgerHistory,
} from "./ledger.js";

const TIMEOUT_MS = 15_000;
// JSON-RPC error codes of sendTransaction (agave's rpc_custom_error.rs).
const PREFLIGHT_FAILURE = -32002;
const SIGNATURE_VERIFICATION_FAILURE = -32003;
const INVALID_PARAMS = -32602;

interface RpcResponse {
  result?: unknown;
  error?: { code: number | bigint; message: string; data?: unknown };
}

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
  let sendId = 0;
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
    // Straight through the transport, not kit's client: kit turns a preflight failure's `err`
    // into a SolanaError cause and drops the RPC's own form, which names the failed instruction's
    // program error exactly as describeTxError reads it.
    async send(wire) {
      const payload = {
        jsonrpc: "2.0",
        id: String(++sendId),
        method: "sendTransaction",
        params: [
          getBase64Decoder().decode(wire),
          { encoding: "base64", preflightCommitment: commitment },
        ],
      };
      const response = await transport<RpcResponse>({ payload, signal: timed().abortSignal });
      if (!response.error) return;
      const { code, message, data } = response.error;
      const refusal = (data === undefined ? undefined : plain(data)) as
        { err?: TxError | null; logs?: unknown } | undefined;
      const logs = Array.isArray(refusal?.logs) ? (refusal.logs as string[]) : [];
      // A preflight failure: the node ran it and it failed; it was not sent.
      if (Number(code) === PREFLIGHT_FAILURE) {
        throw new TxRejectedError(refusal?.err ?? null, message, logs);
      }
      if (Number(code) === SIGNATURE_VERIFICATION_FAILURE) {
        throw new TxRejectedError("SignatureFailure", message);
      }
      // Malformed, too large: this transaction will never be taken as it is.
      if (Number(code) === INVALID_PARAMS) throw new TxRejectedError(null, message);
      // Anything else (the node is behind, unhealthy, …) may pass: sent again later.
      throw new Error(`sendTransaction: ${message} (${String(code)})`);
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
    history: rpcHistory(rpc, commitment, timed),
    close: () => Promise.resolve(),
  };
}

function rpcHistory(
  rpc: ReturnType<typeof createSolanaRpcFromTransport>,
  commitment: "confirmed" | "finalized",
  timed: () => { abortSignal: AbortSignal },
): LedgerHistory {
  return {
    async slot() {
      return BigInt(await rpc.getSlot({ commitment }).send(timed()));
    },
    async signaturesFor(address, limit, before) {
      const found = await rpc
        .getSignaturesForAddress(address as Address, {
          commitment,
          limit,
          ...(before ? { before: before as Signature } : {}),
        })
        .send(timed());
      return (found as ReadonlyArray<{ signature: string; slot: bigint; err: unknown }>).map(
        (s) => ({ signature: s.signature, slot: BigInt(s.slot), failed: s.err !== null }),
      );
    },
    async wireOf(signature) {
      const tx = await rpc
        .getTransaction(signature as Signature, {
          commitment,
          encoding: "base64",
          maxSupportedTransactionVersion: 0,
        })
        .send(timed());
      return tx ? Uint8Array.from(getBase64Encoder().encode(tx.transaction[0])) : null;
    },
  };
}

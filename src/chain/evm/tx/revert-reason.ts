// Why did a transaction revert? A receipt only says `status: "reverted"`; the reason is in the
// revert data, which no receipt carries. `decodeRevertReason` recovers the call from the
// transaction's input and replays it with `eth_call` against the state just before its block,
// which reproduces the revert data (exact when the transaction was first in its block, as with
// automine; otherwise `debug_traceTransaction`, where the node offers it, is the fallback).
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeFunctionData,
  getContractError,
} from "viem";
import type { Abi, Client, Hash, Hex } from "viem";
import { call, getTransaction, getTransactionReceipt } from "viem/actions";
import { collectionArtifact } from "../artifacts.js";

export interface RevertDescription {
  /** "supply limit reached" (require string), "OwnableUnauthorizedAccount(0x…)" (custom error),
   * a panic's meaning, or "execution reverted" when the contract gave no data. */
  reason: string;
  /** "Error" (require string), "Panic", or the custom error's name, when the data decoded. */
  errorName?: string;
  errorArgs?: readonly unknown[];
  /** The raw revert data, when there was any. */
  revertData?: Hex;
}

export interface RevertedCall extends RevertDescription {
  /** The called function, when the input decodes with the ABI (undefined for a deployment). */
  functionName: string | undefined;
  args: readonly unknown[] | undefined;
  /** The transaction's input. */
  calldata: Hex;
  /** How the revert data was found: replaying the call, or the node's tracer. */
  recoveredBy: "call" | "trace" | "none";
}

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

function revertDataOf(error: BaseError): Hex | undefined {
  const found = error.walk((e) => typeof e === "object" && e !== null && "data" in e) as {
    data?: unknown;
  } | null;
  const data = found?.data;
  const hex = typeof data === "object" && data !== null ? (data as { data?: unknown }).data : data;
  return typeof hex === "string" && hex.startsWith("0x") ? (hex as Hex) : undefined;
}

/**
 * The reason of a revert from any viem error (e.g. what `simulateContract`, `writeContract` or
 * `estimateContractGas` threw). Returns undefined if the error is not a revert.
 */
export function describeRevert(error: unknown): RevertDescription | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const revertData = reverted.raw ?? revertDataOf(reverted);
  const decoded = reverted.data;
  let reason = reverted.reason;
  if (!reason && decoded && decoded.errorName !== "Error" && decoded.errorName !== "Panic") {
    reason = `${decoded.errorName}(${(decoded.args ?? []).map(formatArg).join(", ")})`;
  }
  if (!reason && reverted.signature) reason = `unknown error ${reverted.signature}`;
  return {
    reason: reason ?? "execution reverted",
    ...(decoded ? { errorName: decoded.errorName, errorArgs: decoded.args ?? [] } : {}),
    ...(revertData && revertData !== "0x" ? { revertData } : {}),
  };
}

/**
 * Recovers the function, arguments and revert reason of a mined, reverted transaction.
 * `abi` defaults to HeraldCollection's. Throws if the transaction is unknown, not mined, or
 * did not revert.
 */
export async function decodeRevertReason(
  client: Client,
  txHash: Hash,
  options: { abi?: Abi } = {},
): Promise<RevertedCall> {
  const abi = options.abi ?? collectionArtifact.abi;
  const [tx, receipt] = await Promise.all([
    getTransaction(client, { hash: txHash }),
    getTransactionReceipt(client, { hash: txHash }),
  ]);
  if (receipt.status !== "reverted") throw new Error(`transaction ${txHash} did not revert`);

  const calldata = tx.input;
  let functionName: string | undefined;
  let args: readonly unknown[] | undefined;
  if (tx.to) {
    try {
      const decoded = decodeFunctionData({ abi, data: calldata });
      functionName = decoded.functionName;
      args = decoded.args ?? [];
    } catch {
      // Not a function of this ABI: the reason can still be recovered.
    }
  }
  const context = { functionName, args, calldata };

  try {
    await call(client, {
      account: tx.from,
      ...(tx.to ? { to: tx.to } : {}),
      data: calldata,
      value: tx.value,
      gas: tx.gas,
      blockNumber: receipt.blockNumber - 1n,
    });
  } catch (error) {
    const contractError = getContractError(error as BaseError, {
      abi,
      args,
      address: tx.to ?? undefined,
      functionName: functionName ?? "",
      sender: tx.from,
    });
    const description = describeRevert(contractError);
    if (description) return { ...description, ...context, recoveredBy: "call" };
    return { reason: contractError.shortMessage, ...context, recoveredBy: "call" };
  }

  // The replay succeeded: an earlier transaction of the same block changed the state. The
  // node's tracer sees the real execution, when it has one.
  const traced = await traceRevertData(client, txHash);
  if (traced !== undefined) {
    const description = describeRevert(
      new ContractFunctionRevertedError({ abi, data: traced, functionName: functionName ?? "" }),
    );
    if (description) return { ...description, ...context, recoveredBy: "trace" };
  }
  return { reason: "execution reverted", ...context, recoveredBy: "none" };
}

async function traceRevertData(client: Client, txHash: Hash): Promise<Hex | undefined> {
  try {
    const trace = (await client.request({
      method: "debug_traceTransaction",
      params: [txHash, { disableStack: true, disableMemory: true, disableStorage: true }],
    } as never)) as { failed?: boolean; returnValue?: string };
    if (!trace?.failed || typeof trace.returnValue !== "string") return undefined;
    const hex = trace.returnValue.startsWith("0x") ? trace.returnValue : `0x${trace.returnValue}`;
    return hex as Hex;
  } catch {
    return undefined;
  }
}

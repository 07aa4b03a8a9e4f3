// What the transaction manager throws.
import {
  BaseError,
  ContractFunctionRevertedError,
  decodeFunctionData,
  getContractError,
} from "viem";
import type { Address } from "viem";
import type { BroadcastFailure, TxRecord, TxRequest } from "./types.js";

/**
 * The node refused a freshly signed transaction (insufficient funds, a nonce gap on an
 * automining node, an underpriced conflict…). Nothing was broadcast and the nonce was NOT
 * consumed: the next `send` takes it. `record` is what `onRecord` received before the
 * broadcast; it was never accepted, so the caller must drop it (mark the job failed or
 * queued again) and never pass it to `resume`.
 */
export class TxRejectedError extends Error {
  override readonly name = "TxRejectedError";
  constructor(
    readonly key: string,
    readonly record: TxRecord,
    readonly reason: BroadcastFailure,
    options: { cause: unknown },
  ) {
    super(`transaction for ${key} (nonce ${record.nonce}) rejected: ${errorText(options.cause)}`, {
      cause: options.cause,
    });
  }
}

/**
 * The record's nonce was mined by a transaction that is none of the record's hashes (the key
 * was used elsewhere, or a record that `send` reported as rejected was resumed). Nothing of
 * this record can ever be mined now.
 */
export class TxNonceConsumedError extends Error {
  override readonly name = "TxNonceConsumedError";
  constructor(
    readonly key: string,
    readonly nonce: number,
  ) {
    super(`nonce ${nonce} of ${key} was mined by a transaction that is not one of its own`);
  }
}

/** Every message along the error's cause chain, for matching a node's wording. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 8; depth += 1) {
    const e = current as { details?: unknown; shortMessage?: unknown; message?: unknown };
    for (const part of [e.details, e.shortMessage, e.message]) {
      if (typeof part === "string" && part && !parts.includes(part)) parts.push(part);
    }
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join(" | ") || String(error);
}

/**
 * A reverting gas estimate as viem's contract error, so `describeRevert` reads its reason:
 * `require` strings and panics always, custom errors and the call's arguments when the request
 * carries its `abi`. Any other failure comes back unchanged.
 */
export function estimateError(error: unknown, request: TxRequest, sender: Address): unknown {
  if (!(error instanceof BaseError)) return error;
  const abi = request.abi ?? [];
  let call: { functionName: string; args?: readonly unknown[] } = { functionName: "" };
  if (request.abi && request.to) {
    try {
      call = decodeFunctionData({ abi: request.abi, data: request.data });
    } catch {
      // Not a function of this ABI: the revert still decodes.
    }
  }
  const contractError = getContractError(error, {
    abi,
    address: request.to,
    args: call.args,
    functionName: call.functionName,
    sender,
  });
  return contractError.cause instanceof ContractFunctionRevertedError ? contractError : error;
}

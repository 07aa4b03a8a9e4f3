// What became of a job's transaction, in the terms core reports (`ChainOutcome`).
import {
  BaseError,
  decodeFunctionData,
  getAddress,
  parseEventLogs,
  type Abi,
  type PublicClient,
} from "viem";
import type { ChainOutcome } from "../../../core/chain/job-effects.js";
import type { ChainJob } from "../../../core/chain/chain-types.js";
import { namedArguments } from "./requests.js";
import { decodeRevertReason, describeRevert } from "../tx/revert-reason.js";
import type { TxOutcome, TxRecord, TxRequest } from "../tx/types.js";

/** A mined transaction: its contract or token id, or its decoded revert reason; `abi`: the
 * contract's the job calls (abiOf). */
export async function minedOutcome(
  client: PublicClient,
  outcome: TxOutcome,
  abi: Abi,
): Promise<ChainOutcome> {
  const { receipt, hash } = outcome;
  if (outcome.status === "success") {
    const transfers = parseEventLogs({
      abi,
      logs: receipt.logs,
      eventName: "Transfer",
    });
    const minted = transfers[0]?.args as { tokenId?: bigint } | undefined;
    return {
      status: "success",
      txHash: hash,
      // EIP-55 checksummed, as every address Herald shows (nodes answer in lower case).
      contractAddress: receipt.contractAddress ? getAddress(receipt.contractAddress) : undefined,
      tokenId: minted?.tokenId?.toString(),
    };
  }
  const decoded = await decodeRevertReason(client, hash);
  const functionName = decoded.functionName ?? "constructor";
  return {
    status: "reverted",
    txHash: hash,
    revert: {
      reason: `execution reverted: ${decoded.reason}`,
      functionName,
      arguments: namedArguments(abi, functionName, decoded.args),
      calldata: decoded.calldata,
    },
  };
}

/** A mined batch of mints: each job's outcome, in the order of the transaction's calls (its
 * token id from the n-th mint's `Transfer`); a revert is every job's. */
export async function minedBatchOutcomes(
  client: PublicClient,
  outcome: TxOutcome,
  abi: Abi,
  count: number,
): Promise<ChainOutcome[]> {
  if (outcome.status !== "success") {
    const reverted = await minedOutcome(client, outcome, abi);
    return Array.from({ length: count }, () => reverted);
  }
  const minted = parseEventLogs({ abi, logs: outcome.receipt.logs, eventName: "Transfer" })
    .map((log) => log.args as { from?: string; tokenId?: bigint })
    .filter((args) => args.from !== undefined && BigInt(args.from) === 0n);
  return Array.from({ length: count }, (_, i) => ({
    status: "success" as const,
    txHash: outcome.hash,
    tokenId: minted[i]?.tokenId?.toString(),
  }));
}

/** The node refused to send it because it would revert: the contract's answer, or undefined
 * when the error is something else. */
export function refusedOutcome(
  request: TxRequest,
  error: unknown,
  abi: Abi,
): ChainOutcome | undefined {
  const revert = describeRevert(error);
  if (!revert) return undefined;
  const call = request.to
    ? decodeFunctionData({ abi, data: request.data })
    : { functionName: "constructor", args: [] as unknown[] };
  return {
    status: "reverted",
    txHash: null,
    revert: {
      reason: `execution reverted: ${revert.reason}`,
      functionName: call.functionName,
      arguments: namedArguments(abi, call.functionName, call.args),
      calldata: request.data,
    },
  };
}

/** A job that cannot be sent or mined at all, for `reason`. */
export function unsentOutcome(job: ChainJob, reason: string, record?: TxRecord): ChainOutcome {
  return {
    status: "reverted",
    txHash: null,
    revert: {
      reason,
      functionName: job.kind,
      arguments: { ...job.payload },
      calldata: record?.raw[record.raw.length - 1] ?? "0x",
    },
  };
}

/** A job whose transaction can never be sent (its request cannot be encoded, or the node
 * rejects its arguments), and why. */
export function unsendableOutcome(error: unknown): ChainOutcome {
  const message = error instanceof BaseError ? error.shortMessage : (error as Error).message;
  return { status: "reverted", txHash: null, unsendable: message || String(error) };
}

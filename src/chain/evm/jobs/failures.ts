// Whether a job's send failed for good (the request cannot be encoded or the node rejects its
// arguments: the same request fails the same way every time) or for now (RPC, nonce, fees,
// funds: worth another try later). Reverts are told apart before this (refusedOutcome).
import { BaseError } from "viem";

/** viem's errors for requests that can never be valid, whatever the node says. */
const PERMANENT = new Set([
  "IntegerOutOfRangeError",
  "InvalidAddressError",
  "AbiEncodingLengthMismatchError",
  "AbiEncodingArrayLengthMismatchError",
  "AbiEncodingBytesSizeMismatchError",
  "InvalidAbiEncodingTypeError",
  "InvalidArrayError",
  "SizeOverflowError",
  "BytesSizeMismatchError",
  "InvalidParamsRpcError",
  "IntrinsicGasTooLowError",
  "FeeCapTooHighError",
  "TipAboveFeeCapError",
]);

export function isPermanentFailure(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  return Boolean(error.walk((e) => PERMANENT.has((e as Error).name)));
}

// A fee ceiling as operators and callers write it: gwei as decimal text ("50", "0.5"), at most
// 12 whole digits and 9 decimals (one wei), above zero. HERALD_CHAINS' `maxFeePerGas` (a
// chain's) and the `x-herald-max-fee-per-gas` header (one request's) take this form; both are
// kept in wei.

const GWEI = /^(\d{1,12})(?:\.(\d{1,9}))?$/;

/** The ceiling in wei, or null when the text is not gwei in that form or is zero. */
export function parseGweiCeiling(text: string): bigint | null {
  const match = GWEI.exec(text.trim());
  if (!match) return null;
  const wei = BigInt(match[1]!) * 1_000_000_000n + BigInt((match[2] ?? "").padEnd(9, "0"));
  return wei > 0n ? wei : null;
}

/** The lower of two ceilings (either may be absent). */
export function lowerCeiling(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

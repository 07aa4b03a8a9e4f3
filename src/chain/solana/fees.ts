// The priority fee of a job's transaction by attempt: the chain's base price, doubled each time
// a signed transaction expired without landing, up to its ceiling. Pure.

/** Re-signing from no priority fee starts here (micro-lamports per compute unit). */
export const FIRST_RAISED_PRICE = 1_000n;

export function priorityFee(attempt: number, base: bigint, max: bigint): bigint {
  if (attempt <= 0) return base < max ? base : max;
  const start = base > 0n ? base : FIRST_RAISED_PRICE;
  const raised = start * 2n ** BigInt(Math.min(attempt - (base > 0n ? 0 : 1), 32));
  return raised < max ? raised : max;
}

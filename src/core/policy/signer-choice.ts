// Which signer of a chain's pool sends a job, and when a signer's balance is news. Pure.
//
// A job whose order key (one NFT's jobs, or one collection's) still has a transaction pending
// on a signer goes to that signer: its nonces keep the order. Any other job goes to the
// allowed, funded signer with the most room under its pending limit (the first such, in pool
// order, on a tie), so a drop spreads over the pool and a stuck or unfunded signer gets nothing
// new.

export interface SignerState {
  address: string;
  /** Transactions sent and not yet mined, plus sends under way. */
  pending: number;
  /** Its pending limit (public nodes refuse a sender's 17th). */
  maxPending: number;
  /** Its balance was last read at or above the low threshold (or none is set). */
  funded: boolean;
}

export type SignerPick =
  | { kind: "signer"; address: string }
  /** Every allowed signer is at its limit, or the sticky one is: try again shortly. */
  | { kind: "wait" }
  /** No allowed signer is funded: the job waits like any failed send. */
  | { kind: "unfunded" };

export function pickSigner(
  signers: readonly SignerState[],
  /** The signers the job's contract accepts (all, for a deployment). */
  allowed: ReadonlySet<string>,
  /** The signer the job's order key is pending on, if any. */
  sticky: string | null,
): SignerPick {
  if (sticky !== null) {
    const bound = signers.find((s) => s.address === sticky);
    if (bound && allowed.has(sticky)) {
      return bound.pending < bound.maxPending
        ? { kind: "signer", address: sticky }
        : { kind: "wait" };
    }
  }
  const usable = signers.filter((s) => allowed.has(s.address) && s.funded);
  if (usable.length === 0) return { kind: "unfunded" };
  let best: SignerState | null = null;
  for (const s of usable) {
    const room = s.maxPending - s.pending;
    if (room > 0 && (!best || room > best.maxPending - best.pending)) best = s;
  }
  return best ? { kind: "signer", address: best.address } : { kind: "wait" };
}

/**
 * A signer's balance read against the low threshold: whether it is low now, and whether that
 * is a crossing to publish (`signer.balance_low` once per crossing: it was not low before, or
 * had not been read).
 */
export function balanceCrossing(
  wasLow: boolean | undefined,
  balance: bigint,
  threshold: bigint | null,
): { low: boolean; publish: boolean } {
  const low = threshold !== null && balance < threshold;
  return { low, publish: low && wasLow !== true };
}

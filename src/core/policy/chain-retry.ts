// When a chain job whose send failed for a passing reason (the RPC is down, a nonce or fee
// race, an unfunded signer) is tried again: a quarter of the time it has waited so far, from a
// second up to five minutes. Pure; the job's age is all it needs, so nothing more is stored.

const MIN_DELAY_MS = 1_000;
const MAX_DELAY_MS = 300_000;

export function chainRetryDelayMs(createdAt: number, now: number): number {
  return Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, Math.floor((now - createdAt) / 4)));
}

// Per-endpoint rate limit: a token bucket refilled at `rate` per second. It holds a tenth of a
// second's worth, so no one-second window ever sees more than 1.1 × rate deliveries.

export interface TokenBucket {
  tokens: number;
  updatedAt: number;
}

export function refill(bucket: TokenBucket, rate: number, now: number): TokenBucket {
  const capacity = capacityOf(rate);
  const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
  return { tokens: Math.min(capacity, bucket.tokens + elapsed * rate), updatedAt: now };
}

/** How many whole tokens can be taken now. */
export function available(bucket: TokenBucket, rate: number, now: number): number {
  return Math.floor(refill(bucket, rate, now).tokens);
}

export function take(bucket: TokenBucket, rate: number, now: number, count: number): TokenBucket {
  const filled = refill(bucket, rate, now);
  return { tokens: filled.tokens - count, updatedAt: now };
}

/** Milliseconds until one token is available. */
export function waitForToken(bucket: TokenBucket, rate: number, now: number): number {
  const filled = refill(bucket, rate, now);
  if (filled.tokens >= 1) return 0;
  return Math.ceil(((1 - filled.tokens) / rate) * 1000);
}

export function fullBucket(rate: number, now: number): TokenBucket {
  return { tokens: capacityOf(rate), updatedAt: now };
}

export function capacityOf(rate: number): number {
  return Math.max(1, Math.ceil(rate / 10));
}

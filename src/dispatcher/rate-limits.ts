// Endpoints' rate limits (deliveries per second), one token bucket each (policy/token-bucket).
import {
  available,
  fullBucket,
  take,
  waitForToken,
  type TokenBucket,
} from "../core/policy/token-bucket.js";

export class RateLimits {
  private readonly buckets = new Map<string, { bucket: TokenBucket; rate: number }>();

  /** Whether any endpoint is rate-limited (its tokens come back on a timer). */
  get active(): boolean {
    return this.buckets.size > 0;
  }

  /** Milliseconds until the endpoint has a token; 0 now, or when it has no limit. */
  waitFor(endpointId: string, rate: number | null, now: number): number {
    if (!rate) return 0;
    const known = this.buckets.get(endpointId);
    const bucket = known?.rate === rate ? known.bucket : fullBucket(rate, now);
    this.buckets.set(endpointId, { bucket, rate });
    return waitForToken(bucket, rate, now);
  }

  take(endpointId: string, rate: number | null, now: number): void {
    const known = this.buckets.get(endpointId);
    if (!rate || !known) return;
    this.buckets.set(endpointId, { bucket: take(known.bucket, rate, now, 1), rate });
  }

  /** Endpoints without a token now: claims leave them out. */
  emptied(now: number): string[] {
    const empty: string[] = [];
    for (const [id, { bucket, rate }] of this.buckets) {
      if (available(bucket, rate, now) < 1) empty.push(id);
    }
    return empty;
  }
}

import type { Logger } from "pino";
import type { ClaimedDelivery, DeliveryOutcome } from "../core/interfaces.js";
import type { Signals } from "../core/signals.js";
import {
  available,
  fullBucket,
  take,
  waitForToken,
  type TokenBucket,
} from "../core/token-bucket.js";
import type { Store } from "../store/store.js";
import { runAttempt, type AttemptContext } from "./attempt.js";
import { OutcomeWriter } from "./outcome-writer.js";

export interface DispatcherOptions {
  /** Attempts in flight at once, over all endpoints. */
  concurrency: number;
  /** Attempts in flight at once to one endpoint, so a hanging one cannot take every slot. */
  endpointConcurrency: number;
  /** Longest sleep when nothing is due (a safety net; wake-ups normally come from signals). */
  idlePollMs: number;
}

/**
 * Claims due deliveries, runs their attempts within the concurrency limits and hands the
 * outcomes to the writer. Each claim is a lease: a crashed process's deliveries come due again.
 */
export class Dispatcher {
  private inFlight = 0;
  private readonly perEndpoint = new Map<string, number>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly writer: OutcomeWriter;
  private running = false;
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private idle: Array<() => void> = [];
  readonly leaseMs: number;

  constructor(
    private readonly store: Store,
    private readonly signals: Signals,
    private readonly ctx: AttemptContext,
    private readonly options: DispatcherOptions,
    private readonly log: Logger,
  ) {
    this.leaseMs = ctx.timeoutMs + 60_000;
    this.writer = new OutcomeWriter(store, log, (outcomes) => this.flushed(outcomes));
  }

  start(): void {
    this.running = true;
    this.unsubscribe = this.signals.onDeliveriesQueued(() => this.kick());
    this.kick();
  }

  /** Stops claiming, waits for attempts in flight (up to `graceMs`), writes their outcomes. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.idle.push(resolve)),
        new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    await this.writer.flush();
  }

  get stats() {
    return { inFlight: this.inFlight, unwrittenOutcomes: this.writer.pending };
  }

  kick(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.fillSlots();
      } while (this.again && this.running);
      await this.scheduleWake();
    } catch (error) {
      this.log.error({ err: error }, "claiming deliveries failed");
      this.setTimer(1000);
    } finally {
      this.pumping = false;
    }
  }

  /** Endpoints that cannot take another attempt now: at their cap or out of rate tokens. */
  private blockedEndpoints(now: number): string[] {
    const blocked: string[] = [];
    for (const [id, count] of this.perEndpoint)
      if (count >= this.options.endpointConcurrency) blocked.push(id);
    for (const [id, bucket] of this.buckets) {
      const rate = this.rates.get(id);
      if (rate && available(bucket, rate, now) < 1) blocked.push(id);
    }
    return blocked;
  }

  private readonly rates = new Map<string, number>();

  private async fillSlots(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.inFlight;
      if (free <= 0) return;
      const now = this.ctx.now();
      const claims = await this.store.claimDueDeliveries({
        owner: this.ctx.leaseOwner,
        now,
        limit: Math.min(free, 200),
        leaseMs: this.leaseMs,
        excludeEndpointIds: this.blockedEndpoints(now),
      });
      if (claims.length === 0) return;
      const giveBack = new Map<number, string[]>();
      for (const claim of claims) {
        const waitMs = this.admit(claim, now);
        if (waitMs === 0) this.launch(claim);
        else giveBack.set(now + waitMs, [...(giveBack.get(now + waitMs) ?? []), claim.id]);
      }
      for (const [dueAt, ids] of giveBack)
        await this.store.releaseDeliveries(ids, this.ctx.leaseOwner, dueAt);
      if (claims.length < Math.min(free, 200)) return;
    }
  }

  /** 0 when the attempt may start now; otherwise how long to wait before trying again. */
  private admit(claim: ClaimedDelivery, now: number): number {
    const id = claim.endpoint.id;
    if ((this.perEndpoint.get(id) ?? 0) >= this.options.endpointConcurrency) return 1;
    const rate = claim.endpoint.rateLimit;
    if (rate) {
      this.rates.set(id, rate);
      const bucket = this.buckets.get(id) ?? fullBucket(rate, now);
      if (available(bucket, rate, now) < 1) {
        this.buckets.set(id, bucket);
        return Math.max(1, waitForToken(bucket, rate, now));
      }
      this.buckets.set(id, take(bucket, rate, now, 1));
    }
    return 0;
  }

  private launch(claim: ClaimedDelivery): void {
    const id = claim.endpoint.id;
    this.inFlight++;
    this.perEndpoint.set(id, (this.perEndpoint.get(id) ?? 0) + 1);
    void runAttempt(claim, this.ctx).then((outcome) => {
      this.writer.push(outcome);
      this.inFlight--;
      const left = (this.perEndpoint.get(id) ?? 1) - 1;
      if (left === 0) this.perEndpoint.delete(id);
      else this.perEndpoint.set(id, left);
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      this.kick();
    });
  }

  private flushed(outcomes: DeliveryOutcome[]): void {
    // Retries and operational events may now be due.
    if (
      outcomes.some(
        (o) =>
          o.status === "pending" || o.publish.length > 0 || o.endpointEffect.kind === "disable",
      )
    ) {
      this.again = true;
      this.kick();
    }
  }

  private async scheduleWake(): Promise<void> {
    if (!this.running) return;
    const next = await this.store.nextDueAt();
    const now = this.ctx.now();
    let delay = this.options.idlePollMs;
    if (next !== null) delay = Math.min(delay, Math.max(next - now, 1));
    // Rate-limited endpoints get their tokens back on a timer too.
    if (this.buckets.size > 0) delay = Math.min(delay, 50);
    this.setTimer(delay);
  }

  private setTimer(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.kick();
    }, ms);
  }
}

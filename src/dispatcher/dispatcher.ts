import type { Logger } from "pino";
import type { ClaimedDelivery, DeliveryOutcome } from "../core/interfaces.js";
import type { Signals } from "../core/runtime/signals.js";
import {
  available,
  fullBucket,
  take,
  waitForToken,
  type TokenBucket,
} from "../core/policy/token-bucket.js";
import { CoalescedLoop } from "../lib/coalesced-loop.js";
import type { Store } from "../core/ports/store.js";
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
  private readonly loop = new CoalescedLoop(
    async () => {
      await this.fillSlots();
      await this.scheduleWake();
    },
    (error) => {
      this.log.error({ err: error }, "claiming deliveries failed");
      this.setTimer(1000);
    },
  );
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
    // Long enough for a wait in the endpoint's backlog and the attempt itself; short enough
    // that a dead worker's deliveries are soon taken by the others (shared database).
    this.leaseMs = 2 * ctx.timeoutMs + 10_000;
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
    this.loop.stop();
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    const waiting = [...this.backlog.values()].flat().map((c) => c.id);
    this.backlog.clear();
    this.backlogSize = 0;
    if (waiting.length > 0)
      await this.store.releaseDeliveries(waiting, this.ctx.leaseOwner, this.ctx.now());
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.idle.push(resolve)),
        new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
    }
    await this.writer.flush();
  }

  /** Wake-ups within one tick (a burst of publishes, many finished attempts) make one claim. */
  kick(): void {
    if (this.running) this.loop.wake();
  }

  /** Endpoints that cannot take more now: cap reached (in flight + waiting) or out of rate tokens. */
  private blockedEndpoints(now: number): string[] {
    const blocked = new Set<string>();
    for (const [id, count] of this.perEndpoint) {
      // Up to the cap in flight and as many again waiting in the backlog.
      if (count + (this.backlog.get(id)?.length ?? 0) >= 2 * this.options.endpointConcurrency)
        blocked.add(id);
    }
    for (const [id, bucket] of this.buckets) {
      const rate = this.rates.get(id);
      if (rate && available(bucket, rate, now) < 1) blocked.add(id);
    }
    return [...blocked];
  }

  private readonly rates = new Map<string, number>();
  /** Claimed deliveries waiting for their endpoint's cap; bounded by the cap, well within the lease. */
  private readonly backlog = new Map<string, ClaimedDelivery[]>();
  private backlogSize = 0;

  private async fillSlots(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.inFlight - this.backlogSize;
      // Busy: wait until a quarter of the slots are free, so claims come in batches, not one
      // row per finished attempt. Idle: claim at once, for latency.
      const busy = this.inFlight + this.backlogSize > 0;
      if (free <= 0 || (busy && free < Math.max(1, this.options.concurrency >> 2))) return;
      const now = this.ctx.now();
      const limit = Math.min(free, 200);
      const claims = await this.store.claimDueDeliveries({
        owner: this.ctx.leaseOwner,
        now,
        limit,
        leaseMs: this.leaseMs,
        excludeEndpointIds: this.blockedEndpoints(now),
      });
      if (claims.length === 0) return;
      const giveBack = new Map<number, string[]>();
      for (const claim of claims) {
        const waitMs = this.admit(claim, now);
        if (waitMs === 0) this.launch(claim);
        else if (waitMs < 0) this.enqueue(claim);
        else giveBack.set(now + waitMs, [...(giveBack.get(now + waitMs) ?? []), claim.id]);
      }
      for (const [dueAt, ids] of giveBack)
        await this.store.releaseDeliveries(ids, this.ctx.leaseOwner, dueAt);
      if (claims.length < limit) return;
    }
  }

  /**
   * 0: start now; -1: wait in the backlog for a slot of this endpoint; > 0: give it back to
   * the store for that many milliseconds (rate limit, or the backlog is full).
   */
  private admit(claim: ClaimedDelivery, now: number): number {
    const id = claim.endpoint.id;
    const cap = this.options.endpointConcurrency;
    if ((this.perEndpoint.get(id) ?? 0) >= cap) {
      return (this.backlog.get(id)?.length ?? 0) < cap && !claim.endpoint.rateLimit ? -1 : 1;
    }
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

  private enqueue(claim: ClaimedDelivery): void {
    const queue = this.backlog.get(claim.endpoint.id) ?? [];
    queue.push(claim);
    this.backlog.set(claim.endpoint.id, queue);
    this.backlogSize++;
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
      const waiting = this.backlog.get(id);
      if (waiting?.length && this.running) {
        this.backlogSize--;
        if (waiting.length === 1) this.backlog.delete(id);
        this.launch(waiting.shift()!);
      } else if (this.inFlight === 0) {
        for (const resolve of this.idle.splice(0)) resolve();
      }
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

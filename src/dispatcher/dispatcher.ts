import type { ClaimedDelivery, DeliveryOutcome } from "../core/interfaces.js";
import {
  admit,
  afterAttempt,
  excludedEndpoints,
  mayStart,
  newLoad,
  slowAfterMs,
  whenSlow,
  type AdmissionSettings,
  type EndpointLoad,
} from "../core/policy/admission.js";
import { heraldFaultDelayMs } from "../core/policy/retry-policy.js";
import type { Log } from "../core/ports/log.js";
import type { Store } from "../core/ports/store.js";
import type { Signals } from "../core/runtime/signals.js";
import { CoalescedLoop } from "../lib/coalesced-loop.js";
import { runAttempt, type AttemptContext } from "./attempt.js";
import { OutcomeWriter } from "./outcome-writer.js";
import { RateLimits } from "./rate-limits.js";

export interface DispatcherOptions {
  /** Attempts in flight at once, over all endpoints. */
  concurrency: number;
  /** Attempts in flight at once to one endpoint, at most (each endpoint's limit adapts). */
  endpointConcurrency: number;
  /** Longest sleep when nothing is due (a safety net; wake-ups normally come from signals). */
  idlePollMs: number;
}

const MAX_CLAIM = 200;

/** Stalled attempts (past their endpoint's usual time) outside the pool, at most. */
const MAX_STALLED = 10_000;

/** An attempt in flight: when it started, and whether it stalled (and left the pool). */
interface Running {
  at: number;
  stalled: boolean;
}

/** A claimed delivery waiting here for a slot of its endpoint. */
interface Waiting {
  claim: ClaimedDelivery;
  since: number;
}

/**
 * Claims due deliveries, admits each (policy/admission.ts: start, wait for a slot of its
 * endpoint, or back to the store), runs the attempts and hands the outcomes to the writer.
 * Each claim is a lease: a crashed process's deliveries come due again.
 */
export class Dispatcher {
  /** Attempts in flight that hold a place in the pool. */
  private inFlight = 0;
  /** Attempts in flight that stalled and gave their place back. */
  private stalled = 0;
  private readonly loads = new Map<string, EndpointLoad>();
  /** Claimed deliveries waiting for a slot of their endpoint, by endpoint (in turn order). */
  private readonly waiting = new Map<string, Waiting[]>();
  /** Wake-ups of endpoints whose waiting deliveries start when their quiet time ends. */
  private readonly quietTimers = new Map<string, NodeJS.Timeout>();
  /** The pool was full since the last pass over every waiting endpoint. */
  private poolWasFull = false;
  /** Each endpoint's attempts in flight, to notice one that hangs. */
  private readonly started = new Map<string, Running[]>();
  private readonly rates = new RateLimits();
  private readonly settings: AdmissionSettings;
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
  private slowTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private idle: Array<() => void> = [];
  readonly leaseMs: number;

  constructor(
    private readonly store: Store,
    private readonly signals: Signals,
    private readonly ctx: AttemptContext,
    private readonly options: DispatcherOptions,
    private readonly log: Log,
  ) {
    // Long enough for a wait for a slot and the attempt itself; short enough that a dead
    // worker's deliveries are soon taken by the others (shared database).
    this.leaseMs = 2 * ctx.timeoutMs + 10_000;
    this.settings = {
      concurrency: options.concurrency,
      endpointConcurrency: options.endpointConcurrency,
      timeoutMs: ctx.timeoutMs,
      // A quarter of the lease: a delivery that waited this long still has time for its attempt.
      holdMs: this.leaseMs / 4,
    };
    this.writer = new OutcomeWriter(store, log, (outcomes) => this.flushed(outcomes));
  }

  start(): void {
    this.running = true;
    this.unsubscribe = this.signals.onDeliveriesQueued(() => this.kick());
    this.slowTimer = setInterval(() => {
      this.noticeSlowEndpoints();
      this.releaseLongWaits();
    }, 250);
    this.slowTimer.unref();
    this.kick();
  }

  /** Stops claiming, waits for attempts in flight (up to `graceMs`), writes their outcomes. */
  async stop(graceMs: number): Promise<void> {
    this.running = false;
    this.loop.stop();
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    if (this.slowTimer) clearInterval(this.slowTimer);
    for (const timer of this.quietTimers.values()) clearTimeout(timer);
    const waiting = [...this.waiting.values()].flat().map((w) => w.claim.id);
    this.waiting.clear();
    if (waiting.length > 0)
      await this.store.releaseDeliveries(waiting, this.ctx.leaseOwner, this.ctx.now());
    if (this.inFlight + this.stalled > 0) {
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

  private loadOf(claim: ClaimedDelivery): EndpointLoad {
    const { id, failingSince, quietUntil } = claim.endpoint;
    const known = this.loads.get(id);
    if (!known) {
      const load = newLoad(this.settings, failingSince, quietUntil);
      this.loads.set(id, load);
      return load;
    }
    // Another process may have found the endpoint failing since.
    if ((quietUntil ?? 0) > known.quietUntil) known.quietUntil = quietUntil!;
    return known;
  }

  private async fillSlots(): Promise<void> {
    while (this.running) {
      const free = this.options.concurrency - this.inFlight;
      // Busy: wait until a quarter of the slots are free, so claims come in batches, not one
      // row per finished attempt. Idle: claim at once, for latency.
      const quarter = Math.max(1, Math.min(this.options.concurrency >> 2, MAX_CLAIM));
      if (free <= 0 || (this.inFlight > 0 && free < quarter)) return;
      const now = this.ctx.now();
      const limit = Math.min(free, MAX_CLAIM);
      const exclude = excludedEndpoints(this.loads, this.inFlight, this.settings);
      const claims = await this.store.claimDueDeliveries({
        owner: this.ctx.leaseOwner,
        now,
        limit,
        leaseMs: this.leaseMs,
        excludeEndpointIds: [...exclude, ...this.rates.emptied(now)],
      });
      if (claims.length === 0) return;
      const parks: Array<{ id: string; until: number }> = [];
      const later = new Map<number, string[]>();
      for (const claim of claims) {
        const load = this.loadOf(claim);
        const poolFree = this.options.concurrency - this.inFlight;
        if (poolFree <= 0) this.poolWasFull = true;
        const admission = admit(load, poolFree, now, claim, this.settings);
        if (admission.kind === "park") {
          parks.push({ id: claim.id, until: admission.until });
          continue;
        }
        // A rate-limited endpoint's deliveries wait in the store for their token.
        const tokenIn = this.rates.waitFor(claim.endpoint.id, claim.endpoint.rateLimit, now);
        if (tokenIn > 0 || (admission.kind === "wait" && claim.endpoint.rateLimit)) {
          const dueAt = now + Math.max(1, tokenIn);
          later.set(dueAt, [...(later.get(dueAt) ?? []), claim.id]);
        } else if (admission.kind === "start") {
          this.rates.take(claim.endpoint.id, claim.endpoint.rateLimit, now);
          this.launch(claim, load);
        } else {
          this.enqueue(claim, load);
        }
      }
      if (parks.length > 0) await this.store.parkDeliveries(parks, this.ctx.leaseOwner);
      for (const [dueAt, ids] of later)
        await this.store.releaseDeliveries(ids, this.ctx.leaseOwner, dueAt);
      if (claims.length < limit) return;
    }
  }

  private enqueue(claim: ClaimedDelivery, load: EndpointLoad): void {
    const queue = this.waiting.get(claim.endpoint.id) ?? [];
    queue.push({ claim, since: this.ctx.now() });
    this.waiting.set(claim.endpoint.id, queue);
    load.waiting++;
    if (this.ctx.now() < load.quietUntil) this.wakeAt(claim.endpoint.id, load.quietUntil);
  }

  private launch(claim: ClaimedDelivery, load: EndpointLoad): void {
    const id = claim.endpoint.id;
    const running: Running = { at: this.ctx.now(), stalled: false };
    this.inFlight++;
    load.inFlight++;
    this.started.set(id, [...(this.started.get(id) ?? []), running]);
    void runAttempt(claim, this.ctx).then((result) => {
      if (running.stalled) this.stalled--;
      else this.inFlight--;
      const runs = this.started.get(id) ?? [];
      runs.splice(runs.indexOf(running), 1);
      if (runs.length === 0) this.started.delete(id);
      const current = this.loads.get(id) ?? load;
      current.inFlight--;
      if ("herald" in result) this.heraldFault(claim, result.herald);
      else this.finished(claim, current, result.outcome);
      this.drain(id);
      this.forgetIfIdle(id);
      if (this.inFlight + this.stalled === 0) for (const resolve of this.idle.splice(0)) resolve();
      this.kick();
    });
  }

  /** The endpoint's load moves on with the attempt's result; the outcome goes to the writer. */
  private finished(claim: ClaimedDelivery, load: EndpointLoad, outcome: DeliveryOutcome): void {
    const { attempt } = outcome;
    const after = afterAttempt(
      load,
      {
        ok: attempt.outcome === "succeeded",
        unanswered: attempt.statusCode === null,
        durationMs: attempt.durationMs,
        finishedAt: attempt.startedAt + attempt.durationMs,
      },
      this.settings,
    );
    this.loads.set(claim.endpoint.id, after);
    const effect = outcome.endpointEffect;
    // New deliveries to the endpoint are born parked while it is quiet (in the store, too).
    if (effect.kind === "failing") effect.quietUntil = after.quietUntil;
    this.writer.push(outcome);
  }

  /** Herald could not make the attempt: not the endpoint's failure; the delivery goes back. */
  private heraldFault(claim: ClaimedDelivery, error: Error): void {
    this.log.error(
      { err: error, deliveryId: claim.id, endpointId: claim.endpoint.id },
      "could not attempt a delivery (Herald's fault, not the endpoint's); it will be tried again",
    );
    const dueAt = this.ctx.now() + heraldFaultDelayMs(this.ctx.schedule);
    this.store
      .releaseDeliveries([claim.id], this.ctx.leaseOwner, dueAt)
      .catch((e: unknown) => this.log.error({ err: e }, "giving a delivery back failed"));
  }

  /**
   * Starts waiting deliveries that may start now: the endpoint's, or every endpoint's in turn
   * when the pool was full (their own attempts may not be the ones that end).
   */
  private drain(endpointId: string): void {
    if (!this.running) return;
    const all = this.poolWasFull;
    this.poolWasFull = false;
    const now = this.ctx.now();
    for (const id of all ? [...this.waiting.keys()] : [endpointId]) {
      const queue = this.waiting.get(id);
      const load = this.loads.get(id);
      if (!queue || !load) continue;
      let started = false;
      while (this.inFlight < this.options.concurrency) {
        const next = queue.findIndex((w) => mayStart(load, w.claim.attempt, now));
        if (next < 0) break;
        const [waiting] = queue.splice(next, 1);
        load.waiting--;
        this.launch(waiting!.claim, load);
        started = true;
      }
      this.waiting.delete(id);
      if (queue.length > 0) this.waiting.set(id, queue); // to the back of the turn
      if (this.inFlight >= this.options.concurrency) this.poolWasFull = true;
      if (!started && queue.length > 0 && now < load.quietUntil) this.wakeAt(id, load.quietUntil);
    }
  }

  private wakeAt(endpointId: string, at: number): void {
    if (this.quietTimers.has(endpointId)) return;
    const timer = setTimeout(
      () => {
        this.quietTimers.delete(endpointId);
        this.drain(endpointId);
      },
      Math.max(1, at - this.ctx.now()),
    );
    this.quietTimers.set(endpointId, timer);
  }

  /** An idle, healthy endpoint is forgotten (a new claim starts it afresh). */
  private forgetIfIdle(endpointId: string): void {
    const load = this.loads.get(endpointId);
    if (!load || this.waiting.has(endpointId)) return;
    if (load.inFlight === 0 && load.failures === 0 && load.quietUntil <= this.ctx.now())
      this.loads.delete(endpointId);
  }

  /** The endpoint's waiting deliveries go back to the store, each until it could start. */
  private parkWaiting(endpointId: string, load: EndpointLoad, now: number): void {
    const queue = this.waiting.get(endpointId) ?? [];
    this.waiting.delete(endpointId);
    load.waiting = 0;
    const parks = queue.map(({ claim }) => {
      const admission = admit(load, 0, now, claim, { ...this.settings, holdMs: 0 });
      return { id: claim.id, until: admission.kind === "park" ? admission.until : now };
    });
    this.store
      .parkDeliveries(parks, this.ctx.leaseOwner)
      .catch((e: unknown) => this.log.error({ err: e }, "parking deliveries failed"));
  }

  /** Deliveries that waited here past twice their hold go back to the store, due now. */
  private releaseLongWaits(): void {
    const now = this.ctx.now();
    const expired: string[] = [];
    for (const [id, queue] of this.waiting) {
      const load = this.loads.get(id);
      const kept: Waiting[] = [];
      for (const w of queue) {
        if (now - w.since < 2 * this.settings.holdMs) kept.push(w);
        else expired.push(w.claim.id);
      }
      if (kept.length === queue.length) continue;
      if (load) load.waiting = kept.length;
      if (kept.length > 0) this.waiting.set(id, kept);
      else this.waiting.delete(id);
    }
    if (expired.length === 0) return;
    this.store
      .releaseDeliveries(expired, this.ctx.leaseOwner, now)
      .catch((e: unknown) => this.log.error({ err: e }, "giving deliveries back failed"));
  }

  /**
   * An attempt that runs past its endpoint's usual time has stalled: it gives its place in the
   * pool back (it only holds a socket), and its endpoint gets one attempt at a time and quiet
   * until that attempt times out.
   */
  private noticeSlowEndpoints(): void {
    const now = this.ctx.now();
    let freed = false;
    for (const [id, runs] of this.started) {
      const load = this.loads.get(id);
      if (!load) continue;
      const slowAfter = slowAfterMs(load, this.settings);
      for (const run of runs) {
        if (run.stalled || now - run.at < slowAfter || this.stalled >= MAX_STALLED) continue;
        run.stalled = true;
        this.inFlight--;
        this.stalled++;
        freed = true;
      }
      const oldest = runs[0]!.at;
      if (now - oldest < slowAfter) continue;
      if (load.limit === 1 && load.quietUntil >= oldest + this.settings.timeoutMs) continue;
      const slow = whenSlow(load, oldest, this.settings);
      this.loads.set(id, slow);
      this.log.warn(
        { endpointId: id, runningMs: now - oldest },
        "endpoint slow: one attempt at a time until it answers",
      );
      if (slow.quietUntil - now > this.settings.holdMs) this.parkWaiting(id, slow, now);
      this.store
        .quietEndpoint(id, slow.quietUntil)
        .catch((e: unknown) => this.log.error({ err: e }, "marking an endpoint quiet failed"));
    }
    if (freed) {
      // Waiting deliveries of any endpoint may take the places given back.
      this.poolWasFull = true;
      this.drain("");
      this.kick();
    }
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
    if (this.rates.active) delay = Math.min(delay, 50);
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

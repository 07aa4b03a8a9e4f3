// Retention: old events (with their deliveries and attempts), idempotency keys and observed-log
// records are deleted in small batches, each its own short transaction, with a pause between
// batches so the dispatcher's writes are never held up for long. An event with a delivery
// still pending or paused is kept, however old: nothing accepted is lost.
import type { Log } from "../ports/log.js";
import { idBefore } from "./ids.js";

/** An Idempotency-Key is remembered this long (as Stripe does), whatever the retention. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface PruneCutoffs {
  /** Events with a smaller (time-ordered) id are old enough. */
  eventIdBefore: string;
  /** Epoch ms: idempotency keys created before are forgotten. */
  idempotencyBefore: number;
  /** Epoch ms: records of observed chain logs created before are dropped. */
  observedBefore: number;
}

export interface PruneCounts {
  events: number;
  idempotencyKeys: number;
  observedLogs: number;
}

export interface RetentionStore {
  /** One batch: deletes at most `limit` rows of each kind older than the cutoffs. */
  pruneExpired(cutoffs: PruneCutoffs, limit: number): Promise<PruneCounts>;
}

export function pruneCutoffs(now: number, retentionMs: number): PruneCutoffs {
  return {
    eventIdBefore: idBefore(now - retentionMs),
    idempotencyBefore: now - Math.min(retentionMs, IDEMPOTENCY_WINDOW_MS),
    observedBefore: now - retentionMs,
  };
}

export interface RetentionOptions {
  retentionMs: number;
  /** Rows of each kind per batch. */
  batchSize: number;
  /** Pause between batches. */
  pauseMs: number;
  /** Time between runs. */
  everyMs: number;
  now: () => number;
}

export class Retention {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private current: Promise<PruneCounts> | null = null;

  constructor(
    private readonly store: RetentionStore,
    private readonly log: Pick<Log, "info" | "warn">,
    private readonly options: RetentionOptions,
  ) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
  }

  /** Prunes until a batch comes back short; returns what it deleted. */
  async runOnce(): Promise<PruneCounts> {
    const total: PruneCounts = { events: 0, idempotencyKeys: 0, observedLogs: 0 };
    const { batchSize, pauseMs } = this.options;
    const cutoffs = pruneCutoffs(this.options.now(), this.options.retentionMs);
    for (;;) {
      const batch = await this.store.pruneExpired(cutoffs, batchSize);
      total.events += batch.events;
      total.idempotencyKeys += batch.idempotencyKeys;
      total.observedLogs += batch.observedLogs;
      const full = Math.max(batch.events, batch.idempotencyKeys, batch.observedLogs) >= batchSize;
      if (!full || !this.running) return total;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.current = this.runOnce();
      this.current
        .then((total) => {
          if (total.events + total.idempotencyKeys + total.observedLogs > 0)
            this.log.info(total, "retention: pruned old records");
        })
        .catch((error: unknown) => this.log.warn({ err: error }, "retention run failed"))
        .finally(() => this.schedule(this.options.everyMs));
    }, delayMs);
    this.timer.unref();
  }
}

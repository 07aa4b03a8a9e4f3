import type { Log } from "../core/ports/log.js";
import type { DeliveryOutcome } from "../core/interfaces.js";
import type { Store } from "../core/ports/store.js";

// Outcomes are written in batches: one transaction for many attempts is what lets the
// embedded store keep up with thousands of deliveries a second. An outcome lost in a crash
// before its flush only means the delivery is attempted again (at least once).

const MAX_BATCH = 500;

export class OutcomeWriter {
  private queue: DeliveryOutcome[] = [];
  private flushing: Promise<void> | null = null;
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly log: Log,
    private readonly onFlushed: (outcomes: DeliveryOutcome[]) => void,
  ) {}

  push(outcome: DeliveryOutcome): void {
    this.queue.push(outcome);
    if (!this.scheduled && !this.flushing) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  async flush(): Promise<void> {
    this.scheduled = false;
    if (this.flushing) return this.flushing;
    this.flushing = (async () => {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.store.applyDeliveryOutcomes(batch);
          this.onFlushed(batch);
        } catch (error) {
          // Keep them: the lease protects the deliveries until the store is back.
          this.log.error(
            { err: error, count: batch.length },
            "writing delivery outcomes failed; retrying",
          );
          this.queue.unshift(...batch);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }
}

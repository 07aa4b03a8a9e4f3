import { EventEmitter } from "node:events";
import type { Action } from "./interfaces.js";

// In-process wake-ups: new deliveries wake the dispatcher, completed actions release
// long-polls. A multi-process store forwards these between processes.

export class Signals {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  deliveriesQueued(): void {
    this.emitter.emit("deliveries");
  }

  onDeliveriesQueued(listener: () => void): () => void {
    this.emitter.on("deliveries", listener);
    return () => this.emitter.off("deliveries", listener);
  }

  chainJobsQueued(): void {
    this.emitter.emit("chain-jobs");
  }

  onChainJobsQueued(listener: () => void): () => void {
    this.emitter.on("chain-jobs", listener);
    return () => this.emitter.off("chain-jobs", listener);
  }

  actionChanged(action: Action): void {
    this.emitter.emit(`action:${action.id}`, action);
  }

  /** Resolves with the changed action, or null after `ms` or when `signal` aborts. */
  waitForAction(id: string, ms: number, signal?: AbortSignal): Promise<Action | null> {
    return new Promise((resolve) => {
      const key = `action:${id}`;
      const done = (action: Action | null) => {
        clearTimeout(timer);
        this.emitter.off(key, done);
        signal?.removeEventListener("abort", aborted);
        resolve(action);
      };
      const aborted = () => done(null);
      const timer = setTimeout(() => done(null), ms);
      this.emitter.on(key, done);
      signal?.addEventListener("abort", aborted, { once: true });
    });
  }
}

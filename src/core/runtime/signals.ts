import { EventEmitter } from "node:events";
import type { Action } from "../interfaces.js";

// Wake-ups: new deliveries wake the dispatcher, queued chain jobs the chain module, completed
// actions release long-polls. In one process they are events; with a shared database a
// `SignalBus` carries them to the other processes too (PostgreSQL LISTEN/NOTIFY).

export type SignalKind = "deliveries" | "chain-jobs" | "action";

export interface SignalBus {
  /** To every other process (never back to this one); may coalesce repeats. */
  send(kind: SignalKind, arg: string): void;
  /** What the other processes sent. */
  onSignal(listener: (kind: SignalKind, arg: string) => void): () => void;
}

export class Signals {
  private readonly emitter = new EventEmitter();
  private bus: SignalBus | null = null;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Forwards this process's signals to the bus, and the bus's to this process's listeners. */
  connect(bus: SignalBus): () => void {
    this.bus = bus;
    const off = bus.onSignal((kind, arg) => {
      if (kind === "deliveries") this.emitter.emit("deliveries");
      else if (kind === "chain-jobs") this.emitter.emit("chain-jobs");
      // Another process's action: waiters read it from the store.
      else this.emitter.emit(`action:${arg}`, null);
    });
    return () => {
      off();
      this.bus = null;
    };
  }

  deliveriesQueued(): void {
    this.emitter.emit("deliveries");
    this.bus?.send("deliveries", "");
  }

  onDeliveriesQueued(listener: () => void): () => void {
    this.emitter.on("deliveries", listener);
    return () => this.emitter.off("deliveries", listener);
  }

  chainJobsQueued(): void {
    this.emitter.emit("chain-jobs");
    this.bus?.send("chain-jobs", "");
  }

  onChainJobsQueued(listener: () => void): () => void {
    this.emitter.on("chain-jobs", listener);
    return () => this.emitter.off("chain-jobs", listener);
  }

  actionChanged(action: Action): void {
    this.emitter.emit(`action:${action.id}`, action);
    this.bus?.send("action", action.id);
  }

  /** Resolves with the changed action (null if it changed in another process, or after `ms`,
   * or when `signal` aborts: then read it from the store). */
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

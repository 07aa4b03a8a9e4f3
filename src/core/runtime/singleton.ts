// Jobs that must run in exactly one process at a time (a chain's runner: one signer, local
// nonces; retention). Each process tries to take the job's lock; the holder runs the job; the
// others try again every few seconds, so when the holder dies (its database session ends and
// the lock with it) another takes over. On SQLite one process owns the data, so its locks are
// always granted.

import type { Log } from "../ports/log.js";

export interface ExclusiveLocks {
  /** Takes the named lock for this process if it is free; whether this process holds it now. */
  tryAcquire(name: string): Promise<boolean>;
  release(name: string): Promise<void>;
  /** Told when held locks were lost (the session carrying them ended). */
  onLost(listener: (names: string[]) => void): () => void;
}

/** SQLite: one process, every lock is its own. */
export class ProcessLocks implements ExclusiveLocks {
  async tryAcquire(): Promise<boolean> {
    return true;
  }
  async release(): Promise<void> {}
  onLost(): () => void {
    return () => undefined;
  }
}

export interface SingletonJob {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export class Singleton {
  private job: SingletonJob | null = null;
  private timer: NodeJS.Timeout | null = null;
  private active = false;
  private busy: Promise<void> = Promise.resolve();
  private readonly offLost: () => void;

  constructor(
    private readonly locks: ExclusiveLocks,
    readonly name: string,
    private readonly makeJob: () => SingletonJob,
    private readonly log: Pick<Log, "info" | "warn">,
    private readonly retryMs = 2000,
  ) {
    this.offLost = locks.onLost((names) => {
      if (names.includes(name)) this.serial(() => this.lost());
    });
  }

  /** Whether this process runs the job now. */
  get holding(): boolean {
    return this.job !== null;
  }

  start(): Promise<void> {
    this.active = true;
    return this.serial(() => this.attempt());
  }

  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.offLost();
    await this.serial(async () => {
      const job = this.job;
      this.job = null;
      await job?.stop();
      if (job) await this.locks.release(this.name).catch(() => undefined);
    });
  }

  private serial(task: () => Promise<void>): Promise<void> {
    const run = this.busy.then(task);
    this.busy = run.catch((error: unknown) =>
      this.log.warn({ err: error, singleton: this.name }, "singleton step failed"),
    );
    return run;
  }

  private async attempt(): Promise<void> {
    if (!this.active || this.job) return;
    const held = await this.locks.tryAcquire(this.name).catch(() => false);
    if (held && !this.active) await this.locks.release(this.name).catch(() => undefined);
    if (held && this.active) {
      const job = this.makeJob();
      try {
        await job.start();
        this.job = job;
        this.log.info({ singleton: this.name }, "running here");
      } catch (error) {
        await job.stop().catch(() => undefined);
        await this.locks.release(this.name).catch(() => undefined);
        throw error;
      } finally {
        if (!this.job) this.retryLater();
      }
      return;
    }
    this.retryLater();
  }

  private async lost(): Promise<void> {
    const job = this.job;
    if (!job) return;
    this.job = null;
    this.log.warn({ singleton: this.name }, "lock lost: stopping here");
    await job.stop();
    this.retryLater();
  }

  private retryLater(): void {
    if (!this.active) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.serial(() => this.attempt()), this.retryMs);
    this.timer.unref();
  }
}

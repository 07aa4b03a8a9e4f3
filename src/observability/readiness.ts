// Whether this process can serve (`GET /ready`): its store answers in time, its schema is the
// one this code needs, and its roles have started. A load balancer sends it traffic only then.
import type { Store } from "../core/ports/store.js";
import type { Readiness as ReadinessPort } from "../api/operations.js";

/** A store that does not answer within this is taken as unreachable. */
const STORE_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export class Readiness implements ReadinessPort {
  /** Set once every role started; unset as the process stops. */
  started = false;

  constructor(
    private readonly store: Store,
    private readonly roles: string[],
  ) {}

  async check() {
    let store = { ok: true, detail: `${this.store.kind} answers` };
    let migrations = { ok: false, detail: "not checked: the store does not answer" };
    try {
      const { current, latest } = await withTimeout(this.store.schemaVersion(), STORE_TIMEOUT_MS);
      migrations =
        current === latest
          ? { ok: true, detail: `schema version ${current}` }
          : { ok: false, detail: `schema version ${current}, this Herald needs ${latest}` };
    } catch (error) {
      store = { ok: false, detail: `the store does not answer: ${(error as Error).message}` };
    }
    const roles = this.started
      ? { ok: true, detail: `started: ${this.roles.join(", ")}` }
      : { ok: false, detail: "starting or stopping" };
    return { store, migrations, roles };
  }
}

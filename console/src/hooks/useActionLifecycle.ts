import { useEffect, useState } from "react";
import { ApiError, errorMessage, isAbortError, type Api } from "../api";
import type { Action } from "../types";

export interface ActionLifecycle {
  action: Action | null;
  error: { message: string; status: number } | null;
  /** Waiting on a long poll for the action to complete. */
  watching: boolean;
  /** When the console saw it complete (a failed action carries no completedAt). */
  completedSeenAt: Date | null;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Errors that asking again will not fix (unknown id, bad key); others are retried. */
const isFinal = (error: unknown) =>
  error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429;

/**
 * Reads an action, then keeps a long poll (`?wait=`) open while it is pending, so its
 * completion shows the moment Herald records it. Aborted when the id changes or on unmount.
 */
export function useActionLifecycle(
  api: Api,
  actionId: string | undefined,
  { waitSeconds = 20, retryMs = 2000 } = {},
): ActionLifecycle {
  const [state, setState] = useState<ActionLifecycle>({
    action: null,
    error: null,
    watching: false,
    completedSeenAt: null,
  });

  useEffect(() => {
    setState({ action: null, error: null, watching: false, completedSeenAt: null });
    if (!actionId) return;
    const controller = new AbortController();
    const { signal } = controller;
    void (async () => {
      let wait: number | undefined;
      let failures = 0;
      while (!signal.aborted) {
        const askedAt = Date.now();
        try {
          const action = await api.getAction(actionId, wait, signal);
          failures = 0;
          const pending = action.status === "pending";
          setState((s) => ({
            action,
            error: null,
            watching: pending,
            completedSeenAt: pending ? null : (s.completedSeenAt ?? new Date()),
          }));
          if (!pending) return;
          // A long poll that came back at once, still pending: do not spin on it.
          if (wait !== undefined && Date.now() - askedAt < 1000) await sleep(1000, signal);
          wait = waitSeconds;
        } catch (failure) {
          if (signal.aborted || isAbortError(failure)) return;
          const status = failure instanceof ApiError ? failure.status : 0;
          if (isFinal(failure)) {
            setState((s) => ({
              ...s,
              error: { message: errorMessage(failure), status },
              watching: false,
            }));
            return;
          }
          failures += 1;
          setState((s) => ({
            ...s,
            error: { message: `${errorMessage(failure)} Trying again…`, status },
          }));
          await sleep(Math.min(retryMs * 2 ** (failures - 1), 30_000), signal);
        }
      }
    })();
    return () => controller.abort();
  }, [api, actionId, waitSeconds, retryMs]);

  return state;
}

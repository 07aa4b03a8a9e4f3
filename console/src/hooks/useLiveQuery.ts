import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, errorMessage, isAbortError } from "../api";
import { usePageVisible } from "./usePageVisible";

export interface LiveQuery<T> {
  data: T | undefined;
  /** The last load's failure, in words; cleared by the next success. */
  error: string | null;
  /** The HTTP status of that failure (0: Herald unreachable). */
  errorStatus: number | null;
  loading: boolean;
  reload: () => void;
}

interface Options {
  /** Poll again this long after each answer; off when undefined. */
  intervalMs?: number;
  /** Polling only while true (e.g. only on the first page); the tab must also be visible. */
  live?: boolean;
}

/**
 * Loads `load()` whenever `key` changes and, when live, again `intervalMs` after each answer
 * (never two at once, so a slow Herald is not piled on). Old data stays on screen while the
 * next answer is on its way: filters and pages change without flashing an empty table.
 */
export function useLiveQuery<T>(
  key: string,
  load: (signal: AbortSignal) => Promise<T>,
  { intervalMs, live = true }: Options = {},
): LiveQuery<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<{ message: string; status: number | null } | null>(null);
  const [loading, setLoading] = useState(true);
  const [reloads, setReloads] = useState(0);
  const visible = usePageVisible();
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  const polling = intervalMs !== undefined && live && visible;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Only a new key or a reload shows as loading; polls refresh quietly.
    const run = async (first: boolean) => {
      if (first) setLoading(true);
      try {
        const answer = await loadRef.current(controller.signal);
        if (controller.signal.aborted) return;
        setData(answer);
        setError(null);
      } catch (failure) {
        if (controller.signal.aborted || isAbortError(failure)) return;
        setError({
          message: errorMessage(failure),
          status: failure instanceof ApiError ? failure.status : null,
        });
      }
      setLoading(false);
      if (polling) timer = setTimeout(() => void run(false), intervalMs);
    };
    void run(true);
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [key, polling, intervalMs, reloads]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return {
    data,
    error: error?.message ?? null,
    errorStatus: error?.status ?? null,
    loading,
    reload,
  };
}

import { useCallback, useEffect, useState } from "react";
import { errorMessage, isAbortError } from "../api";

type PageLoader<T> = (
  page: { limit: number; cursor?: string },
  signal?: AbortSignal,
) => Promise<{ data: T[]; nextCursor: string | null }>;

/**
 * A cursor-paged list, a page at a time ("Load more"). `load` must be stable (useCallback or
 * the api's own function), or the first page is fetched again on every render.
 */
export function usePagedList<T>(load: PageLoader<T>, pageSize: number, what: string) {
  const [items, setItems] = useState<T[] | undefined>(undefined);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A failed "Load more" is shown beside that button, not in place of the list.
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    load({ limit: pageSize }, controller.signal).then(
      (page) => {
        setItems(page.data);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (failure: unknown) => {
        if (isAbortError(failure)) return;
        setError(errorMessage(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [load, pageSize]);

  const loadMore = useCallback(async () => {
    if (!nextCursor || loading) return;
    setLoading(true);
    setMoreError(null);
    try {
      const page = await load({ limit: pageSize, cursor: nextCursor });
      setItems((current) => [...(current ?? []), ...page.data]);
      setNextCursor(page.nextCursor);
    } catch (failure) {
      setMoreError(`More ${what} could not be loaded: ${errorMessage(failure)}`);
    } finally {
      setLoading(false);
    }
  }, [load, nextCursor, pageSize, loading, what]);

  return { items, nextCursor, error, moreError, loading, loadMore };
}

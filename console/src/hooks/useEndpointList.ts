import { useCallback, useEffect, useState } from "react";
import { errorMessage, isAbortError } from "../api";
import { useApi } from "../api-context";
import type { Endpoint } from "../types";

/** The project's endpoints, a page at a time ("Load more"), as the API's cursor pages them. */
export function useEndpointList(pageSize = 25) {
  const api = useApi();
  const [endpoints, setEndpoints] = useState<Endpoint[] | undefined>(undefined);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A failed "Load more" is shown beside that button, not in place of the list.
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    api.listEndpoints({ limit: pageSize }, controller.signal).then(
      (page) => {
        setEndpoints(page.data);
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
  }, [api, pageSize]);

  const loadMore = useCallback(async () => {
    if (!nextCursor || loading) return;
    setLoading(true);
    setMoreError(null);
    try {
      const page = await api.listEndpoints({ limit: pageSize, cursor: nextCursor });
      setEndpoints((current) => [...(current ?? []), ...page.data]);
      setNextCursor(page.nextCursor);
    } catch (failure) {
      setMoreError(`More endpoints could not be loaded: ${errorMessage(failure)}`);
    } finally {
      setLoading(false);
    }
  }, [api, nextCursor, pageSize, loading]);

  return { endpoints, nextCursor, error, moreError, loading, loadMore };
}

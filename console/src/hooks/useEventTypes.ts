import { useEffect, useState } from "react";
import { errorMessage, type Api } from "../api";
import { useApi } from "../api-context";
import type { EventTypeInfo } from "../types";

// The catalog is fixed while Herald runs: fetched once per signed-in client, shared by every
// picker and filter on the page.
const cache = new WeakMap<Api, Promise<EventTypeInfo[]>>();

function catalogOf(api: Api): Promise<EventTypeInfo[]> {
  let promise = cache.get(api);
  if (!promise) {
    promise = api.eventTypes().then((answer) => answer.data);
    cache.set(api, promise);
    // A failure is not kept: the next picker asks again.
    promise.catch(() => cache.delete(api));
  }
  return promise;
}

export function useEventTypes(): { eventTypes: EventTypeInfo[] | undefined; error: string | null } {
  const api = useApi();
  const [eventTypes, setEventTypes] = useState<EventTypeInfo[] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    catalogOf(api).then(
      (types) => current && setEventTypes(types),
      (failure: unknown) => current && setError(errorMessage(failure)),
    );
    return () => {
      current = false;
    };
  }, [api]);
  return { eventTypes, error };
}

import { useApi } from "../api-context";
import type { Endpoint } from "../types";
import { usePagedList } from "./usePagedList";

/** The project's endpoints, a page at a time ("Load more"), as the API's cursor pages them. */
export function useEndpointList(pageSize = 25) {
  const api = useApi();
  const { items, ...rest } = usePagedList<Endpoint>(api.listEndpoints, pageSize, "endpoints");
  return { endpoints: items, ...rest };
}

// @herald/client: Herald's HTTP API, typed. The types are generated from Herald's OpenAPI
// document (schema.gen.ts, by `npm run openapi` in Herald's repository); openapi-fetch checks a
// call's path, parameters and body against them and types what comes back.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.gen.js";

export type { components, operations, paths } from "./schema.gen.js";

/** The versioned API's prefix: every project call's path starts with it. */
export const API_PREFIX = "/api/2022-06-09";

/** What Herald answers for every failure: a 4xx (or 5xx) with `{error: true, message}`. */
export type HeraldError = components["schemas"]["Error"];

/** Herald's API as openapi-fetch calls it: `client.GET(path, init)`, `client.POST(…)`, …. */
export type HeraldClient = Client<paths>;

/** The credentials a client sends: a project's API key, Herald's admin token, or both. */
export type HeraldCredentials =
  { apiKey: string; adminToken?: string } | { apiKey?: string; adminToken: string };

export type HeraldClientOptions = HeraldCredentials & {
  /** Herald's address, e.g. `http://localhost:8080`: the paths carry `/api/2022-06-09`. */
  baseUrl: string;
  /** A fetch to call instead of the global one, looked up at each call (tests, proxies). */
  fetch?: (request: Request) => Promise<Response>;
  /** More headers for every request. */
  headers?: Record<string, string>;
};

/**
 * A client for Herald's API. The project's API key goes in the `x-api-key` header, the admin
 * token (for the `/admin` routes) in `authorization: Bearer …`, as Herald checks them.
 */
export function createHeraldClient(options: HeraldClientOptions): HeraldClient {
  const { baseUrl, apiKey, adminToken, fetch, headers } = options;
  if (!apiKey && !adminToken)
    throw new TypeError("createHeraldClient needs an apiKey or an adminToken");
  return createClient<paths>({
    baseUrl,
    headers: {
      accept: "application/json",
      ...(apiKey ? { "x-api-key": apiKey } : {}),
      ...(adminToken ? { authorization: `Bearer ${adminToken}` } : {}),
      ...headers,
    },
    fetch: (request) => (fetch ?? globalThis.fetch)(request),
  });
}

// A stand-in for Herald's HTTP API: `fetch` stubbed with handlers keyed "METHOD /path"
// (the path after the API prefix, without the query), answering realistic JSON.
import { vi } from "vitest";
import { API_PREFIX } from "../api";

export interface FakeCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: Record<string, string>;
}

export interface FakeAnswer {
  status?: number;
  body?: unknown;
}

export type Handler = (call: FakeCall) => FakeAnswer | Promise<FakeAnswer>;

export function fakeApi(routes: Record<string, Handler | FakeAnswer>) {
  const calls: FakeCall[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://herald.test");
    const method = init.method ?? "GET";
    const path = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length)
      : url.pathname;
    const call: FakeCall = {
      method,
      path,
      query: url.searchParams,
      body: typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined,
      headers: (init.headers ?? {}) as Record<string, string>,
    };
    calls.push(call);
    const signal = init.signal;
    const aborted = () => new DOMException("The operation was aborted.", "AbortError");
    if (signal?.aborted) throw aborted();
    const route = routes[`${method} ${path}`];
    const answering = (async (): Promise<FakeAnswer> => {
      if (!route)
        return { status: 404, body: { error: true, message: `no fake for ${method} ${path}` } };
      return typeof route === "function" ? route(call) : route;
    })();
    // Like the real fetch, an abort rejects a request still waiting for its answer.
    const answer = await new Promise<FakeAnswer>((resolve, reject) => {
      signal?.addEventListener("abort", () => reject(aborted()));
      answering.then(resolve, reject);
    });
    const status = answer.status ?? 200;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status,
      headers: { "content-type": "application/json" },
    });
  });
  // The console's client (openapi-fetch) calls fetch with a Request: the fake sees its parts as
  // fetch(url, init) would give them, so handlers and tests read one shape.
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    if (!(input instanceof Request)) return fetchMock(input, init);
    return fetchMock(input.url, {
      method: input.method,
      headers: Object.fromEntries(input.headers),
      body: input.body ? await input.text() : undefined,
      signal: input.signal,
    });
  });
  const find = (method: string, path: string) =>
    calls.filter((c) => c.method === method && c.path === path);
  return { calls, find, fetchMock };
}

export const apiError = (status: number, message: string): FakeAnswer => ({
  status,
  body: { error: true, message },
});

/** A promise and its resolver, for answers a test releases when it chooses. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

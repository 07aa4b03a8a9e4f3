// The console's only backend: Herald's public HTTP API. Every failure becomes an ApiError
// whose message is fit to show to the user as is.
import type {
  Action,
  AttemptList,
  CreateEndpointInput,
  DeliveryFilter,
  DeliveryPage,
  Endpoint,
  EndpointPage,
  OriginalAssetPage,
  OriginalRewardPage,
  OriginalUserPage,
  RewardOperationKind,
  RewardOperationList,
  EndpointStats,
  EndpointWithSecret,
  ChainList,
  EventTypeList,
  Resent,
  Secret,
  StatsWindow,
  TestEventSent,
  UpdateEndpointInput,
} from "./types";

export const API_PREFIX = "/api/2022-06-09";
export const UNREACHABLE_MESSAGE =
  "Herald is not reachable. Check that the server is running and your network, then try again.";

export class ApiError extends Error {
  constructor(
    /** The HTTP status; 0 when Herald could not be reached at all. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/** The words to show for any failure (ApiError or otherwise). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return "Something went wrong.";
}

type Query = Record<string, string | number | undefined | null>;

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function messageOf(body: unknown, response: Response): string {
  if (typeof body === "object" && body !== null && "message" in body) {
    const { message } = body as { message: unknown };
    if (typeof message === "string" && message) return message;
  }
  // A proxy in front of Herald, or a crash: no JSON error body to quote.
  return `Herald answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`;
}

export interface ApiOptions {
  /** Called when Herald answers 401: the key was revoked while signed in. */
  onUnauthorized?: () => void;
}

export function createApi(apiKey: string, { onUnauthorized }: ApiOptions = {}) {
  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const { method = "GET", query, body, signal } = options;
    const headers: Record<string, string> = { "x-api-key": apiKey, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${API_PREFIX}${path}${queryString(query)}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      text = await response.text();
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ApiError(0, UNREACHABLE_MESSAGE);
    }
    const json = parseJson(text);
    if (!response.ok) {
      if (response.status === 401) onUnauthorized?.();
      throw new ApiError(response.status, messageOf(json, response));
    }
    return json as T;
  }

  const endpointPath = (id: string) => `/webhooks/endpoints/${encodeURIComponent(id)}`;

  return {
    listEndpoints: (page: { limit?: number; cursor?: string } = {}, signal?: AbortSignal) =>
      request<EndpointPage>("/webhooks/endpoints", { query: page, signal }),
    listOriginalUsers: (page: { limit?: number; cursor?: string } = {}, signal?: AbortSignal) =>
      request<OriginalUserPage>("/original/users", { query: page, signal }),
    listOriginalAssets: (page: { limit?: number; cursor?: string } = {}, signal?: AbortSignal) =>
      request<OriginalAssetPage>("/original/assets", { query: page, signal }),
    listOriginalRewards: (page: { limit?: number; cursor?: string } = {}, signal?: AbortSignal) =>
      request<OriginalRewardPage>("/original/rewards", { query: page, signal }),
    /** Newest first, the latest 1,000 at most: no cursor. */
    listOriginalRewardOperations: (uid: string, kind: RewardOperationKind, signal?: AbortSignal) =>
      request<RewardOperationList>(`/original/rewards/${encodeURIComponent(uid)}/operations`, {
        query: { kind },
        signal,
      }),
    getEndpoint: (id: string, signal?: AbortSignal) =>
      request<Endpoint>(endpointPath(id), { signal }),
    createEndpoint: (input: CreateEndpointInput) =>
      request<EndpointWithSecret>("/webhooks/endpoints", { method: "POST", body: input }),
    updateEndpoint: (id: string, change: UpdateEndpointInput) =>
      request<Endpoint>(endpointPath(id), { method: "PATCH", body: change }),
    deleteEndpoint: (id: string) => request<void>(endpointPath(id), { method: "DELETE" }),
    getSecret: (id: string) => request<Secret>(`${endpointPath(id)}/secret`),
    rotateSecret: (id: string) =>
      request<Secret>(`${endpointPath(id)}/secret/rotate`, {
        method: "POST",
        body: {},
      }),
    sendTestEvent: (id: string, eventType: string) =>
      request<TestEventSent>(`${endpointPath(id)}/test`, {
        method: "POST",
        body: { eventType },
      }),
    listDeliveries: (
      id: string,
      filter: DeliveryFilter & { limit?: number; cursor?: string },
      signal?: AbortSignal,
    ) => request<DeliveryPage>(`${endpointPath(id)}/deliveries`, { query: { ...filter }, signal }),
    resendFailed: (id: string, since: string) =>
      request<Resent>(`${endpointPath(id)}/resend-failed`, {
        method: "POST",
        body: { since },
      }),
    endpointStats: (id: string, window: StatsWindow, signal?: AbortSignal) =>
      request<EndpointStats>(`${endpointPath(id)}/stats`, { query: { window }, signal }),
    listAttempts: (deliveryId: string, signal?: AbortSignal) =>
      request<AttemptList>(`/deliveries/${encodeURIComponent(deliveryId)}/attempts`, {
        signal,
      }),
    resendEvent: (eventId: string, endpointId: string) =>
      request<Resent>(`/events/${encodeURIComponent(eventId)}/resend`, {
        method: "POST",
        body: { endpointId },
      }),
    listChains: (signal?: AbortSignal) => request<ChainList>("/chains", { signal }),
    eventTypes: (signal?: AbortSignal) =>
      request<EventTypeList>("/webhooks/event-types", { signal }),
    getAction: (id: string, waitSeconds?: number, signal?: AbortSignal) =>
      request<Action>(`/actions/${encodeURIComponent(id)}`, {
        query: { wait: waitSeconds },
        signal,
      }),
  };
}

export type Api = ReturnType<typeof createApi>;

/** Checks a key before keeping it: the cheapest authenticated call there is. */
export async function verifyApiKey(apiKey: string): Promise<void> {
  try {
    await createApi(apiKey).listEndpoints({ limit: 1 });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw new ApiError(401, "That API key is not valid. Check that you pasted all of it.");
    }
    throw error;
  }
}

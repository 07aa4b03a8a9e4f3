// The console's only backend: Herald's public HTTP API, called through the typed client
// (@herald/client, packages/client), so each call's path, parameters and body are checked against
// docs/openapi.json. Every failure becomes an ApiError whose message is fit to show as is.
import { API_PREFIX, createHeraldClient } from "../../packages/client/src/index.js";
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

export { API_PREFIX };
export const UNREACHABLE_MESSAGE =
  "Herald is not reachable. Check that the server is running and your network, then try again.";

/** A page's place in a list: how many, and where the previous page ended. */
type Page = { limit?: number; cursor?: string };

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

/** A query without its empty values: the console's forms leave fields blank, Herald wants them
 * absent. */
function present<Q extends object>(query: Q): Q {
  const kept = Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== "");
  return Object.fromEntries(kept) as Q;
}

function messageOf(body: unknown, response: Response): string {
  if (typeof body === "object" && body !== null && "message" in body) {
    const { message } = body as { message: unknown };
    if (typeof message === "string" && message) return message;
  }
  // A proxy in front of Herald, or a crash: no JSON error body to quote.
  return `Herald answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`;
}

/** What a call of the client resolves to: `data` on a 2xx, `error` (the parsed body) otherwise. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface ApiOptions {
  /** Called when Herald answers 401: the key was revoked while signed in. */
  onUnauthorized?: () => void;
}

export function createApi(apiKey: string, { onUnauthorized }: ApiOptions = {}) {
  // @herald/client, on the origin that serves the console (Herald itself). It sends the key as
  // x-api-key and calls the global fetch at each request (the tests stub it).
  const client = createHeraldClient({ baseUrl: window.location.origin, apiKey });

  /** Every call's way back: its data, or an ApiError (an abort stays an AbortError). */
  async function send<T>(call: Promise<Answer<T>>): Promise<T> {
    let answer: Answer<T>;
    try {
      answer = await call;
    } catch (error) {
      if (isAbortError(error)) throw error;
      // A 2xx whose body is not JSON (a proxy's page): no data, as a JSON-less answer.
      if (error instanceof SyntaxError) return undefined as T;
      throw new ApiError(0, UNREACHABLE_MESSAGE);
    }
    const { data, error, response } = answer;
    if (!response.ok) {
      if (response.status === 401) onUnauthorized?.();
      throw new ApiError(response.status, messageOf(error, response));
    }
    return data as T;
  }

  const id = (value: string) => ({ path: { id: value } });

  return {
    listEndpoints: (page: Page = {}, signal?: AbortSignal) =>
      send<EndpointPage>(
        client.GET(`${API_PREFIX}/webhooks/endpoints`, {
          params: { query: present(page) },
          signal,
        }),
      ),
    listOriginalUsers: (page: Page = {}, signal?: AbortSignal) =>
      send<OriginalUserPage>(
        client.GET(`${API_PREFIX}/original/users`, { params: { query: present(page) }, signal }),
      ),
    listOriginalAssets: (page: Page = {}, signal?: AbortSignal) =>
      send<OriginalAssetPage>(
        client.GET(`${API_PREFIX}/original/assets`, { params: { query: present(page) }, signal }),
      ),
    listOriginalRewards: (page: Page = {}, signal?: AbortSignal) =>
      send<OriginalRewardPage>(
        client.GET(`${API_PREFIX}/original/rewards`, { params: { query: present(page) }, signal }),
      ),
    /** Newest first, the latest 1,000 at most: no cursor. */
    listOriginalRewardOperations: (uid: string, kind: RewardOperationKind, signal?: AbortSignal) =>
      send<RewardOperationList>(
        client.GET(`${API_PREFIX}/original/rewards/{uid}/operations`, {
          params: { path: { uid }, query: { kind } },
          signal,
        }),
      ),
    getEndpoint: (endpointId: string, signal?: AbortSignal) =>
      send<Endpoint>(
        client.GET(`${API_PREFIX}/webhooks/endpoints/{id}`, { params: id(endpointId), signal }),
      ),
    createEndpoint: (input: CreateEndpointInput) =>
      send<EndpointWithSecret>(client.POST(`${API_PREFIX}/webhooks/endpoints`, { body: input })),
    updateEndpoint: (endpointId: string, change: UpdateEndpointInput) =>
      send<Endpoint>(
        client.PATCH(`${API_PREFIX}/webhooks/endpoints/{id}`, {
          params: id(endpointId),
          body: change,
        }),
      ),
    deleteEndpoint: (endpointId: string) =>
      send<void>(
        client.DELETE(`${API_PREFIX}/webhooks/endpoints/{id}`, { params: id(endpointId) }),
      ),
    getSecret: (endpointId: string) =>
      send<Secret>(
        client.GET(`${API_PREFIX}/webhooks/endpoints/{id}/secret`, { params: id(endpointId) }),
      ),
    rotateSecret: (endpointId: string) =>
      send<Secret>(
        client.POST(`${API_PREFIX}/webhooks/endpoints/{id}/secret/rotate`, {
          params: id(endpointId),
          body: {},
        }),
      ),
    sendTestEvent: (endpointId: string, eventType: string) =>
      send<TestEventSent>(
        client.POST(`${API_PREFIX}/webhooks/endpoints/{id}/test`, {
          params: id(endpointId),
          body: { eventType },
        }),
      ),
    listDeliveries: (endpointId: string, filter: DeliveryFilter & Page, signal?: AbortSignal) =>
      send<DeliveryPage>(
        client.GET(`${API_PREFIX}/webhooks/endpoints/{id}/deliveries`, {
          params: { ...id(endpointId), query: present(filter) },
          signal,
        }),
      ),
    resendFailed: (endpointId: string, since: string) =>
      send<Resent>(
        client.POST(`${API_PREFIX}/webhooks/endpoints/{id}/resend-failed`, {
          params: id(endpointId),
          body: { since },
        }),
      ),
    endpointStats: (endpointId: string, window: StatsWindow, signal?: AbortSignal) =>
      send<EndpointStats>(
        client.GET(`${API_PREFIX}/webhooks/endpoints/{id}/stats`, {
          params: { ...id(endpointId), query: { window } },
          signal,
        }),
      ),
    listAttempts: (deliveryId: string, signal?: AbortSignal) =>
      send<AttemptList>(
        client.GET(`${API_PREFIX}/deliveries/{id}/attempts`, { params: id(deliveryId), signal }),
      ),
    resendEvent: (eventId: string, endpointId: string) =>
      send<Resent>(
        client.POST(`${API_PREFIX}/events/{id}/resend`, {
          params: id(eventId),
          body: { endpointId },
        }),
      ),
    listChains: (signal?: AbortSignal) =>
      send<ChainList>(client.GET(`${API_PREFIX}/chains`, { signal })),
    eventTypes: (signal?: AbortSignal) =>
      send<EventTypeList>(client.GET(`${API_PREFIX}/webhooks/event-types`, { signal })),
    getAction: (actionId: string, waitSeconds?: number, signal?: AbortSignal) =>
      send<Action>(
        client.GET(`${API_PREFIX}/actions/{id}`, {
          params: { ...id(actionId), query: present({ wait: waitSeconds }) },
          signal,
        }),
      ),
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

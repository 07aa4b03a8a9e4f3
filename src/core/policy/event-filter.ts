// Which endpoints receive which events. A subscription is an exact type or a prefix
// pattern ending in `.*` (`nfts.*` matches `nfts.create.succeeded`); null means all.
import { parkedUntil, spreadOf } from "./admission.js";

export function subscriptionMatches(pattern: string, type: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

export function endpointWantsEvent(eventTypes: readonly string[] | null, type: string): boolean {
  if (eventTypes === null) return true;
  return eventTypes.some((pattern) => subscriptionMatches(pattern, type));
}

export function isValidSubscription(pattern: string): boolean {
  return pattern === "*" || /^[a-zA-Z0-9_:-]+(\.[a-zA-Z0-9_:-]+)*(\.\*)?$/.test(pattern);
}

/** An endpoint as the outbox write sees it: its subscriptions as stored (a JSON list, or null). */
export interface FanOutEndpoint {
  id: string;
  projectId: string;
  enabled: boolean;
  eventTypes: string | null;
  failingSince: number | null;
  /** A quiet endpoint's new deliveries are born parked (policy/admission.ts). */
  quietUntil: number | null;
}

/** What of an event decides where it goes, and when. */
export interface FanOutEvent {
  id: string;
  projectId: string;
  type: string;
  createdAt: number;
  /** Only this endpoint (a test send): of the event's project, enabled or not. */
  onlyEndpointId?: string;
  /** Never this endpoint (an operational event about it). */
  excludeEndpointId?: string;
}

// Stored subscription lists repeat across endpoints and publishes: each is parsed once.
const parsedSubscriptions = new Map<string, string[]>();
const MAX_PARSED = 10_000;

/** A stored subscription list (JSON) as patterns; null: every event type. */
export function storedSubscriptions(stored: string | null): string[] | null {
  if (stored === null) return null;
  let patterns = parsedSubscriptions.get(stored);
  if (!patterns) {
    patterns = JSON.parse(stored) as string[];
    if (parsedSubscriptions.size >= MAX_PARSED) parsedSubscriptions.clear();
    parsedSubscriptions.set(stored, patterns);
  }
  return patterns;
}

/** A delivery the fan-out makes: to whom, due when, and whether it is born parked. */
export interface FanOutTarget {
  endpointId: string;
  dueAt: number;
  parked: boolean;
}

/**
 * The outbox's fan-out rule, for both stores: the deliveries of `event` to the endpoints among
 * `candidates` that get one. The endpoint it names (`onlyEndpointId`), if of its project; else
 * every enabled endpoint of its project whose subscriptions match its type; never the one it
 * excludes. Each is due at once, unless its endpoint is quiet: then it is born parked (a test
 * send to a named endpoint is never parked).
 */
export function fanOut(event: FanOutEvent, candidates: Iterable<FanOutEndpoint>): FanOutTarget[] {
  const targets: FanOutTarget[] = [];
  for (const endpoint of candidates) {
    if (endpoint.projectId !== event.projectId || endpoint.id === event.excludeEndpointId) continue;
    const chosen = event.onlyEndpointId
      ? endpoint.id === event.onlyEndpointId
      : endpoint.enabled &&
        endpointWantsEvent(storedSubscriptions(endpoint.eventTypes), event.type);
    if (!chosen) continue;
    const quiet = !event.onlyEndpointId && (endpoint.quietUntil ?? 0) > event.createdAt;
    const dueAt = quiet
      ? parkedUntil(
          endpoint.quietUntil!,
          endpoint.failingSince,
          event.createdAt,
          spreadOf(`${event.id}/${endpoint.id}`),
        )
      : event.createdAt;
    targets.push({ endpointId: endpoint.id, dueAt, parked: quiet });
  }
  return targets;
}

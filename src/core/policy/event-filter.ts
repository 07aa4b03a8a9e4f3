// Which endpoints receive which events. A subscription is an exact type or a prefix
// pattern ending in `.*` (`nfts.*` matches `nfts.create.succeeded`); null means all.

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
}

/** What of an event decides where it goes. */
export interface FanOutEvent {
  projectId: string;
  type: string;
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

/**
 * The outbox's fan-out rule, for both stores: the ids of the endpoints among `candidates` that
 * get a delivery of `event`. The endpoint it names (`onlyEndpointId`), if of its project; else
 * every enabled endpoint of its project whose subscriptions match its type; never the one it
 * excludes.
 */
export function fanOut(event: FanOutEvent, candidates: Iterable<FanOutEndpoint>): string[] {
  const ids: string[] = [];
  for (const endpoint of candidates) {
    if (endpoint.projectId !== event.projectId || endpoint.id === event.excludeEndpointId) continue;
    const chosen = event.onlyEndpointId
      ? endpoint.id === event.onlyEndpointId
      : endpoint.enabled &&
        endpointWantsEvent(storedSubscriptions(endpoint.eventTypes), event.type);
    if (chosen) ids.push(endpoint.id);
  }
  return ids;
}

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

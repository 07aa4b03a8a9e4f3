import type { DestinationConfig } from "../interfaces.js";
import type { SecretBox } from "../runtime/secret-box.js";

// An endpoint's destination settings, opened from the store's sealed JSON. The API (to show
// them masked) and the dispatcher (to deliver) both read them; one cache serves both, keyed by
// the sealed value, which changes whenever the settings do.

// Per box: a value sealed under one master key must not open through another's cache.
const openedByBox = new WeakMap<SecretBox, Map<string, DestinationConfig>>();
const MAX_OPENED = 10_000;

export function openDestination(
  box: SecretBox,
  endpoint: { destinationType: string; destinationEnc: string | null; url: string },
): DestinationConfig {
  const { destinationType: type, destinationEnc: sealed, url } = endpoint;
  // An HTTPS destination is its URL alone, stored in the clear.
  if (sealed === null) return { type, url };
  let opened = openedByBox.get(box);
  if (!opened) openedByBox.set(box, (opened = new Map()));
  let config = opened.get(sealed);
  if (!config) {
    config = JSON.parse(box.open(sealed)) as DestinationConfig;
    if (opened.size >= MAX_OPENED) opened.clear();
    opened.set(sealed, config);
  }
  return config;
}

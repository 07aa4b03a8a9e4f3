import type { Static } from "@sinclair/typebox";
import type { EndpointStats as StatsRecord } from "../../../core/policy/endpoint-stats.js";
import { iso } from "../../../core/policy/envelope.js";
import type { EndpointSecret, EndpointView } from "../../../core/webhooks/endpoints.js";
import { isoOrNull } from "../shared.js";
import type { Endpoint, EndpointStats, Secret } from "./schemas.js";

export function endpointView(e: EndpointView): Static<typeof Endpoint> {
  return {
    id: e.id,
    url: e.url,
    destination: e.destination,
    description: e.description,
    eventTypes: e.eventTypes,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    rateLimit: e.rateLimit,
    format: e.format,
    signing: e.signing,
    ...(e.publicKey === null ? {} : { publicKey: e.publicKey }),
    failingSince: isoOrNull(e.failingSince),
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}

/** The secret, and for ed25519 the public key that goes with it. */
export function secretView({ secret, publicKey }: EndpointSecret): Static<typeof Secret> {
  return publicKey === null ? { secret } : { secret, publicKey };
}

export function statsView(stats: StatsRecord): Static<typeof EndpointStats> {
  return {
    window: stats.window,
    bucketSeconds: stats.bucketMs / 1000,
    buckets: stats.buckets.map((b) => ({ ...b, start: new Date(b.start).toISOString() })),
    totals: stats.totals,
  };
}

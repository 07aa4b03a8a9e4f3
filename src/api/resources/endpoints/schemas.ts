import { Type } from "@sinclair/typebox";
import type { DestinationConfig } from "../../../core/interfaces.js";
import { destinationSchema } from "../../../destinations/registry.js";
import { DeliveryStatusQuery } from "../deliveries/schemas.js";
import { SIGNING_ALGORITHMS } from "../../../core/policy/signing.js";
import { WEBHOOK_FORMATS } from "../../../core/policy/webhook-format.js";
import { Nullable, PageQuery, Timestamp, named, pageOf, ref } from "../shared.js";

// Requests

const Url = Type.String({ minLength: 1, maxLength: 2048 });
const Description = Type.String({ maxLength: 1000 });
const RateLimit = Type.Union(
  [Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }), Type.Null()],
  { description: "Deliveries per second at most; null for no limit" },
);
const Format = Type.Union(
  WEBHOOK_FORMATS.map((f) => Type.Literal(f)),
  {
    description:
      "The body messages have: `auto` (default) delivers Original's events (asset.*, reward.*, " +
      "wallet.created) in Original's body and every other event in Crossmint's envelope; " +
      "`crossmint` or `original` uses that one body for every event",
  },
);
const Signing = Type.Union(
  SIGNING_ALGORITHMS.map((a) => Type.Literal(a)),
  {
    description:
      "How messages are signed (Standard Webhooks): `hmac` (default), `v1,` HMAC-SHA256 " +
      "signatures with a `whsec_` secret; `ed25519`, `v1a,` signatures with a `whsk_` secret " +
      "key that receivers verify with its `whpk_` public key",
  },
);
const SuppliedSecret = Type.String({
  maxLength: 200,
  description:
    "To bring your own: `whsec_…` for hmac, `whsk_…` (base64 of the 64-byte secret key: " +
    "seed, then public key) for ed25519; generated if omitted",
});
const EventTypeFilter = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: 100,
  description: "Event types (or `prefix.*` patterns) the endpoint receives; omit or null for all",
});

export const DestinationInput = named(
  "DestinationInput",
  Type.Unsafe<DestinationConfig>(destinationSchema()),
);

const changeable = {
  url: Type.Optional(Url),
  destination: Type.Optional(ref(DestinationInput)),
  eventTypes: Type.Optional(Type.Union([EventTypeFilter, Type.Null()])),
  description: Type.Optional(Description),
  enabled: Type.Optional(Type.Boolean()),
  rateLimit: Type.Optional(RateLimit),
  format: Type.Optional(Format),
};

export const EndpointInput = named(
  "EndpointInput",
  Type.Object(
    {
      ...changeable,
      signing: Type.Optional(Signing),
      secret: Type.Optional(SuppliedSecret),
    },
    {
      additionalProperties: false,
      description: "A new endpoint: `url` for HTTPS, or `destination` for any type",
    },
  ),
);

export const EndpointChange = named(
  "EndpointChange",
  Type.Object(changeable, {
    additionalProperties: false,
    minProperties: 1,
    description: "The fields to change; the others stay as they are",
  }),
);

export const RotateBody = Type.Union([
  Type.Object(
    {
      secret: Type.Optional(SuppliedSecret),
      // The algorithms of Signing, with this route's own description.
      signing: Type.Optional(
        Type.Union(Signing.anyOf, {
          description: "Sign with this algorithm from now on; the endpoint's own if omitted",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const TestBody = Type.Object(
  { eventType: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);

export const ResendFailedBody = Type.Object(
  {
    since: Type.String({
      format: "date-time",
      description: "Failed deliveries created at or after this time are resent",
    }),
  },
  { additionalProperties: false },
);

export const DeliveriesQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(DeliveryStatusQuery),
  type: Type.Optional(Type.String({ maxLength: 100 })),
  since: Type.Optional(Type.String({ format: "date-time" })),
});

const windows = [Type.Literal("1h"), Type.Literal("24h")];
export const StatsQuery = Type.Object({ window: Type.Union(windows, { default: "1h" }) });

// Responses

export const Endpoint = named(
  "Endpoint",
  Type.Object({
    id: Type.String(),
    url: Type.String({
      description: "Where events go, in one line without credentials (for HTTPS: the URL)",
    }),
    // Typed as core hands it over (the type field is always there; the schema says so).
    destination: Type.Unsafe<Record<string, unknown>>(
      Type.Object(
        { type: Type.String({ description: "https, sqs or amqp" }) },
        {
          additionalProperties: true,
          description: "The destination's settings; credentials are masked, never returned",
        },
      ),
    ),
    description: Type.String(),
    eventTypes: Nullable(Type.Array(Type.String())),
    enabled: Type.Boolean({
      description: "The activity switch: a disabled endpoint gets nothing new",
    }),
    disabledReason: Nullable(Type.String()),
    rateLimit: Nullable(Type.Number()),
    format: Format,
    signing: Signing,
    publicKey: Type.Optional(
      Type.String({
        description:
          "ed25519 endpoints: the current `whpk_` public key that verifies their `v1a,` signatures",
      }),
    ),
    failingSince: Nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export const EndpointPage = pageOf(Endpoint);

export const EndpointWithSecret = named(
  "EndpointWithSecret",
  Type.Object({ ...Endpoint.properties, secret: Type.String() }),
);

export const Secret = named(
  "Secret",
  Type.Object({
    secret: Type.String({ description: "`whsec_…` (hmac) or `whsk_…` (ed25519)" }),
    publicKey: Type.Optional(
      Type.String({ description: "ed25519: the `whpk_` public key of this secret key" }),
    ),
  }),
);

export const TestEventSent = named(
  "TestEventSent",
  Type.Object({ eventId: Type.String(), type: Type.String() }),
);

export const StatsWindow = named("StatsWindow", Type.Union(windows));

export const EndpointStats = named(
  "EndpointStats",
  Type.Object({
    window: ref(StatsWindow),
    bucketSeconds: Type.Integer(),
    buckets: Type.Array(
      Type.Object({
        start: Timestamp,
        succeeded: Type.Integer(),
        failed: Type.Integer(),
        avgMs: Nullable(Type.Integer()),
        maxMs: Nullable(Type.Integer()),
      }),
    ),
    totals: Type.Object({
      succeeded: Type.Integer(),
      failed: Type.Integer(),
      successRate: Nullable(Type.Number({ description: "succeeded / attempts, 0 to 1" })),
      avgMs: Nullable(Type.Integer()),
    }),
  }),
);

export const components = [
  DestinationInput,
  EndpointInput,
  EndpointChange,
  Endpoint,
  EndpointPage,
  EndpointWithSecret,
  Secret,
  TestEventSent,
  StatsWindow,
  EndpointStats,
];

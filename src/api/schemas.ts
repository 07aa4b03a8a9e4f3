import { Type, type TSchema } from "@sinclair/typebox";

// Request and response shapes. Fastify validates requests against them, serialises responses
// through them, and the OpenAPI document at /openapi.json is generated from them.

export const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorResponse = Type.Object(
  { error: Type.Literal(true), message: Type.String() },
  { $id: "Error", description: "Every failure" },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: 50 })),
  cursor: Type.Optional(
    Type.String({ format: "uuid", description: "nextCursor from the previous page" }),
  ),
};

export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const EventTypeList = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: 100,
  description: "Event types (or `prefix.*` patterns) the endpoint receives; omit or null for all",
});

export const Endpoint = Type.Object(
  {
    id: Type.String(),
    url: Type.String({
      description: "Where events go, in one line without credentials (for HTTPS: the URL)",
    }),
    destination: Type.Object(
      { type: Type.String({ description: "https, sqs or amqp" }) },
      {
        additionalProperties: true,
        description: "The destination's settings; credentials are masked, never returned",
      },
    ),
    description: Type.String(),
    eventTypes: Nullable(Type.Array(Type.String())),
    enabled: Type.Boolean({
      description: "The activity switch: a disabled endpoint gets nothing new",
    }),
    disabledReason: Nullable(Type.String()),
    rateLimit: Nullable(Type.Number()),
    failingSince: Nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: "Endpoint" },
);

export const EndpointWithSecret = Type.Composite([
  Endpoint,
  Type.Object({ secret: Type.String() }),
]);

export const Attempt = Type.Object({
  id: Type.Integer(),
  number: Type.Integer(),
  startedAt: Timestamp,
  durationMs: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  responseBody: Nullable(Type.String()),
  error: Nullable(Type.String()),
  outcome: Type.Union([Type.Literal("succeeded"), Type.Literal("failed")]),
});

export const DeliveryStatus = Type.Union([
  Type.Literal("pending"),
  Type.Literal("succeeded"),
  Type.Literal("failed"),
  Type.Literal("paused"),
]);

const deliveryFields = {
  id: Type.String(),
  eventId: Type.String(),
  endpointId: Type.String(),
  eventType: Type.String(),
  status: DeliveryStatus,
  attemptCount: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  lastStatusCode: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  completedAt: Nullable(Timestamp),
};

export const Delivery = Type.Object(deliveryFields);
export const DeliveryWithAttempts = Type.Object({
  ...deliveryFields,
  attempts: Type.Array(Attempt),
});

export const Event = Type.Object({
  id: Type.String(),
  type: Type.String(),
  actionId: Nullable(Type.String()),
  createdAt: Timestamp,
  payload: Type.Unknown({ description: "The exact body every destination receives" }),
});

export const Action = Type.Object(
  {
    actionId: Type.String(),
    action: Type.String(),
    status: Type.Union([
      Type.Literal("pending"),
      Type.Literal("succeeded"),
      Type.Literal("failed"),
    ]),
    data: Type.Unknown(),
    startedAt: Timestamp,
    completedAt: Type.Optional(Timestamp),
    resource: Type.String(),
  },
  { $id: "Action" },
);

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
};

import { Type } from "@sinclair/typebox";
import { Nullable, Timestamp, named, pageOf, ref } from "../shared.js";

// A delivery is one event on its way to one endpoint; an attempt is one try at it.

const statuses = [
  Type.Literal("pending"),
  Type.Literal("succeeded"),
  Type.Literal("failed"),
  Type.Literal("paused"),
];
/** For query strings (not a reference: they are validated on their own). */
export const DeliveryStatusQuery = Type.Union(statuses);
export const DeliveryStatus = named("DeliveryStatus", Type.Union(statuses));

export const Attempt = named(
  "Attempt",
  Type.Object({
    id: Type.Integer(),
    number: Type.Integer({ description: "1, 2, … for this delivery" }),
    startedAt: Timestamp,
    durationMs: Type.Integer(),
    statusCode: Nullable(Type.Integer()),
    responseBody: Nullable(Type.String()),
    error: Nullable(Type.String()),
    outcome: Type.Union([Type.Literal("succeeded"), Type.Literal("failed")]),
  }),
);

const deliveryFields = {
  id: Type.String(),
  eventId: Type.String(),
  endpointId: Type.String(),
  eventType: Type.String(),
  status: ref(DeliveryStatus),
  attemptCount: Type.Integer(),
  nextAttemptAt: Nullable(Timestamp),
  lastStatusCode: Nullable(Type.Integer()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  completedAt: Nullable(Timestamp),
};

export const Delivery = named("Delivery", Type.Object(deliveryFields));
export const DeliveryPage = pageOf(Delivery);
export const DeliveryWithAttempts = named(
  "DeliveryWithAttempts",
  Type.Object({ ...deliveryFields, attempts: Type.Array(ref(Attempt)) }),
);
export const AttemptList = named("AttemptList", Type.Object({ data: Type.Array(ref(Attempt)) }));

export const components = [
  DeliveryStatus,
  Attempt,
  Delivery,
  DeliveryPage,
  DeliveryWithAttempts,
  AttemptList,
];

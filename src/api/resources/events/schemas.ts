import { Type } from "@sinclair/typebox";
import { MAX_BATCH } from "../../../core/webhooks/events.js";
import { DeliveryWithAttempts } from "../deliveries/schemas.js";
import { Nullable, PageQuery, Timestamp, named, pageOf, ref } from "../shared.js";

const EventType = Type.String({ minLength: 1, maxLength: 100 });
const ActionId = Type.String({ minLength: 1, maxLength: 100 });

export const PublishBody = Type.Object(
  {
    type: EventType,
    data: Type.Unknown({ description: "Any JSON value; becomes `data` in the webhook body" }),
    actionId: Type.Optional(ActionId),
  },
  { additionalProperties: false, required: ["type", "data"] },
);

export const BatchBody = Type.Object(
  {
    events: Type.Array(
      Type.Object(
        {
          type: EventType,
          data: Type.Unknown(),
          actionId: Type.Optional(ActionId),
          idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        },
        { additionalProperties: false, required: ["type", "data"] },
      ),
      { minItems: 1, maxItems: MAX_BATCH },
    ),
  },
  { additionalProperties: false },
);

export const ListQuery = Type.Object({
  ...PageQuery,
  type: Type.Optional(Type.String({ maxLength: 100 })),
  since: Type.Optional(Type.String({ format: "date-time" })),
  until: Type.Optional(Type.String({ format: "date-time" })),
});

export const ResendBody = Type.Union([
  Type.Object(
    { endpointId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

const eventFields = {
  id: Type.String(),
  type: Type.String(),
  actionId: Nullable(Type.String()),
  createdAt: Timestamp,
};

export const Event = named(
  "Event",
  Type.Object({
    ...eventFields,
    payload: Type.Unknown({ description: "The exact body every destination receives" }),
  }),
);
export const EventPage = pageOf(Event);
export const EventDetail = named(
  "EventDetail",
  Type.Object({
    ...Event.properties,
    deliveries: Type.Array(ref(DeliveryWithAttempts)),
  }),
);

const publishedFields = {
  ...eventFields,
  deliveries: Type.Integer({ description: "Destinations the event fans out to" }),
};
export const PublishedEvent = named("PublishedEvent", Type.Object(publishedFields));
export const PublishedBatch = named(
  "PublishedBatch",
  Type.Object({
    data: Type.Array(Type.Object({ ...publishedFields, replayed: Type.Boolean() })),
  }),
);

export const Resent = named(
  "Resent",
  Type.Object({ resent: Type.Integer({ description: "Deliveries queued again" }) }),
);

export const components = [Event, EventPage, EventDetail, PublishedEvent, PublishedBatch, Resent];

import { Type, type Static } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { EventService } from "../../core/webhooks/events.js";
import { MAX_BATCH } from "../../core/webhooks/events.js";
import { idempotencyKey } from "../auth.js";
import { attemptView, deliveryView, eventView, parseTime } from "../format.js";
import {
  Attempt,
  DeliveryWithAttempts,
  Event,
  IdParams,
  PageQuery,
  errorResponses,
  pageOf,
} from "../schemas.js";

const PublishBody = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 100 }),
    data: Type.Unknown({ description: "Any JSON value; becomes `data` in the webhook body" }),
    actionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false, required: ["type", "data"] },
);
const PublishResponse = Type.Object({
  id: Type.String(),
  type: Type.String(),
  actionId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  deliveries: Type.Integer({ description: "Destinations the event fans out to" }),
});
const BatchBody = Type.Object(
  {
    events: Type.Array(
      Type.Object(
        {
          type: Type.String({ minLength: 1, maxLength: 100 }),
          data: Type.Unknown(),
          actionId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        },
        { additionalProperties: false, required: ["type", "data"] },
      ),
      { minItems: 1, maxItems: MAX_BATCH },
    ),
  },
  { additionalProperties: false },
);
const BatchResponse = Type.Object({
  data: Type.Array(Type.Composite([PublishResponse, Type.Object({ replayed: Type.Boolean() })])),
});
const ListQuery = Type.Object({
  ...PageQuery,
  type: Type.Optional(Type.String({ maxLength: 100 })),
  since: Type.Optional(Type.String({ format: "date-time" })),
  until: Type.Optional(Type.String({ format: "date-time" })),
});
const ResendBody = Type.Union([
  Type.Object(
    { endpointId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
const EventDetail = Type.Composite([
  Event,
  Type.Object({ deliveries: Type.Array(DeliveryWithAttempts) }),
]);

const tags = ["Events"];

export async function eventRoutes(app: FastifyInstance, { events }: { events: EventService }) {
  app.post(
    "/events",
    {
      schema: {
        tags,
        summary: "Publish an event to every subscribed endpoint",
        body: PublishBody,
        response: { 201: PublishResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof PublishBody>;
      const { event, deliveries, replayed } = await events.publish(
        request.projectId,
        body,
        idempotencyKey(request),
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      const { payload: _payload, ...view } = eventView(event);
      return reply.code(201).send({ ...view, deliveries });
    },
  );

  app.post(
    "/events/batch",
    {
      schema: {
        tags,
        summary: `Publish up to ${MAX_BATCH} events in one transaction: all or none`,
        body: BatchBody,
        response: { 201: BatchResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { events: items } = request.body as Static<typeof BatchBody>;
      const results = await events.publishBatch(request.projectId, items);
      return reply.code(201).send({
        data: results.map(({ event, deliveries, replayed }) => {
          const { payload: _payload, ...view } = eventView(event);
          return { ...view, deliveries, replayed };
        }),
      });
    },
  );

  app.get(
    "/events",
    {
      schema: {
        tags,
        summary: "The project's events, newest first",
        querystring: ListQuery,
        response: { 200: pageOf(Event), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query as Static<typeof ListQuery> & { limit: number };
      const page = await events.list(
        request.projectId,
        {
          type: q.type,
          since: q.since ? parseTime(q.since, "since") : undefined,
          until: q.until ? parseTime(q.until, "until") : undefined,
        },
        { limit: q.limit, cursor: q.cursor },
      );
      return { data: page.data.map(eventView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/events/:id",
    {
      schema: {
        tags,
        summary: "An event, its deliveries and every attempt",
        params: IdParams,
        response: { 200: EventDetail, ...errorResponses },
      },
    },
    async (request) => {
      const { event, deliveries } = await events.get(
        request.projectId,
        (request.params as { id: string }).id,
      );
      return {
        ...eventView(event),
        deliveries: deliveries.map((d) => ({
          ...deliveryView(d),
          attempts: d.attemptsList.map(attemptView),
        })),
      };
    },
  );

  app.post(
    "/events/:id/resend",
    {
      schema: {
        tags,
        summary: "Deliver again, with the same event id",
        params: IdParams,
        body: ResendBody,
        response: { 202: Type.Object({ resent: Type.Integer() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof ResendBody> | undefined;
      const resent = await events.resend(
        request.projectId,
        (request.params as { id: string }).id,
        body?.endpointId ?? null,
      );
      return reply.code(202).send({ resent });
    },
  );

  app.get(
    "/deliveries/:id/attempts",
    {
      schema: {
        tags,
        summary: "Every attempt of one delivery",
        params: IdParams,
        response: { 200: Type.Object({ data: Type.Array(Attempt) }), ...errorResponses },
      },
    },
    async (request) => ({
      data: (await events.attempts(request.projectId, (request.params as { id: string }).id)).map(
        attemptView,
      ),
    }),
  );
}

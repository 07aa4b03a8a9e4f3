import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { MAX_BATCH, type EventService } from "../../../core/webhooks/events.js";
import { idempotencyKey } from "../../auth.js";
import { attemptView, deliveryView } from "../deliveries/views.js";
import { IdParams, answer, errorResponses, page, parseTime, ref } from "../shared.js";
import {
  BatchBody,
  EventDetail,
  EventPage,
  ListQuery,
  PublishBody,
  PublishedBatch,
  PublishedEvent,
  Resent,
  ResendBody,
} from "./schemas.js";
import { eventStreamRoutes } from "./stream.js";
import { eventView, publishedView } from "./views.js";

const tags = ["Events"];

export const eventRoutes: FastifyPluginAsyncTypebox<{ events: EventService }> = async (
  app,
  { events },
) => {
  app.post(
    "/events",
    {
      schema: {
        tags,
        operationId: "publishEvent",
        summary: "Publish an event to every subscribed endpoint",
        description: "An `Idempotency-Key` header makes retries safe: same key, same event.",
        body: PublishBody,
        response: { 201: answer(ref(PublishedEvent), "The event"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { event, deliveries, replayed } = await events.publish(
        request.projectId,
        request.body,
        idempotencyKey(request),
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      return reply.code(201).send(publishedView(event, deliveries));
    },
  );

  app.post(
    "/events/batch",
    {
      schema: {
        tags,
        operationId: "publishEventBatch",
        summary: `Publish up to ${MAX_BATCH} events in one transaction: all or none`,
        body: BatchBody,
        response: { 201: answer(ref(PublishedBatch), "The events, in order"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const results = await events.publishBatch(request.projectId, request.body.events);
      return reply.code(201).send({
        data: results.map(({ event, deliveries, replayed }) => ({
          ...publishedView(event, deliveries),
          replayed,
        })),
      });
    },
  );

  app.get(
    "/events",
    {
      schema: {
        tags,
        operationId: "listEvents",
        summary: "The project's events, newest first",
        querystring: ListQuery,
        response: { 200: answer(ref(EventPage), "A page of events"), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const found = await events.list(
        request.projectId,
        {
          type: q.type,
          since: q.since ? parseTime(q.since, "since") : undefined,
          until: q.until ? parseTime(q.until, "until") : undefined,
        },
        page(q),
      );
      return { data: found.data.map(eventView), nextCursor: found.nextCursor };
    },
  );

  await app.register(eventStreamRoutes, { events });

  app.get(
    "/events/:id",
    {
      schema: {
        tags,
        operationId: "getEvent",
        summary: "An event, its deliveries and every attempt",
        params: IdParams,
        response: { 200: answer(ref(EventDetail), "The event"), ...errorResponses },
      },
    },
    async (request) => {
      const { event, deliveries } = await events.get(request.projectId, request.params.id);
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
        operationId: "resendEvent",
        summary: "Deliver again, with the same event id",
        description: "To every endpoint it went to, or to `endpointId` only.",
        params: IdParams,
        body: ResendBody,
        response: { 202: answer(ref(Resent), "Queued again"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const resent = await events.resend(
        request.projectId,
        request.params.id,
        request.body?.endpointId ?? null,
      );
      return reply.code(202).send({ resent });
    },
  );
};

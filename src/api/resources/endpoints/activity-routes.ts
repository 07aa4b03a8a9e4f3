import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { EndpointService } from "../../../core/webhooks/endpoints.js";
import { DeliveryPage } from "../deliveries/schemas.js";
import { deliveryView } from "../deliveries/views.js";
import { Resent } from "../events/schemas.js";
import { IdParams, answer, errorResponses, page, parseTime, ref } from "../shared.js";
import {
  DeliveriesQuery,
  EndpointStats,
  ResendFailedBody,
  StatsQuery,
  TestBody,
  TestEventSent,
} from "./schemas.js";
import { statsView } from "./views.js";

// What an endpoint received and how it went: test events, deliveries, resends, health.

const tags = ["Endpoints"];

export const endpointActivityRoutes: FastifyPluginAsyncTypebox<{
  endpoints: EndpointService;
}> = async (app, { endpoints }) => {
  app.post(
    "/webhooks/endpoints/:id/test",
    {
      schema: {
        tags,
        operationId: "sendTestEvent",
        summary: "Send the catalog's example of an event type to this endpoint",
        params: IdParams,
        body: TestBody,
        response: { 202: answer(ref(TestEventSent), "The test event"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const event = await endpoints.sendTest(request.projectId, id, request.body.eventType);
      return reply.code(202).send({ eventId: event.id, type: event.type });
    },
  );

  app.post(
    "/webhooks/endpoints/:id/resend-failed",
    {
      schema: {
        tags,
        operationId: "resendFailedDeliveries",
        summary: "Resend every failed delivery created since a time",
        params: IdParams,
        body: ResendFailedBody,
        response: { 202: answer(ref(Resent), "Queued again"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const since = parseTime(request.body.since, "since");
      const resent = await endpoints.resendFailed(request.projectId, request.params.id, since);
      return reply.code(202).send({ resent });
    },
  );

  app.get(
    "/webhooks/endpoints/:id/stats",
    {
      schema: {
        tags,
        operationId: "getEndpointStats",
        summary: "Attempts, success rate and latency over the last hour or day, per time bucket",
        params: IdParams,
        querystring: StatsQuery,
        response: { 200: answer(ref(EndpointStats), "The endpoint's health"), ...errorResponses },
      },
    },
    async (request) =>
      statsView(await endpoints.stats(request.projectId, request.params.id, request.query.window)),
  );

  app.get(
    "/webhooks/endpoints/:id/deliveries",
    {
      schema: {
        tags,
        operationId: "listEndpointDeliveries",
        summary: "Deliveries to this endpoint, newest first",
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: answer(ref(DeliveryPage), "A page of deliveries"), ...errorResponses },
      },
    },
    async (request) => {
      const { status, type, since } = request.query;
      const found = await endpoints.deliveries(
        request.projectId,
        request.params.id,
        { status, type, since: since ? parseTime(since, "since") : undefined },
        page(request.query),
      );
      return { data: found.data.map(deliveryView), nextCursor: found.nextCursor };
    },
  );
};

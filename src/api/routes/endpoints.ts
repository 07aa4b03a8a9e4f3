import { Type, type Static, type TSchema } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { EndpointService } from "../../core/webhooks/endpoints.js";
import { idempotencyKey } from "../auth.js";
import type { DestinationConfig } from "../../core/interfaces.js";
import { destinationSchema } from "../../destinations/registry.js";
import { deliveryView, endpointView, parseTime } from "../format.js";
import {
  Delivery,
  DeliveryStatus,
  Endpoint,
  EndpointWithSecret,
  EventTypeList,
  IdParams,
  PageQuery,
  errorResponses,
  pageOf,
} from "../schemas.js";

const Url = Type.String({ minLength: 1, maxLength: 2048 });
const Description = Type.String({ maxLength: 1000 });
const RateLimit = Type.Union(
  [Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }), Type.Null()],
  {
    description: "Deliveries per second at most; null for no limit",
  },
);

const Destination = Type.Unsafe<DestinationConfig>(destinationSchema());

const CreateBody = Type.Object(
  {
    url: Type.Optional(Url),
    destination: Type.Optional(Destination),
    eventTypes: Type.Optional(Type.Union([EventTypeList, Type.Null()])),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
    rateLimit: Type.Optional(RateLimit),
    secret: Type.Optional(
      Type.String({ description: "whsec_… to bring your own; generated if omitted" }),
    ),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Object(
  {
    url: Type.Optional(Url),
    destination: Type.Optional(Destination),
    eventTypes: Type.Optional(Type.Union([EventTypeList, Type.Null()])),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
    rateLimit: Type.Optional(RateLimit),
  },
  { additionalProperties: false, minProperties: 1 },
);

const RotateBody = Type.Union([
  Type.Object({ secret: Type.Optional(Type.String()) }, { additionalProperties: false }),
  Type.Null(),
]);
const TestBody = Type.Object(
  { eventType: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
const DeliveriesQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(DeliveryStatus),
  type: Type.Optional(Type.String({ maxLength: 100 })),
  since: Type.Optional(Type.String({ format: "date-time" })),
});
const SecretResponse = Type.Object({ secret: Type.String() });
const ResendFailedBody = Type.Object(
  {
    since: Type.String({
      format: "date-time",
      description: "Failed deliveries created at or after this time are resent",
    }),
  },
  { additionalProperties: false },
);
const StatsQuery = Type.Object({
  window: Type.Union([Type.Literal("1h"), Type.Literal("24h")], { default: "1h" }),
});
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const StatsResponse = Type.Object({
  window: Type.String(),
  bucketSeconds: Type.Integer(),
  buckets: Type.Array(
    Type.Object({
      start: Type.String({ format: "date-time" }),
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
});

const tags = ["Endpoints"];

export async function endpointRoutes(
  app: FastifyInstance,
  { endpoints }: { endpoints: EndpointService },
) {
  app.post(
    "/webhooks/endpoints",
    {
      schema: {
        tags,
        summary: "Create an endpoint",
        body: CreateBody,
        response: { 201: EndpointWithSecret, 200: EndpointWithSecret, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateBody>;
      const { endpoint, secret, replayed } = await endpoints.create(
        request.projectId,
        body,
        idempotencyKey(request),
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      return reply.code(201).send({ ...endpointView(endpoint), secret });
    },
  );

  app.get(
    "/webhooks/endpoints",
    {
      schema: {
        tags,
        summary: "List endpoints",
        querystring: Type.Object(PageQuery),
        response: { 200: pageOf(Endpoint), ...errorResponses },
      },
    },
    async (request) => {
      const query = request.query as { limit: number; cursor?: string };
      const page = await endpoints.list(request.projectId, {
        limit: query.limit,
        cursor: query.cursor,
      });
      return { data: page.data.map(endpointView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/webhooks/endpoints/:id",
    {
      schema: {
        tags,
        summary: "Read an endpoint",
        params: IdParams,
        response: { 200: Endpoint, ...errorResponses },
      },
    },
    async (request) =>
      endpointView(await endpoints.get(request.projectId, (request.params as { id: string }).id)),
  );

  app.patch(
    "/webhooks/endpoints/:id",
    {
      schema: {
        tags,
        summary: "Change an endpoint; `enabled` is the activity switch",
        params: IdParams,
        body: PatchBody,
        response: { 200: Endpoint, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return endpointView(
        await endpoints.update(request.projectId, id, request.body as Static<typeof PatchBody>),
      );
    },
  );

  app.delete(
    "/webhooks/endpoints/:id",
    {
      schema: {
        tags,
        summary: "Delete an endpoint and its deliveries",
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await endpoints.delete(request.projectId, (request.params as { id: string }).id);
      return reply.code(204).send();
    },
  );

  app.get(
    "/webhooks/endpoints/:id/secret",
    {
      schema: {
        tags,
        summary: "Reveal the signing secret",
        params: IdParams,
        response: { 200: SecretResponse, ...errorResponses },
      },
    },
    async (request) => ({
      secret: await endpoints.secret(request.projectId, (request.params as { id: string }).id),
    }),
  );

  app.post(
    "/webhooks/endpoints/:id/secret/rotate",
    {
      schema: {
        tags,
        summary: "Rotate the signing secret; the old one keeps signing for a grace period",
        params: IdParams,
        body: RotateBody,
        response: { 200: SecretResponse, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof RotateBody> | undefined;
      return {
        secret: await endpoints.rotateSecret(
          request.projectId,
          (request.params as { id: string }).id,
          body?.secret,
        ),
      };
    },
  );

  app.post(
    "/webhooks/endpoints/:id/test",
    {
      schema: {
        tags,
        summary: "Send the catalog's example of an event type to this endpoint",
        params: IdParams,
        body: TestBody,
        response: {
          202: Type.Object({ eventId: Type.String(), type: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { eventType } = request.body as Static<typeof TestBody>;
      const event = await endpoints.sendTest(
        request.projectId,
        (request.params as { id: string }).id,
        eventType,
      );
      return reply.code(202).send({ eventId: event.id, type: event.type });
    },
  );

  app.post(
    "/webhooks/endpoints/:id/resend-failed",
    {
      schema: {
        tags,
        summary: "Resend every failed delivery created since a time",
        params: IdParams,
        body: ResendFailedBody,
        response: { 202: Type.Object({ resent: Type.Integer() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { since } = request.body as Static<typeof ResendFailedBody>;
      const resent = await endpoints.resendFailed(
        request.projectId,
        (request.params as { id: string }).id,
        parseTime(since, "since"),
      );
      return reply.code(202).send({ resent });
    },
  );

  app.get(
    "/webhooks/endpoints/:id/stats",
    {
      schema: {
        tags,
        summary: "Attempts, success rate and latency over the last hour or day, per time bucket",
        params: IdParams,
        querystring: StatsQuery,
        response: { 200: StatsResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { window } = request.query as Static<typeof StatsQuery>;
      const stats = await endpoints.stats(
        request.projectId,
        (request.params as { id: string }).id,
        window,
      );
      return {
        window: stats.window,
        bucketSeconds: stats.bucketMs / 1000,
        buckets: stats.buckets.map((b) => ({ ...b, start: new Date(b.start).toISOString() })),
        totals: stats.totals,
      };
    },
  );

  app.get(
    "/webhooks/endpoints/:id/deliveries",
    {
      schema: {
        tags,
        summary: "Deliveries to this endpoint, newest first",
        params: IdParams,
        querystring: DeliveriesQuery,
        response: { 200: pageOf(Delivery), ...errorResponses },
      },
    },
    async (request) => {
      const query = request.query as Static<typeof DeliveriesQuery> & { limit: number };
      const page = await endpoints.deliveries(
        request.projectId,
        (request.params as { id: string }).id,
        {
          status: query.status,
          type: query.type,
          since: query.since ? parseTime(query.since, "since") : undefined,
        },
        { limit: query.limit, cursor: query.cursor },
      );
      return { data: page.data.map(deliveryView), nextCursor: page.nextCursor };
    },
  );
}

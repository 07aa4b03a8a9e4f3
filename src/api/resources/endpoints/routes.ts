import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { EndpointService } from "../../../core/webhooks/endpoints.js";
import { idempotencyKey } from "../../auth.js";
import { IdParams, PageQuery, answer, errorResponses, noContent, page, ref } from "../shared.js";
import { endpointActivityRoutes } from "./activity-routes.js";
import {
  Endpoint,
  EndpointChange,
  EndpointInput,
  EndpointPage,
  EndpointWithSecret,
  RotateBody,
  Secret,
} from "./schemas.js";
import { endpointView, secretView } from "./views.js";

// An endpoint's settings and secret; what it received is in activity-routes.ts.

const tags = ["Endpoints"];

export const endpointRoutes: FastifyPluginAsyncTypebox<{ endpoints: EndpointService }> = async (
  app,
  { endpoints },
) => {
  const created = answer(ref(EndpointWithSecret), "The endpoint, with its signing secret");
  app.post(
    "/webhooks/endpoints",
    {
      schema: {
        tags,
        operationId: "createEndpoint",
        summary: "Create an endpoint",
        description: "An `Idempotency-Key` header replays the first answer.",
        body: ref(EndpointInput),
        response: { 201: created, 200: created, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { endpoint, secret, replayed } = await endpoints.create(
        request.projectId,
        request.body,
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
        operationId: "listEndpoints",
        summary: "List endpoints",
        querystring: Type.Object(PageQuery),
        response: { 200: answer(ref(EndpointPage), "A page of endpoints"), ...errorResponses },
      },
    },
    async (request) => {
      const found = await endpoints.list(request.projectId, page(request.query));
      return { data: found.data.map(endpointView), nextCursor: found.nextCursor };
    },
  );

  app.get(
    "/webhooks/endpoints/:id",
    {
      schema: {
        tags,
        operationId: "getEndpoint",
        summary: "Read an endpoint",
        params: IdParams,
        response: { 200: answer(ref(Endpoint), "The endpoint"), ...errorResponses },
      },
    },
    async (request) => endpointView(await endpoints.get(request.projectId, request.params.id)),
  );

  app.patch(
    "/webhooks/endpoints/:id",
    {
      schema: {
        tags,
        operationId: "updateEndpoint",
        summary: "Change an endpoint; `enabled` is the activity switch",
        params: IdParams,
        body: ref(EndpointChange),
        response: { 200: answer(ref(Endpoint), "The endpoint as changed"), ...errorResponses },
      },
    },
    async (request) =>
      endpointView(await endpoints.update(request.projectId, request.params.id, request.body)),
  );

  app.delete(
    "/webhooks/endpoints/:id",
    {
      schema: {
        tags,
        operationId: "deleteEndpoint",
        summary: "Delete an endpoint and its deliveries",
        params: IdParams,
        response: { 204: noContent("Deleted"), ...errorResponses },
      },
    },
    async (request, reply) => {
      await endpoints.delete(request.projectId, request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    "/webhooks/endpoints/:id/secret",
    {
      schema: {
        tags,
        operationId: "getEndpointSecret",
        summary: "Reveal the signing secret",
        params: IdParams,
        response: { 200: answer(ref(Secret), "The current secret"), ...errorResponses },
      },
    },
    async (request) => secretView(await endpoints.secret(request.projectId, request.params.id)),
  );

  app.post(
    "/webhooks/endpoints/:id/secret/rotate",
    {
      schema: {
        tags,
        operationId: "rotateEndpointSecret",
        summary: "Rotate the signing secret; the old one keeps signing for a grace period",
        description:
          "An ed25519 endpoint gets a new key pair (its new `publicKey` is in the answer and on " +
          "the endpoint). `signing` changes the algorithm: during the grace period messages " +
          "carry both a `v1,` and a `v1a,` signature.",
        params: IdParams,
        body: RotateBody,
        response: { 200: answer(ref(Secret), "The new secret"), ...errorResponses },
      },
    },
    async (request) =>
      secretView(
        await endpoints.rotateSecret(request.projectId, request.params.id, {
          secret: request.body?.secret,
          signing: request.body?.signing,
        }),
      ),
  );

  await app.register(endpointActivityRoutes, { endpoints });
};

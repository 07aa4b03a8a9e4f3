import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ActionService } from "../../../core/webhooks/actions.js";
import { idempotencyKey } from "../../auth.js";
import { IdParams, answer, errorResponses, ref } from "../shared.js";
import { Action, CompleteBody, OpenBody, WaitQuery } from "./schemas.js";
import { actionView } from "./views.js";

const tags = ["Actions"];

export const actionRoutes: FastifyPluginAsyncTypebox<{ actions: ActionService }> = async (
  app,
  { actions },
) => {
  app.post(
    "/actions",
    {
      schema: {
        tags,
        operationId: "openAction",
        summary: "Open a pending action (external producers)",
        body: OpenBody,
        response: { 201: answer(ref(Action), "The pending action"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { action, replayed } = await actions.open(
        request.projectId,
        request.body,
        idempotencyKey(request),
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      return reply.code(201).send(actionView(action));
    },
  );

  app.patch(
    "/actions/:id",
    {
      schema: {
        tags,
        operationId: "completeAction",
        summary: "Complete an action; publishes <action>.<status>",
        params: IdParams,
        body: CompleteBody,
        response: { 200: answer(ref(Action), "The completed action"), ...errorResponses },
      },
    },
    async (request) => {
      const { status, data } = request.body;
      const { action } = await actions.complete(request.projectId, request.params.id, status, data);
      return actionView(action);
    },
  );

  app.get(
    "/actions/:id",
    {
      schema: {
        tags,
        operationId: "getAction",
        summary: "Action status (Crossmint's action object)",
        params: IdParams,
        querystring: WaitQuery,
        response: { 200: answer(ref(Action), "The action"), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { wait } = request.query;
      if (!wait) return actionView(await actions.get(request.projectId, id));
      // Stop holding when the client goes away or Herald shuts down.
      const gone = new AbortController();
      const abort = () => gone.abort();
      reply.raw.once("close", abort);
      app.shutdownSignal.addEventListener("abort", abort, { once: true });
      try {
        return actionView(await actions.waitFor(request.projectId, id, wait, gone.signal));
      } finally {
        app.shutdownSignal.removeEventListener("abort", abort);
        reply.raw.off("close", abort);
      }
    },
  );
};

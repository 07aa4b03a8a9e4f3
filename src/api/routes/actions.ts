import { Type, type Static } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { ActionService } from "../../core/webhooks/actions.js";
import { MAX_WAIT_SECONDS } from "../../core/webhooks/actions.js";
import { idempotencyKey } from "../auth.js";
import { actionView } from "../format.js";
import { Action, IdParams, errorResponses } from "../schemas.js";

const OpenBody = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 100, description: "e.g. nfts.create" }),
    data: Type.Optional(Type.Unknown()),
    resource: Type.Optional(
      Type.String({ maxLength: 2048, description: "URL of the thing acted on" }),
    ),
  },
  { additionalProperties: false },
);
const CompleteBody = Type.Object(
  {
    status: Type.Union([Type.Literal("succeeded"), Type.Literal("failed")]),
    data: Type.Optional(
      Type.Unknown({ description: "Replaces the action's data; becomes the event's data" }),
    ),
  },
  { additionalProperties: false },
);
const WaitQuery = Type.Object({
  wait: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: MAX_WAIT_SECONDS,
      description: "Hold up to this many seconds while pending",
    }),
  ),
});

const tags = ["Actions"];

export async function actionRoutes(app: FastifyInstance, { actions }: { actions: ActionService }) {
  app.post(
    "/actions",
    {
      schema: {
        tags,
        summary: "Open a pending action (external producers)",
        body: OpenBody,
        response: { 201: Action, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { action, replayed } = await actions.open(
        request.projectId,
        request.body as Static<typeof OpenBody>,
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
        summary: "Complete an action; publishes <action>.<status>",
        params: IdParams,
        body: CompleteBody,
        response: { 200: Action, ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof CompleteBody>;
      const { action } = await actions.complete(
        request.projectId,
        (request.params as { id: string }).id,
        body.status,
        body.data,
      );
      return actionView(action);
    },
  );

  app.get(
    "/actions/:id",
    {
      schema: {
        tags,
        summary: "Action status (Crossmint's action object)",
        params: IdParams,
        querystring: WaitQuery,
        response: { 200: Action, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { wait } = request.query as Static<typeof WaitQuery>;
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
}

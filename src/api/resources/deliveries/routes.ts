import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { EventService } from "../../../core/webhooks/events.js";
import { IdParams, answer, errorResponses, ref } from "../shared.js";
import { AttemptList } from "./schemas.js";
import { attemptView } from "./views.js";

export const deliveryRoutes: FastifyPluginAsyncTypebox<{ events: EventService }> = async (
  app,
  { events },
) => {
  app.get(
    "/deliveries/:id/attempts",
    {
      schema: {
        tags: ["Events"],
        operationId: "listDeliveryAttempts",
        summary: "Every attempt of one delivery",
        params: IdParams,
        response: {
          200: answer(ref(AttemptList), "The attempts, oldest first"),
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      data: (await events.attempts(request.projectId, request.params.id)).map(attemptView),
    }),
  );
};

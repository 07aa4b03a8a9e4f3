import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { EVENT_CATALOG } from "../../../core/webhooks/catalog/catalog.js";
import { answer, errorResponses, ref } from "../shared.js";
import { EventTypeList } from "./schemas.js";

export const eventTypeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    "/webhooks/event-types",
    {
      schema: {
        tags: ["Endpoints"],
        operationId: "listEventTypes",
        summary: "The built-in event types with example payloads",
        response: { 200: answer(ref(EventTypeList), "The catalog"), 401: errorResponses[401] },
      },
    },
    async () => ({ data: [...EVENT_CATALOG] }),
  );
};

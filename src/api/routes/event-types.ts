import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { EVENT_CATALOG } from "../../core/webhooks/catalog/catalog.js";

const EventType = Type.Object({
  name: Type.String(),
  family: Type.String(),
  description: Type.String(),
  examples: Type.Array(Type.Object({ label: Type.String(), body: Type.Unknown() })),
});

export async function eventTypeRoutes(app: FastifyInstance) {
  app.get(
    "/webhooks/event-types",
    {
      schema: {
        tags: ["Endpoints"],
        summary: "The built-in event types with example payloads",
        response: { 200: Type.Object({ data: Type.Array(EventType) }) },
      },
    },
    async () => ({ data: EVENT_CATALOG }),
  );
}

import swagger from "@fastify/swagger";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { API_PREFIX, type Services } from "../app.js";
import { requireApiKey } from "./auth.js";
import { handleError, sendError } from "./errors.js";
import { actionRoutes } from "./routes/actions.js";
import { adminRoutes } from "./routes/admin.js";
import { endpointRoutes } from "./routes/endpoints.js";
import { eventRoutes } from "./routes/events.js";
import { eventTypeRoutes } from "./routes/event-types.js";

declare module "fastify" {
  interface FastifyInstance {
    shutdownSignal: AbortSignal;
  }
}

export const BODY_LIMIT = 1024 * 1024;

// Bodies are validated strictly (a string is not a boolean, unknown fields are refused where
// the schema says so); query strings and path parameters are coerced, as they are text.
function validators() {
  const strict = new Ajv({
    allErrors: false,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  const coercing = new Ajv({
    allErrors: false,
    coerceTypes: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  addFormats.default(strict);
  addFormats.default(coercing);
  return { strict, coercing };
}

export async function buildServer(
  services: Services,
  shutdownSignal: AbortSignal = new AbortController().signal,
): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // One line per request is noise at info level; it is there at debug.
    logController: new LogController({
      disableRequestLogging:
        services.config.logLevel !== "debug" && services.config.logLevel !== "trace",
    }),
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  const { strict, coercing } = validators();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? strict : coercing).compile(schema),
  );
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, `Route ${request.method}:${request.url} not found`),
  );
  app.decorate("shutdownSignal", shutdownSignal);

  await app.register(swagger, {
    openapi: {
      info: {
        title: "Herald API",
        version: "2022-06-09",
        description: "Action status and signed webhooks",
      },
      components: {
        securitySchemes: { apiKey: { type: "apiKey", in: "header", name: "x-api-key" } },
      },
      security: [{ apiKey: [] }],
    },
  });

  app.get("/health", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      await api.register(adminRoutes, services);
      await api.register(async (project) => {
        project.addHook("onRequest", requireApiKey(services.projects));
        await project.register(endpointRoutes, services);
        await project.register(eventRoutes, services);
        await project.register(actionRoutes, services);
        await project.register(eventTypeRoutes);
      });
    },
    { prefix: API_PREFIX },
  );
  // The admin route is also served without the version prefix.
  await app.register(adminRoutes, services);
  return app;
}

import swagger from "@fastify/swagger";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { CollectionService } from "../core/chain/collections.js";
import type { NftService } from "../core/chain/nfts.js";
import type { ActionService } from "../core/webhooks/actions.js";
import type { EndpointService } from "../core/webhooks/endpoints.js";
import type { EventService } from "../core/webhooks/events.js";
import type { ProjectService } from "../core/webhooks/projects.js";
import { API_PREFIX } from "./paths.js";
import { invalid } from "../core/errors.js";
import { consoleRoutes } from "./console.js";
import { requireApiKey } from "./auth.js";
import { handleError, sendError } from "./errors.js";
import { actionRoutes } from "./routes/actions.js";
import { collectionRoutes } from "./routes/collections.js";
import { metadataRoutes, nftRoutes } from "./routes/nfts.js";
import { adminRoutes } from "./routes/admin.js";
import { endpointRoutes } from "./routes/endpoints.js";
import { eventRoutes } from "./routes/events.js";
import { eventTypeRoutes } from "./routes/event-types.js";

declare module "fastify" {
  interface FastifyInstance {
    shutdownSignal: AbortSignal;
  }
}

/** What the HTTP API serves: core's services, and two settings of its own. */
export interface ApiServices {
  log: Logger;
  /** At debug or trace, one log line per request. */
  logLevel: string;
  /** Enables the admin routes; null: they answer 404. */
  adminToken: string | null;
  projects: ProjectService;
  endpoints: EndpointService;
  events: EventService;
  actions: ActionService;
  collections: CollectionService;
  nfts: NftService;
}

export const BODY_LIMIT = 1024 * 1024;
/** Deeper bodies are refused: nothing real nests this far, and JSON.stringify would overflow. */
export const MAX_BODY_DEPTH = 100;

/** Whether `value` nests objects or arrays more than `limit` levels deep (iterative, no recursion). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item))
      stack.push([child, depth + 1]);
  }
  return false;
}

// Bodies are validated strictly (a string is not a boolean, unknown fields are refused where
// the schema says so); query strings and path parameters are coerced, as they are text.
function validators() {
  const strict = new Ajv({
    allErrors: false,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    // A destination's schema is picked by its `type`, so errors name that type's fields.
    discriminator: true,
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

/** Without the `api` role only `/health` is served (for orchestrators watching a worker). */
export async function buildServer(
  services: ApiServices,
  shutdownSignal: AbortSignal = new AbortController().signal,
  { api = true }: { api?: boolean } = {},
): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // One line per request is noise at info level; it is there at debug.
    logController: new LogController({
      disableRequestLogging: services.logLevel !== "debug" && services.logLevel !== "trace",
    }),
    return503OnClosing: true,
    // Errors the router raises before any route runs get the same JSON shape as the rest.
    frameworkErrors: (error, _request, reply) => {
      const message =
        error.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? "a path parameter is longer than 100 characters"
          : "the URL path is malformed (bad percent-encoding)";
      return sendError(reply, 400, message);
    },
    forceCloseConnections: "idle",
  });
  const { strict, coercing } = validators();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? strict : coercing).compile(schema),
  );
  app.setErrorHandler(handleError);
  // JSON only: a text/plain body is refused with 415 rather than validated as a string.
  app.removeContentTypeParser("text/plain");
  app.addHook("preValidation", async (request) => {
    if (nestsDeeperThan(request.body, MAX_BODY_DEPTH))
      throw invalid(`body nests deeper than ${MAX_BODY_DEPTH} levels`);
  });
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
  if (!api) return app;
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  // Each plugin gets only what it uses (never the whole bag: Fastify reads some option names,
  // such as logLevel, as its own).
  const { projects, endpoints, events, actions, collections, nfts, adminToken } = services;
  const admin = { projects, adminToken };
  await app.register(
    async (api) => {
      await api.register(adminRoutes, admin);
      await api.register(async (project) => {
        project.addHook("onRequest", requireApiKey(projects));
        await project.register(endpointRoutes, { endpoints });
        await project.register(eventRoutes, { events });
        await project.register(actionRoutes, { actions });
        await project.register(eventTypeRoutes);
        await project.register(collectionRoutes, { collections });
        await project.register(nftRoutes, { nfts, collections });
      });
    },
    { prefix: API_PREFIX },
  );
  await app.register(metadataRoutes, { nfts });
  await app.register(consoleRoutes);
  // The admin route is also served without the version prefix.
  await app.register(adminRoutes, admin);
  return app;
}

import swagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { CollectionService } from "../core/chain/collections.js";
import type { NftService } from "../core/chain/nfts.js";
import type { WalletService } from "../core/chain/wallets.js";
import type { ActionService } from "../core/webhooks/actions.js";
import type { EndpointService } from "../core/webhooks/endpoints.js";
import type { EventService } from "../core/webhooks/events.js";
import type { ProjectService } from "../core/webhooks/projects.js";
import { handleClientError } from "./client-errors.js";
import { LazySchemas } from "./lazy-schemas.js";
import { acceptEmptyJsonBodies, withoutTrailingSlash } from "./http-leniency.js";
import { API_PREFIX, ORIGINAL_PREFIX, WALLETS_API_PREFIX } from "./paths.js";
import type { ChainStatusService } from "../core/chain/chain-status.js";
import type { ChainRegistry } from "../core/chain/chains.js";
import type { OriginalKeys } from "../core/original/keys.js";
import type { OriginalUserService } from "../core/original/users.js";
import type { OriginalRewardService } from "../core/original/rewards.js";
import type { OriginalAssetService } from "../core/original/assets.js";
import { originalRoutes } from "./original/routes.js";
import { originalConsoleRoutes } from "./resources/original/routes.js";
import { sendOriginalError } from "./original/errors.js";

/** Original's API answers even the router's refusals in its own shape. */
const isOriginalPath = (url: string | undefined) =>
  url === ORIGINAL_PREFIX || (url ?? "").startsWith(`${ORIGINAL_PREFIX}/`);
import { invalid } from "../core/errors.js";
import { consoleRoutes } from "./console.js";
import { registerOperations, requestId, type OperationsOptions } from "./operations.js";
import { requireApiKey } from "./auth.js";
import { handleError, sendError } from "./errors.js";
import { feeCeilingHook } from "./fee-ceiling.js";
import { swaggerOptions } from "./openapi.js";
import { BODY_LIMIT, MAX_BODY_DEPTH, nestsDeeperThan, validators } from "./validation.js";
import { COMPONENTS } from "./resources/components.js";
import { actionRoutes } from "./resources/actions/routes.js";
import { adminRoutes } from "./resources/admin/routes.js";
import { chainRoutes } from "./resources/chains/routes.js";
import { collectionRoutes } from "./resources/collections/routes.js";
import { deliveryRoutes } from "./resources/deliveries/routes.js";
import { endpointRoutes } from "./resources/endpoints/routes.js";
import { eventTypeRoutes } from "./resources/event-types/routes.js";
import { eventRoutes } from "./resources/events/routes.js";
import { metadataRoutes, nftRoutes } from "./resources/nfts/routes.js";
import { MAX_WALLET_IDENTIFIER_LENGTH } from "./resources/wallets/schemas.js";
import { walletIdentifierRoutes, walletRoutes } from "./resources/wallets/routes.js";

declare module "fastify" {
  interface FastifyInstance {
    shutdownSignal: AbortSignal;
    /** Compiles every schema not compiled yet (see lazy-schemas.ts); throws if one cannot. */
    compileSchemas(): void;
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
  wallets: WalletService;
  chains: ChainRegistry;
  /** `GET /chains`; none: the route is not served. */
  chainStatus?: ChainStatusService;
  originalKeys: OriginalKeys;
  originalUsers: OriginalUserService;
  originalAssets: OriginalAssetService;
  originalRewards: OriginalRewardService;
  /** /ready and /metrics. */
  operations?: OperationsOptions;
  /** Hooks around every request, added before any route (tracing's spans). */
  instrument?: (app: FastifyInstance) => void;
}

/** Without the `api` role only `/health` is served (for orchestrators watching a worker). */
export async function buildServer(
  services: ApiServices,
  shutdownSignal: AbortSignal = new AbortController().signal,
  { api = true }: { api?: boolean } = {},
): Promise<FastifyInstance> {
  const schemas = new LazySchemas();
  const app: FastifyInstance = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    // Response serializers compile on first use, the rest once Herald listens.
    schemaController: { compilersFactory: { buildSerializer: schemas.buildSerializer } },
    bodyLimit: BODY_LIMIT,
    // One line per request is noise at info level; it is there at debug.
    logController: new LogController({
      disableRequestLogging: services.logLevel !== "debug" && services.logLevel !== "trace",
    }),
    return503OnClosing: true,
    clientErrorHandler: handleClientError,
    // Errors the router raises before any route runs get the same JSON shape as the rest.
    frameworkErrors: (error, request, reply) => {
      const message =
        error.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? `a path parameter is longer than ${MAX_WALLET_IDENTIFIER_LENGTH} characters`
          : "the URL path is malformed (bad percent-encoding)";
      return isOriginalPath(request.url)
        ? sendOriginalError(reply, 400, message, "invalid")
        : sendError(reply, 400, message);
    },
    forceCloseConnections: "idle",
    // A wallet identifier (email:<email>:<chain>) is longer than an id; each route's schema
    // bounds its own parameters (ids: 100 characters).
    routerOptions: { maxParamLength: MAX_WALLET_IDENTIFIER_LENGTH },
    rewriteUrl: (request) => withoutTrailingSlash(request.url ?? "/"),
    // Every answer carries its id (x-request-id) and every log line of the request too.
    genReqId: requestId,
  });
  services.instrument?.(app);
  feeCeilingHook(app);
  const { strict, coercing } = validators(COMPONENTS);
  app.setValidatorCompiler(
    schemas.validatorCompiler(({ schema, httpPart }) =>
      (httpPart === "body" ? strict : coercing).compile(schema as object),
    ),
  );
  app.decorate("compileSchemas", () => schemas.compileAll());
  schemas.compileInBackground(app, (error) =>
    services.log.error({ err: error }, "a route's schema does not compile"),
  );
  app.setErrorHandler(handleError);
  // JSON only: a text/plain body is refused with 415 rather than validated as a string.
  app.removeContentTypeParser("text/plain");
  acceptEmptyJsonBodies(app);
  app.addHook("preValidation", async (request) => {
    if (nestsDeeperThan(request.body, MAX_BODY_DEPTH))
      throw invalid(`body nests deeper than ${MAX_BODY_DEPTH} levels`);
  });
  app.setNotFoundHandler((request, reply) => {
    // The path only: a query may hold credentials (Original's Python SDK sends its secret there).
    const message = `Route ${request.method}:${request.url.split("?")[0]} not found`;
    return isOriginalPath(request.url)
      ? sendOriginalError(reply, 404, message, "not_found")
      : sendError(reply, 404, message);
  });
  app.decorate("shutdownSignal", shutdownSignal);

  await app.register(swagger, swaggerOptions);
  // The named schemas: responses and request bodies refer to them (`ref`).
  for (const schema of COMPONENTS) app.addSchema(schema);

  registerOperations(app, services.operations ?? {});
  if (!api) return app;
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  // Each plugin gets only what it uses (never the whole bag: Fastify reads some option names,
  // such as logLevel, as its own).
  const { projects, endpoints, events, actions, collections, nfts, wallets, adminToken } = services;
  const admin = {
    projects,
    adminToken,
    originalKeys: services.originalKeys,
    ...(services.chainStatus ? { chainStatus: services.chainStatus } : {}),
  };
  await app.register(
    async (api) => {
      await api.register(adminRoutes, admin);
      await api.register(async (project) => {
        project.addHook("onRequest", requireApiKey(projects));
        await project.register(endpointRoutes, { endpoints });
        await project.register(eventRoutes, { events });
        await project.register(deliveryRoutes, { events });
        await project.register(actionRoutes, { actions });
        await project.register(eventTypeRoutes);
        if (services.chainStatus) {
          await project.register(chainRoutes, { chainStatus: services.chainStatus });
        }
        await project.register(collectionRoutes, { collections });
        await project.register(nftRoutes, { nfts, collections });
        await project.register(walletIdentifierRoutes, { wallets });
        await project.register(originalConsoleRoutes, {
          users: services.originalUsers,
          assets: services.originalAssets,
          rewards: services.originalRewards,
        });
      });
    },
    { prefix: API_PREFIX },
  );
  await app.register(
    async (project) => {
      project.addHook("onRequest", requireApiKey(projects));
      await project.register(walletRoutes, { wallets });
    },
    { prefix: WALLETS_API_PREFIX },
  );
  await app.register(originalRoutes, {
    prefix: ORIGINAL_PREFIX,
    keys: services.originalKeys,
    users: services.originalUsers,
    assets: services.originalAssets,
    rewards: services.originalRewards,
    nfts,
    wallets,
    collections,
    chains: services.chains,
  });
  await app.register(metadataRoutes, { nfts });
  await app.register(consoleRoutes);
  // The admin route is also served without the version prefix (documented once).
  await app.register(adminRoutes, { ...admin, alias: true });
  return app;
}

// What operators and orchestrators call: /health (the process is alive), /ready (it can serve:
// its store answers, its schema is current, its roles started), /metrics (Prometheus text),
// and the request id every API answer and log line carries. Served in every role.
import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { bearerCheck } from "./bearer.js";

/** The metrics the API feeds and serves (src/observability/metrics.ts). */
export interface ApiMetrics {
  request(method: string, route: string, status: number, seconds: number): void;
  /** The exposition, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface Readiness {
  /** Each check's state; ready when all are true. */
  check(): Promise<Record<string, { ok: boolean; detail: string }>>;
}

export interface OperationsOptions {
  metrics?: ApiMetrics;
  /** When set, /metrics asks for `Authorization: Bearer <token>`. */
  metricsToken?: string | null;
  readiness?: Readiness;
}

/** A request id a caller may give (`x-request-id`): kept when it is a plain token, else new. */
const GIVEN_ID = /^[\w.:-]{1,128}$/;

export function requestId(request: { headers: Record<string, unknown> }): string {
  const given = request.headers["x-request-id"];
  return typeof given === "string" && GIVEN_ID.test(given) ? given : randomUUID();
}

export function registerOperations(app: FastifyInstance, options: OperationsOptions): void {
  const { metrics, metricsToken, readiness } = options;
  const tokenMatches = metricsToken ? bearerCheck(metricsToken) : null;
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  if (metrics) {
    app.addHook("onResponse", async (request, reply) => {
      // The route's template (bounded), never the path itself (ids, unbounded).
      const route = request.routeOptions.url ?? "unmatched";
      metrics.request(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  }

  app.get("/health", { schema: { hide: true } }, async () => ({ status: "ok" }));

  app.get("/ready", { schema: { hide: true } }, async (_request, reply) => {
    const checks = readiness ? await readiness.check() : {};
    const ready = Object.values(checks).every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "unready", checks });
  });

  app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
    if (!metrics) return reply.code(404).send({ error: true, message: "metrics are off" });
    if (tokenMatches && !tokenMatches(request.headers.authorization)) {
      return reply.code(401).header("www-authenticate", "Bearer").send({
        error: true,
        message: "/metrics needs Authorization: Bearer <HERALD_METRICS_TOKEN>",
      });
    }
    const { contentType, body } = await metrics.render();
    return reply.type(contentType).send(body);
  });
}

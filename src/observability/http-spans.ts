// A server span per API request: the child of the caller's `traceparent`, if it sent one.
// The handler runs inside it, so what it publishes or asks of a chain is stored with its
// traceparent (core's TraceContext answers it) and joins its trace later.
import { SpanKind, SpanStatusCode, type Span } from "@opentelemetry/api";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from "@opentelemetry/semantic-conventions";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Tracing } from "./tracing.js";

/** Routes polled by orchestrators and scrapers, and the console's files: not traced. */
function untraced(route: string): boolean {
  return (
    route === "/health" ||
    route === "/ready" ||
    route === "/metrics" ||
    route.startsWith("/console")
  );
}

export function traceRequests(app: FastifyInstance, tracing: Tracing): void {
  const spans = new WeakMap<FastifyRequest, Span>();

  app.addHook("onRequest", (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route === undefined || untraced(route)) return done();
    const parent = request.headers.traceparent;
    const span = tracing.startSpan(
      `${request.method} ${route}`,
      SpanKind.SERVER,
      typeof parent === "string" ? parent : null,
      {
        [ATTR_HTTP_REQUEST_METHOD]: request.method,
        [ATTR_HTTP_ROUTE]: route,
        // The path only: a query may hold credentials.
        [ATTR_URL_PATH]: request.url.split("?")[0]!,
        "herald.request.id": request.id,
      },
    );
    spans.set(request, span);
    done();
  });

  // The body is parsed by now (its stream's callbacks would lose the context): the handler
  // and all it awaits run within the span.
  app.addHook("preHandler", (request, _reply, done) => {
    const span = spans.get(request);
    if (span) tracing.within(span, done);
    else done();
  });

  app.addHook("onError", (request, _reply, error, done) => {
    spans.get(request)?.recordException(error);
    done();
  });

  app.addHook("onResponse", (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      spans.delete(request);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });

  app.addHook("onRequestAbort", (request, done) => {
    const span = spans.get(request);
    if (span) {
      spans.delete(request);
      span.setStatus({ code: SpanStatusCode.ERROR, message: "the client went away" });
      span.end();
    }
    done();
  });
}

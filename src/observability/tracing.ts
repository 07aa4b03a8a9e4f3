// Traces with OpenTelemetry: one tracer provider per running Herald, exporting over OTLP/HTTP
// (JSON), started only when an endpoint is configured (tracing-settings.ts). Nothing is
// registered globally: the API's spans, the attempts' and the chain's get this tracer
// explicitly, and parents travel as W3C traceparent strings (stored with events and jobs).
import { AsyncLocalStorage } from "node:async_hooks";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { parseTraceParent } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from "@opentelemetry/sdk-trace";
import type { TraceContext, WorkSpan, WorkTracer } from "../core/ports/trace.js";
import type { TracingSettings } from "./tracing-settings.js";

/** A span's W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
export function traceParentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, "0")}`;
}

/** A context whose parent is the span a traceparent names (the root when there is none). */
export function contextOf(traceParent: string | null | undefined): Context {
  const parent = traceParent ? parseTraceParent(traceParent) : null;
  return parent ? trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true }) : ROOT_CONTEXT;
}

/** Marks a span failed, with the error's message (and the exception, when it is one). */
export function failSpan(span: Span, error: unknown, message?: string): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: message ?? (error instanceof Error ? error.message : String(error)),
  });
}

function samplerOf({ kind, ratio, parentBased }: TracingSettings["sampler"]): Sampler {
  const root =
    kind === "always_on"
      ? new AlwaysOnSampler()
      : kind === "always_off"
        ? new AlwaysOffSampler()
        : new TraceIdRatioBasedSampler(ratio);
  return parentBased ? new ParentBasedSampler({ root }) : root;
}

/** How long stopping waits for the last spans to be exported. */
const SHUTDOWN_GRACE_MS = 5000;

export class Tracing {
  readonly tracer: Tracer;
  private readonly provider: TracerProvider;
  /** The traceparent of the request being handled (see http-spans.ts), for core. */
  private readonly request = new AsyncLocalStorage<string>();

  /** Core's view: what events and chain jobs made now are stored with. */
  readonly context: TraceContext = { current: () => this.request.getStore() ?? null };

  /** Spans of work done later under a stored traceparent (the chain's). */
  readonly work: WorkTracer = {
    start: (name, parent, attributes): WorkSpan => {
      const span = this.tracer.startSpan(
        name,
        { kind: SpanKind.INTERNAL, attributes },
        contextOf(parent),
      );
      return {
        set: (more) => span.setAttributes(more),
        end: (error) => {
          if (error !== undefined) failSpan(span, error);
          span.end();
        },
      };
    },
  };

  constructor(settings: TracingSettings) {
    const exporter = new OTLPTraceExporter({
      url: settings.url,
      headers: settings.headers,
      timeoutMillis: settings.exportTimeoutMs,
    });
    this.provider = new TracerProvider({
      resource: resourceFromAttributes(settings.resource),
      sampler: samplerOf(settings.sampler),
      spanProcessors: [new BatchSpanProcessor({ exporter, ...settings.batch })],
    });
    this.tracer = this.provider.getTracer("herald");
  }

  /** A span, child of the span `parent` names (a root span without one). */
  startSpan(
    name: string,
    kind: SpanKind,
    parent: string | null | undefined,
    attributes: Attributes,
  ): Span {
    return this.tracer.startSpan(name, { kind, attributes }, contextOf(parent));
  }

  /** Runs `fn` (and what it starts) as part of `span`: core's context answers its traceparent. */
  within<T>(span: Span, fn: () => T): T {
    return this.request.run(traceParentOf(span), fn);
  }

  /** Exports the spans still buffered (for a few seconds at most: a collector may be gone). */
  async shutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.provider.shutdown().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
    ]);
    clearTimeout(timer);
  }
}

/** Tracing as configured, or null (off: nothing is started, nothing is recorded). */
export function startTracing(settings: TracingSettings | null): Tracing | null {
  return settings ? new Tracing(settings) : null;
}

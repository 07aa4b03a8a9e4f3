// Tracing as core and the adapters see it: work carries a W3C `traceparent` string (an event,
// a chain job), so that what happens to it later (its transaction, its delivery attempts)
// joins the trace of the request that caused it. Core knows no tracing library:
// src/observability implements these ports with OpenTelemetry; without it they do nothing.

/** The traceparent of the work being done now (an API request's span), if traced. */
export interface TraceContext {
  current(): string | null;
}

export const NO_TRACE: TraceContext = { current: () => null };

export type SpanAttributes = Record<string, string | number | boolean>;

/** A span of work done later under a stored traceparent (a chain job's transaction). */
export interface WorkSpan {
  set(attributes: SpanAttributes): void;
  /** Ends the span; with an error, as failed. */
  end(error?: unknown): void;
}

/** Starts spans as children of stored traceparents. */
export interface WorkTracer {
  start(name: string, parent: string, attributes: SpanAttributes): WorkSpan;
}

// A span per delivery attempt, the child of its event's traceparent (the request that
// published it, or the chain job that completed it), so a publish, its retries and their
// outcomes read as one trace. With propagation on, the attempt's traceparent goes along.
import { SpanKind } from "@opentelemetry/api";
import { ATTR_HTTP_RESPONSE_STATUS_CODE } from "@opentelemetry/semantic-conventions";
import type { AttemptObserver, AttemptResult } from "../dispatcher/attempt.js";
import { failSpan, traceParentOf, type Tracing } from "./tracing.js";

/** An attempt's outcome: succeeded, retry (failed, retried later), failed (for good), or
 * herald_error (Herald could not make it). */
function outcomeOf(result: AttemptResult): string {
  if ("herald" in result) return "herald_error";
  const { status } = result.outcome;
  return status === "pending" ? "retry" : status;
}

export function attemptSpans(tracing: Tracing, { propagate }: { propagate: boolean }) {
  const observer: AttemptObserver = {
    start(claim) {
      const { endpoint } = claim;
      const span = tracing.startSpan(
        "webhook.attempt",
        endpoint.destinationType === "https" ? SpanKind.CLIENT : SpanKind.PRODUCER,
        claim.traceParent,
        {
          "herald.event.id": claim.eventId,
          "herald.event.type": claim.eventType,
          "herald.delivery.id": claim.id,
          "herald.delivery.attempt": claim.attempt,
          "herald.endpoint.id": endpoint.id,
          "herald.destination.type": endpoint.destinationType,
        },
      );
      return {
        ...(propagate ? { headers: { traceparent: traceParentOf(span) } } : {}),
        end(result) {
          span.setAttribute("herald.delivery.outcome", outcomeOf(result));
          if ("herald" in result) {
            failSpan(span, result.herald);
          } else {
            const { attempt } = result.outcome;
            if (attempt.statusCode !== null)
              span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, attempt.statusCode);
            if (attempt.outcome === "failed") {
              const why = attempt.error ?? `the destination answered ${attempt.statusCode}`;
              failSpan(span, why);
            }
          }
          span.end();
        },
      };
    },
  };
  return observer;
}

// What the API request being handled asks of the chain jobs it queues, beside its trace: the
// fee ceiling of the `x-herald-max-fee-per-gas` header (src/api/fee-ceiling.ts answers it per
// request; outside a request there is none).
import { NO_TRACE, type TraceContext } from "./trace.js";

export interface RequestContext extends TraceContext {
  /** The request's fee ceiling in wei (decimal text), if it set one. */
  maxFeePerGas(): string | null;
}

export const NO_REQUEST: RequestContext = { ...NO_TRACE, maxFeePerGas: () => null };

/** A chain job's fields from the request that queues it. */
export function jobContext(context: RequestContext) {
  return { traceParent: context.current(), maxFeePerGas: context.maxFeePerGas() };
}

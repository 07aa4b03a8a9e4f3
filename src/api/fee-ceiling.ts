// `x-herald-max-fee-per-gas` (gwei, as HERALD_CHAINS' `maxFeePerGas`): a request's ceiling on
// what the transactions it causes offer per gas. It is kept with each chain job the request
// queues; a job's transaction (and its replacements) offers no more than the lower of it and
// the chain's, and waits rather than pay more. On every route; without a chain job it does
// nothing. EVM chains only (Solana's fees are priced per compute unit).
import { AsyncLocalStorage } from "node:async_hooks";
import type { FastifyInstance } from "fastify";
import { invalid } from "../core/errors.js";
import { parseGweiCeiling } from "../core/policy/fee-ceiling.js";

export const FEE_CEILING_HEADER = "x-herald-max-fee-per-gas";

const ceilings = new AsyncLocalStorage<string>();

/** The ceiling of the request being handled, in wei. */
export function requestFeeCeiling(): string | null {
  return ceilings.getStore() ?? null;
}

/** Reads the header; the handler and what it awaits run with its ceiling. */
export function feeCeilingHook(app: FastifyInstance): void {
  app.addHook("preHandler", (request, _reply, done) => {
    const value = request.headers[FEE_CEILING_HEADER];
    if (value === undefined) return done();
    const wei = typeof value === "string" ? parseGweiCeiling(value) : null;
    if (wei === null) {
      return done(
        invalid(
          `${FEE_CEILING_HEADER} must be gwei as a decimal above 0 (at most 12 digits and 9 decimals), e.g. "30" or "0.5"`,
        ),
      );
    }
    ceilings.run(wei.toString(), done);
  });
}

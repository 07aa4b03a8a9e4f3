import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { HeraldError, type ErrorKind } from "../core/errors.js";

// Every failure leaves as `{"error": true, "message": "..."}`: 4xx for anything the caller
// can fix, 500 only for Herald's own bugs, never with a stack trace.

const STATUS_OF_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

export function errorBody(message: string) {
  return { error: true, message };
}

export function sendError(
  reply: FastifyReply,
  status: number,
  message: string,
  details: Record<string, unknown> = {},
) {
  return reply
    .code(status)
    .type("application/json")
    .send({ ...errorBody(message), ...details });
}

export function handleError(
  error: FastifyError | HeraldError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (error instanceof HeraldError)
    return sendError(reply, STATUS_OF_KIND[error.kind], error.message, error.details);
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? "request";
    const first = fastifyError.validation[0];
    const path = first?.instancePath
      ? `${context}${first.instancePath.replace(/\//g, ".")}`
      : context;
    let message = `${path} ${first?.message ?? "is invalid"}`;
    if (context === "body" && request.body === undefined)
      message = "the request body is empty: send a JSON object";
    // A path parameter over its route's limit reads as the router's own refusal would.
    if (context === "params" && first?.keyword === "maxLength") {
      message = `${path} is longer than ${(first.params as { limit: number }).limit} characters`;
    }
    if (first?.keyword === "additionalProperties") {
      message = `${path} has an unknown field "${(first.params as { additionalProperty: string }).additionalProperty}"`;
    }
    return sendError(reply, 400, message);
  }
  if (fastifyError.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
    return sendError(reply, 415, "content-type must be application/json");
  if (fastifyError.code === "FST_ERR_CTP_BODY_TOO_LARGE")
    return sendError(reply, 413, "request body is larger than 1 MB");
  if (error instanceof SyntaxError || fastifyError.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
    return sendError(reply, 400, `malformed JSON body: ${error.message}`);
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500)
    return sendError(reply, status, error.message);
  request.log.error({ err: error }, "unhandled error");
  return sendError(reply, 500, "internal error");
}

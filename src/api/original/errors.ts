// Original's failures: `{success: false, error: {type, detail: {code, message, field_name?}}}`,
// the shape its SDKs read (`error.type`, `error.detail.message`). Herald's `message` stays beside
// it, so a client of either kind finds the reason.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { HeraldError } from "../../core/errors.js";
import { handleError } from "../errors.js";

export type OriginalErrorType = "client_error" | "validation_error" | "server_error";

export function originalError(
  type: OriginalErrorType,
  message: string,
  code: string,
  field?: string,
) {
  return {
    success: false as const,
    error: {
      type,
      detail: { code, message, ...(field !== undefined ? { field_name: field } : {}) },
    },
    message,
  };
}

export function sendOriginalError(
  reply: FastifyReply,
  status: number,
  message: string,
  code = "client_error",
) {
  const type: OriginalErrorType = status >= 500 ? "server_error" : "client_error";
  return reply
    .code(status)
    .type("application/json")
    .send(originalError(type, message, code));
}

/** Field names as Original writes them: `data.name`, not `body/data/name`. */
function fieldOf(instancePath: string, missing?: string): string | undefined {
  const parts = instancePath.split("/").filter(Boolean);
  if (missing) parts.push(missing);
  return parts.length > 0 ? parts.join(".") : undefined;
}

/** Herald's errors and Fastify's, in Original's shape (Herald's handler decides the status). */
export function handleOriginalError(
  error: FastifyError | HeraldError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const missing = (first?.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = fieldOf(first?.instancePath ?? "", missing);
    const message =
      missing !== undefined
        ? "This field is required."
        : request.body === undefined && fastifyError.validationContext === "body"
          ? "the request body is empty: send a JSON object"
          : `${field ?? fastifyError.validationContext ?? "request"} ${first?.message ?? "is invalid"}`;
    return reply
      .code(400)
      .type("application/json")
      .send(
        originalError(
          "validation_error",
          message,
          missing !== undefined ? "required" : "invalid",
          field,
        ),
      );
  }
  if (error instanceof HeraldError && error.kind === "invalid") {
    const details = error.details as { field?: string; code?: string } | undefined;
    const type = details?.code === "client_error" ? "client_error" : "validation_error";
    return reply
      .code(400)
      .type("application/json")
      .send(originalError(type, error.message, details?.code ?? "invalid", details?.field));
  }
  // Everything else: Herald's status and message, rewritten in Original's shape.
  const send = reply.send.bind(reply);
  reply.send = (payload?: unknown) => {
    reply.send = send;
    const body = payload as { message?: string } | undefined;
    const status = reply.statusCode;
    return send(
      originalError(
        status >= 500 ? "server_error" : "client_error",
        body?.message ?? "error",
        status === 404 ? "not_found" : status === 401 ? "not_authenticated" : "error",
      ),
    );
  };
  return handleError(error, request, reply);
}

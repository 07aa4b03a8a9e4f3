import type { FastifyReply, FastifyRequest } from "fastify";
import { bearerCheck } from "../../bearer.js";
import { sendError } from "../../errors.js";

/** Operator routes, behind `Authorization: Bearer $HERALD_ADMIN_TOKEN`; absent (404) without it. */
export function requireAdmin(token: string | null) {
  const matches = token ? bearerCheck(token) : null;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!matches) return sendError(reply, 404, `Route ${request.method}:${request.url} not found`);
    if (!matches(request.headers.authorization)) {
      return sendError(reply, 401, "admin routes need Authorization: Bearer <HERALD_ADMIN_TOKEN>");
    }
  };
}

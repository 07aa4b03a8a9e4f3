import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { sendError } from "../../errors.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Operator routes, behind `Authorization: Bearer $HERALD_ADMIN_TOKEN`; absent (404) without it. */
export function requireAdmin(token: string | null) {
  const expected = token ? digest(token) : null;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!expected) return sendError(reply, 404, `Route ${request.method}:${request.url} not found`);
    const header = request.headers.authorization ?? "";
    const given = header.startsWith("Bearer ") ? header.slice(7) : "";
    if (!given || !timingSafeEqual(digest(given), expected)) {
      return sendError(reply, 401, "admin routes need Authorization: Bearer <HERALD_ADMIN_TOKEN>");
    }
  };
}

import type { FastifyReply, FastifyRequest } from "fastify";
import type { ProjectService } from "../core/webhooks/projects.js";
import { invalid } from "../core/errors.js";
import { sendError } from "./errors.js";

declare module "fastify" {
  interface FastifyRequest {
    projectId: string;
  }
}

export function requireApiKey(projects: ProjectService) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const key = request.headers["x-api-key"];
    if (typeof key !== "string" || key === "") {
      return sendError(reply, 401, "missing API key: send it in the x-api-key header");
    }
    const projectId = await projects.authenticate(key);
    if (!projectId) return sendError(reply, 401, "invalid API key");
    request.projectId = projectId;
  };
}

export function idempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers["idempotency-key"];
  if (typeof value !== "string" || value === "") return undefined;
  if (value.length > 255) throw invalid("Idempotency-Key must be at most 255 characters");
  return value;
}

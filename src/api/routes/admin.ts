import { timingSafeEqual, createHash } from "node:crypto";
import { Type, type Static } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ProjectService } from "../../core/webhooks/projects.js";
import { iso } from "../../core/policy/envelope.js";
import { idempotencyKey } from "../auth.js";
import { sendError } from "../errors.js";
import { PageQuery, errorResponses, pageOf } from "../schemas.js";

const CreateProjectBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 63 }) },
  { additionalProperties: false },
);
const CreateKeyBody = Type.Union([
  Type.Object(
    { name: Type.Optional(Type.String({ maxLength: 100 })) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
const ProjectParams = Type.Object({ projectId: Type.String({ minLength: 1, maxLength: 100 }) });
const KeyParams = Type.Object({
  projectId: Type.String({ maxLength: 100 }),
  keyId: Type.String({ maxLength: 100 }),
});
const Project = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: "date-time" }),
});
const ApiKey = Type.Object({
  id: Type.String(),
  prefix: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  revokedAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Operator routes, behind `Authorization: Bearer $HERALD_ADMIN_TOKEN`; absent (404) without it. */
function requireAdmin(token: string | null) {
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

const tags = ["Admin"];

export async function adminRoutes(
  app: FastifyInstance,
  { projects, adminToken }: { projects: ProjectService; adminToken: string | null },
) {
  app.addHook("onRequest", requireAdmin(adminToken));
  const projectView = (p: { id: string; name: string; createdAt: number }) => ({
    ...p,
    createdAt: iso(p.createdAt),
  });

  app.post(
    "/admin/projects",
    {
      schema: {
        tags,
        summary: "Create a project and its first API key",
        body: CreateProjectBody,
        response: {
          201: Type.Composite([Project, Type.Object({ apiKey: Type.String() })]),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { project, apiKey, replayed } = await projects.create(
        (request.body as Static<typeof CreateProjectBody>).name,
        undefined,
        idempotencyKey(request),
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      return reply.code(201).send({ ...projectView(project), apiKey });
    },
  );

  app.get(
    "/admin/projects",
    {
      schema: {
        tags,
        summary: "List projects",
        querystring: Type.Object(PageQuery),
        response: { 200: pageOf(Project), ...errorResponses },
      },
    },
    async (request) => {
      const page = await projects.list(request.query as { limit: number; cursor?: string });
      return { data: page.data.map(projectView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/admin/projects/:projectId/keys",
    {
      schema: {
        tags,
        summary: "List a project's API keys (prefixes only)",
        params: ProjectParams,
        querystring: Type.Object(PageQuery),
        response: { 200: pageOf(ApiKey), ...errorResponses },
      },
    },
    async (request) => {
      const project = await projects.resolve((request.params as { projectId: string }).projectId);
      const keys = await projects.listKeys(
        project.id,
        request.query as { limit: number; cursor?: string },
      );
      return {
        nextCursor: keys.nextCursor,
        data: keys.data.map((k) => ({
          ...k,
          createdAt: iso(k.createdAt),
          revokedAt: k.revokedAt === null ? null : iso(k.revokedAt),
        })),
      };
    },
  );

  app.post(
    "/admin/projects/:projectId/keys",
    {
      schema: {
        tags,
        summary: "Create an API key (shown once)",
        params: ProjectParams,
        body: CreateKeyBody,
        response: {
          201: Type.Object({ id: Type.String(), prefix: Type.String(), apiKey: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const project = await projects.resolve((request.params as { projectId: string }).projectId);
      const body = request.body as Static<typeof CreateKeyBody> | undefined;
      const { key, apiKey, replayed } = await projects.createKey(
        project.id,
        body?.name ?? null,
        idempotencyKey(request),
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      return reply.code(201).send({ id: key.id, prefix: key.prefix, apiKey });
    },
  );

  app.delete(
    "/admin/projects/:projectId/keys/:keyId",
    {
      schema: {
        tags,
        summary: "Revoke an API key",
        params: KeyParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { projectId, keyId } = request.params as Static<typeof KeyParams>;
      const project = await projects.resolve(projectId);
      await projects.revokeKey(project.id, keyId);
      return reply.code(204).send();
    },
  );
}

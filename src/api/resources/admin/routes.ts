import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { ProjectService } from "../../../core/webhooks/projects.js";
import { idempotencyKey } from "../../auth.js";
import { PageQuery, answer, errorAnswer, errorResponses, noContent, page, ref } from "../shared.js";
import { requireAdmin } from "./require-admin.js";
import {
  CancelNonceBody,
  CancelNonceParams,
  NonceCancelled,
  ApiKeyCreated,
  ApiKeyPage,
  OriginalKeyCreated,
  OriginalKeyPage,
  ChangeProjectBody,
  CreateKeyBody,
  CreateProjectBody,
  KeyParams,
  Project,
  ProjectCreated,
  ProjectPage,
  ProjectParams,
} from "./schemas.js";
import { apiKeyView, originalKeyView, projectView } from "./views.js";
import type { OriginalKeys } from "../../../core/original/keys.js";
import type { ChainStatusService } from "../../../core/chain/chain-status.js";

export interface AdminOptions {
  projects: ProjectService;
  /** The chains' operator actions (cancelling a stuck nonce); none: not served. */
  chainStatus?: ChainStatusService;
  originalKeys: OriginalKeys;
  adminToken: string | null;
  /** The same routes again at another prefix: served, but documented once. */
  alias?: boolean;
}

export const adminRoutes: FastifyPluginAsyncTypebox<AdminOptions> = async (
  app,
  { projects, originalKeys, adminToken, chainStatus, alias = false },
) => {
  app.addHook("onRequest", requireAdmin(adminToken));
  const doc = { tags: ["Admin"], security: [{ adminToken: [] }], ...(alias ? { hide: true } : {}) };
  const errors = { ...errorResponses, 401: errorAnswer("No admin token, or not the right one") };

  if (chainStatus) {
    app.post(
      "/admin/chains/:chain/signers/:address/cancel",
      {
        schema: {
          ...doc,
          operationId: "cancelNonce",
          summary: "Cancel a stuck nonce of a chain's signer",
          description:
            "Sends a zero-value transfer from the signer to itself at `nonce`, offering more than what waits there (and the fee ceiling does not apply). What it replaces is never mined: that job's action fails (`nonce used by another transaction`). Only on the process that runs the chain; only a nonce with a transaction of Herald's pending.",
          params: CancelNonceParams,
          body: CancelNonceBody,
          response: { 202: answer(ref(NonceCancelled), "Sent"), ...errors },
        },
      },
      async (request, reply) => {
        const { chain, address } = request.params;
        const { nonce } = request.body;
        const { txHash } = await chainStatus.cancelNonce(chain, address, nonce);
        return reply.code(202).send({ chain, signer: address, nonce, txHash });
      },
    );
  }

  app.post(
    "/admin/projects",
    {
      schema: {
        ...doc,
        operationId: "createProject",
        summary: "Create a project and its first API key",
        description: "An `Idempotency-Key` header replays the first answer, key included.",
        body: CreateProjectBody,
        response: { 201: answer(ref(ProjectCreated), "The project"), ...errors },
      },
    },
    async (request, reply) => {
      const { name, region, environment } = request.body;
      const { project, apiKey, original, replayed } = await projects.create(
        name,
        undefined,
        idempotencyKey(request),
        undefined,
        { region, environment },
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      return reply.code(201).send({ ...projectView(project), apiKey, original });
    },
  );

  app.patch(
    "/admin/projects/:projectId",
    {
      schema: {
        ...doc,
        operationId: "changeProject",
        summary: "Change a project's app settings (Original's region and environment)",
        params: ProjectParams,
        body: ChangeProjectBody,
        response: { 200: answer(ref(Project), "The project"), ...errors },
      },
    },
    async (request) => {
      const { id } = await projects.resolve(request.params.projectId);
      return projectView(await projects.changeSettings(id, request.body));
    },
  );

  app.get(
    "/admin/projects",
    {
      schema: {
        ...doc,
        operationId: "listProjects",
        summary: "List projects",
        querystring: Type.Object(PageQuery),
        response: { 200: answer(ref(ProjectPage), "A page of projects"), ...errors },
      },
    },
    async (request) => {
      const found = await projects.list(page(request.query));
      return { data: found.data.map(projectView), nextCursor: found.nextCursor };
    },
  );

  app.get(
    "/admin/projects/:projectId/keys",
    {
      schema: {
        ...doc,
        operationId: "listApiKeys",
        summary: "List a project's API keys (prefixes only)",
        params: ProjectParams,
        querystring: Type.Object(PageQuery),
        response: { 200: answer(ref(ApiKeyPage), "A page of keys"), ...errors },
      },
    },
    async (request) => {
      const project = await projects.resolve(request.params.projectId);
      const keys = await projects.listKeys(project.id, page(request.query));
      return { data: keys.data.map(apiKeyView), nextCursor: keys.nextCursor };
    },
  );

  app.post(
    "/admin/projects/:projectId/keys",
    {
      schema: {
        ...doc,
        operationId: "createApiKey",
        summary: "Create an API key (shown once)",
        params: ProjectParams,
        body: CreateKeyBody,
        response: { 201: answer(ref(ApiKeyCreated), "The key"), ...errors },
      },
    },
    async (request, reply) => {
      const project = await projects.resolve(request.params.projectId);
      const { key, apiKey, replayed } = await projects.createKey(
        project.id,
        request.body?.name ?? null,
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
        ...doc,
        operationId: "revokeApiKey",
        summary: "Revoke an API key",
        params: KeyParams,
        response: { 204: noContent("Revoked"), ...errors },
      },
    },
    async (request, reply) => {
      const { projectId, keyId } = request.params;
      const project = await projects.resolve(projectId);
      await projects.revokeKey(project.id, keyId);
      return reply.code(204).send();
    },
  );

  app.get(
    "/admin/projects/:projectId/original-keys",
    {
      schema: {
        ...doc,
        operationId: "listOriginalKeys",
        summary: "List a project's Original key pairs (prefixes only)",
        params: ProjectParams,
        querystring: Type.Object(PageQuery),
        response: { 200: answer(ref(OriginalKeyPage), "A page of key pairs"), ...errors },
      },
    },
    async (request) => {
      const project = await projects.resolve(request.params.projectId);
      const found = await originalKeys.list(project.id, page(request.query));
      return { data: found.data.map(originalKeyView), nextCursor: found.nextCursor };
    },
  );

  app.post(
    "/admin/projects/:projectId/original-keys",
    {
      schema: {
        ...doc,
        operationId: "createOriginalKey",
        summary: "Create an Original key pair (the secret shown once)",
        params: ProjectParams,
        response: { 201: answer(ref(OriginalKeyCreated), "The key pair"), ...errors },
      },
    },
    async (request, reply) => {
      const project = await projects.resolve(request.params.projectId);
      const { key, pair } = await originalKeys.create(project.id);
      return reply.code(201).send({ id: key.id, prefix: key.prefix, ...pair });
    },
  );

  app.delete(
    "/admin/projects/:projectId/original-keys/:keyId",
    {
      schema: {
        ...doc,
        operationId: "revokeOriginalKey",
        summary: "Revoke an Original key pair (every process within 30 s)",
        params: KeyParams,
        response: { 204: noContent("Revoked"), ...errors },
      },
    },
    async (request, reply) => {
      const { projectId, keyId } = request.params;
      const project = await projects.resolve(projectId);
      await originalKeys.revoke(project.id, keyId);
      return reply.code(204).send();
    },
  );
};

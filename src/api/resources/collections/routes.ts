import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Static } from "@sinclair/typebox";
import type { CollectionService } from "../../../core/chain/collections.js";
import { Action } from "../actions/schemas.js";
import { actionView } from "../actions/views.js";
import { IdParams, answer, errorResponses, page, ref } from "../shared.js";
import { Collection, CollectionInput, CollectionList, ListQuery, UpdateBody } from "./schemas.js";
import { collectionView } from "./views.js";

const tags = ["Collections"];

export const collectionRoutes: FastifyPluginAsyncTypebox<{
  collections: CollectionService;
}> = async (app, { collections }) => {
  const create = async (projectId: string, body: Static<typeof CollectionInput>, id?: string) => {
    const { payments: _p, subscription: _s, reuploadLinkedFiles: _r, ...input } = body;
    const { collection } = await collections.create(projectId, input, id);
    return collectionView(collection, collections.onChainNames(collection.chain));
  };
  const deploying = answer(ref(Collection), "The collection; its deployment is an action");

  app.post(
    "/collections",
    {
      schema: {
        tags,
        operationId: "createCollection",
        summary: "Create a collection (deploys its contract)",
        body: ref(CollectionInput),
        response: { 200: deploying, ...errorResponses },
      },
    },
    async (request) => create(request.projectId, request.body),
  );

  app.put(
    "/collections/:id",
    {
      schema: {
        tags,
        operationId: "createCollectionWithId",
        summary: "Create a collection with a chosen id; repeating it creates nothing",
        params: IdParams,
        body: ref(CollectionInput),
        response: { 200: deploying, ...errorResponses },
      },
    },
    async (request) => create(request.projectId, request.body, request.params.id),
  );

  app.patch(
    "/collections/:id",
    {
      schema: {
        tags,
        operationId: "updateCollection",
        summary: "Change the supply limit (a transaction) or the metadata",
        params: IdParams,
        body: UpdateBody,
        response: { 200: answer(ref(Action), "The change, an action"), ...errorResponses },
      },
    },
    async (request) =>
      actionView(await collections.update(request.projectId, request.params.id, request.body)),
  );

  app.get(
    "/collections",
    {
      schema: {
        tags,
        operationId: "listCollections",
        summary: "List collections",
        querystring: ListQuery,
        response: { 200: answer(ref(CollectionList), "A page of collections"), ...errorResponses },
      },
    },
    async (request) => {
      const found = await collections.list(request.projectId, page(request.query));
      return {
        results: found.data.map((c) => collectionView(c, collections.onChainNames(c.chain))),
        nextCursor: found.nextCursor,
      };
    },
  );

  app.get(
    "/collections/:id",
    {
      schema: {
        tags,
        operationId: "getCollection",
        summary: "Read a collection",
        params: IdParams,
        response: { 200: answer(ref(Collection), "The collection"), ...errorResponses },
      },
    },
    async (request) => {
      const collection = await collections.get(request.projectId, request.params.id);
      return collectionView(collection, collections.onChainNames(collection.chain));
    },
  );
};

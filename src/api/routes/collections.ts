import { Type, type Static } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { CollectionService } from "../../core/chain/collections.js";
import type { Collection } from "../../core/chain/chain-types.js";
import { actionView } from "../format.js";
import { IdParams, errorResponses } from "../schemas.js";

const CollectionBody = Type.Object(
  {
    chain: Type.String({ minLength: 1, maxLength: 50 }),
    metadata: Type.Object(
      {},
      { additionalProperties: true, description: "{name, symbol?, description?, imageUrl?}" },
    ),
    fungibility: Type.Optional(
      Type.Union([Type.Literal("non-fungible"), Type.Literal("semi-fungible")]),
    ),
    transferable: Type.Optional(Type.Boolean()),
    supplyLimit: Type.Optional(Type.Integer({ minimum: 0 })),
    // Accepted for compatibility with Crossmint's API; Herald does not use them.
    payments: Type.Optional(Type.Unknown()),
    reuploadLinkedFiles: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    supplyLimit: Type.Optional(Type.Integer({ minimum: 0 })),
    metadata: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false, minProperties: 1 },
);
const Page = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: 50 })),
});

export function collectionView(c: Collection) {
  return {
    id: c.id,
    metadata: c.metadata,
    fungibility: c.fungibility,
    onChain: {
      chain: c.chain,
      type: "erc-721",
      ...(c.contractAddress ? { contractAddress: c.contractAddress } : {}),
    },
    supplyLimit: c.supplyLimit ?? 0,
    status: c.status,
    actionId: c.actionId,
  };
}

const tags = ["Collections"];

export async function collectionRoutes(
  app: FastifyInstance,
  { collections }: { collections: CollectionService },
) {
  const create = async (projectId: string, body: Static<typeof CollectionBody>, id?: string) => {
    const { payments: _p, reuploadLinkedFiles: _r, ...input } = body;
    const { collection } = await collections.create(projectId, input, id);
    return collectionView(collection);
  };

  app.post(
    "/collections",
    {
      schema: {
        tags,
        summary: "Create a collection (deploys its contract)",
        body: CollectionBody,
        response: errorResponses,
      },
    },
    async (request) => create(request.projectId, request.body as Static<typeof CollectionBody>),
  );

  app.put(
    "/collections/:id",
    {
      schema: {
        tags,
        summary: "Create a collection with a chosen id; repeating it creates nothing",
        params: IdParams,
        body: CollectionBody,
        response: errorResponses,
      },
    },
    async (request) =>
      create(
        request.projectId,
        request.body as Static<typeof CollectionBody>,
        (request.params as { id: string }).id,
      ),
  );

  app.patch(
    "/collections/:id",
    {
      schema: {
        tags,
        summary: "Change the supply limit (a transaction) or the metadata",
        params: IdParams,
        body: UpdateBody,
        response: errorResponses,
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return actionView(
        await collections.update(request.projectId, id, request.body as Static<typeof UpdateBody>),
      );
    },
  );

  app.get(
    "/collections",
    { schema: { tags, summary: "List collections", querystring: Page, response: errorResponses } },
    async (request) => {
      const q = request.query as { cursor?: string; limit: number };
      const page = await collections.list(request.projectId, { cursor: q.cursor, limit: q.limit });
      return { results: page.data.map(collectionView), nextCursor: page.nextCursor };
    },
  );

  app.get(
    "/collections/:id",
    { schema: { tags, summary: "Read a collection", params: IdParams, response: errorResponses } },
    async (request) =>
      collectionView(
        await collections.get(request.projectId, (request.params as { id: string }).id),
      ),
  );
}

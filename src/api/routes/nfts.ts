import { Type, type Static } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import type { CollectionService } from "../../core/chain/collections.js";
import type { NftService } from "../../core/chain/nfts.js";
import type { Collection, Nft } from "../../core/chain/chain-types.js";
import { actionView } from "../format.js";
import { errorResponses } from "../schemas.js";

const Id = Type.String({ minLength: 1, maxLength: 100 });
const CollectionParams = Type.Object({ collectionId: Id });
const NftParams = Type.Object({ collectionId: Id, id: Id });
const MintBody = Type.Object(
  {
    recipient: Type.String({
      minLength: 1,
      maxLength: 400,
      description: "<chain>:<address> or email:<email>:<chain>",
    }),
    metadata: Type.Object({}, { additionalProperties: true }),
    // Accepted for compatibility with Crossmint's API; Herald does not use them.
    sendNotification: Type.Optional(Type.Boolean()),
    locale: Type.Optional(Type.String({ maxLength: 20 })),
    reuploadLinkedFiles: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  { metadata: Type.Object({}, { additionalProperties: true }) },
  { additionalProperties: false },
);
const ListQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

const ON_CHAIN_STATUS = {
  pending: "pending",
  minted: "success",
  failed: "failed",
  burned: "burned",
} as const;

export function nftView(nft: Nft, collection: Collection) {
  return {
    id: nft.id,
    metadata: nft.metadata,
    onChain: {
      status: ON_CHAIN_STATUS[nft.status],
      chain: collection.chain,
      ...(collection.contractAddress ? { contractAddress: collection.contractAddress } : {}),
      ...(nft.tokenId ? { tokenId: nft.tokenId } : {}),
      owner: nft.owner,
      ...(nft.txId ? { txId: nft.txId } : {}),
    },
    actionId: nft.actionId,
  };
}

const tags = ["NFTs"];

export async function nftRoutes(
  app: FastifyInstance,
  { nfts, collections }: { nfts: NftService; collections: CollectionService },
) {
  const mint = async (
    projectId: string,
    collectionId: string,
    body: Static<typeof MintBody>,
    id?: string,
  ) => {
    const { nft, collection } = await nfts.mint(
      projectId,
      collectionId,
      { recipient: body.recipient, metadata: body.metadata },
      id,
    );
    return nftView(nft, collection);
  };

  app.post(
    "/collections/:collectionId/nfts",
    {
      schema: {
        tags,
        summary: "Mint an NFT",
        params: CollectionParams,
        body: MintBody,
        response: errorResponses,
      },
    },
    async (request) => {
      const { collectionId } = request.params as Static<typeof CollectionParams>;
      return mint(request.projectId, collectionId, request.body as Static<typeof MintBody>);
    },
  );

  app.put(
    "/collections/:collectionId/nfts/:id",
    {
      schema: {
        tags,
        summary: "Mint with a chosen id; repeating it never mints twice",
        params: NftParams,
        body: MintBody,
        response: errorResponses,
      },
    },
    async (request) => {
      const { collectionId, id } = request.params as Static<typeof NftParams>;
      return mint(request.projectId, collectionId, request.body as Static<typeof MintBody>, id);
    },
  );

  app.get(
    "/collections/:collectionId/nfts",
    {
      schema: {
        tags,
        summary: "List a collection's NFTs",
        params: CollectionParams,
        querystring: ListQuery,
        response: errorResponses,
      },
    },
    async (request) => {
      const { collectionId } = request.params as Static<typeof CollectionParams>;
      const { page, perPage } = request.query as { page: number; perPage: number };
      const collection = await collections.get(request.projectId, collectionId);
      const all = await nfts.list(request.projectId, collectionId, { limit: page * perPage });
      return all.data.slice((page - 1) * perPage).map((nft) => nftView(nft, collection));
    },
  );

  app.get(
    "/collections/:collectionId/nfts/:id",
    { schema: { tags, summary: "Read an NFT", params: NftParams, response: errorResponses } },
    async (request) => {
      const { collectionId, id } = request.params as Static<typeof NftParams>;
      const collection = await collections.get(request.projectId, collectionId);
      return nftView(await nfts.get(request.projectId, collectionId, id), collection);
    },
  );

  app.patch(
    "/collections/:collectionId/nfts/:id",
    {
      schema: {
        tags,
        summary: "Replace an NFT's metadata",
        params: NftParams,
        body: UpdateBody,
        response: errorResponses,
      },
    },
    async (request) => {
      const { collectionId, id } = request.params as Static<typeof NftParams>;
      const { metadata } = request.body as Static<typeof UpdateBody>;
      return actionView(
        await nfts.operate(request.projectId, collectionId, id, "update", metadata),
      );
    },
  );

  app.delete(
    "/collections/:collectionId/nfts/:id",
    { schema: { tags, summary: "Burn an NFT", params: NftParams, response: errorResponses } },
    async (request) => {
      const { collectionId, id } = request.params as Static<typeof NftParams>;
      return actionView(await nfts.operate(request.projectId, collectionId, id, "burn"));
    },
  );
}

/** Token metadata, public: the token URI of every NFT Herald mints points here. */
export async function metadataRoutes(app: FastifyInstance, { nfts }: { nfts: NftService }) {
  app.get(
    "/metadata/:projectId/:collectionId/:id",
    {
      schema: {
        tags,
        summary: "Token metadata (public)",
        params: Type.Object({ projectId: Id, collectionId: Id, id: Id }),
        response: errorResponses,
      },
    },
    async (request) => {
      const { projectId, collectionId, id } = request.params as {
        projectId: string;
        collectionId: string;
        id: string;
      };
      return nfts.publicMetadata(projectId, collectionId, id);
    },
  );
}

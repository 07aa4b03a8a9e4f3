import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type, type Static } from "@sinclair/typebox";
import type { CollectionService } from "../../../core/chain/collections.js";
import type { NftService } from "../../../core/chain/nfts.js";
import { Action } from "../actions/schemas.js";
import { actionView } from "../actions/views.js";
import { answer, errorResponses, ref } from "../shared.js";
import {
  BatchMintInput,
  BatchMintResult,
  CollectionParams,
  MintBody,
  ListQuery,
  MetadataParams,
  Nft,
  NftInput,
  NftList,
  NftParams,
  TokenMetadata,
  UpdateBody,
} from "./schemas.js";
import { mintResultView, nftView } from "./views.js";

const tags = ["NFTs"];

export const nftRoutes: FastifyPluginAsyncTypebox<{
  nfts: NftService;
  collections: CollectionService;
}> = async (app, { nfts, collections }) => {
  const mint = async (
    projectId: string,
    collectionId: string,
    body: Static<typeof NftInput>,
    key?: string,
  ) => {
    const input = { recipient: body.recipient, metadata: body.metadata, key };
    const { nft, collection } = await nfts.mint(projectId, collectionId, input);
    return nftView(
      nft,
      collection,
      nfts.actionUrl(nft.actionId),
      collections.onChainNames(collection.chain),
    );
  };
  const mintBatch = async (
    projectId: string,
    collectionId: string,
    body: Static<typeof BatchMintInput>,
  ) => {
    const inputs = body.nfts.map(({ recipient, metadata, id }) => ({
      recipient,
      metadata,
      key: id,
    }));
    const { results, collection } = await nfts.mintBatch(projectId, collectionId, inputs);
    return {
      results: results.map(({ nft }) =>
        mintResultView(nft, collection, collections.onChainNames(collection.chain)),
      ),
    };
  };
  const minting = answer(ref(Nft), "The NFT; its mint is an action");
  const operation = answer(ref(Action), "The operation, an action");

  app.post(
    "/collections/:collectionId/nfts",
    {
      schema: {
        tags,
        operationId: "mintNft",
        summary: "Mint an NFT, or a batch of them (`{nfts: [...]}`, up to 125)",
        params: CollectionParams,
        body: MintBody,
        response: {
          200: answer(
            Type.Union([ref(Nft), ref(BatchMintResult)]),
            "The NFT, or the batch's NFTs (`results`); each mint is an action",
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { projectId, body } = request;
      const { collectionId } = request.params;
      return "nfts" in body
        ? mintBatch(projectId, collectionId, body)
        : mint(projectId, collectionId, body);
    },
  );

  app.put(
    "/collections/:collectionId/nfts/:id",
    {
      schema: {
        tags,
        operationId: "mintNftWithId",
        summary: "Mint with a chosen id; repeating it never mints twice",
        params: NftParams,
        body: ref(NftInput),
        response: { 200: minting, ...errorResponses },
      },
    },
    async (request) => {
      const { collectionId, id } = request.params;
      return mint(request.projectId, collectionId, request.body, id);
    },
  );

  app.get(
    "/collections/:collectionId/nfts",
    {
      schema: {
        tags,
        operationId: "listNfts",
        summary: "List a collection's NFTs",
        params: CollectionParams,
        querystring: ListQuery,
        response: { 200: answer(ref(NftList), "One page of NFTs"), ...errorResponses },
      },
    },
    async (request) => {
      const { collectionId } = request.params;
      // Defaulted by the validator; the fallbacks only satisfy the type.
      const { page = 1, perPage = 20 } = request.query;
      const collection = await collections.get(request.projectId, collectionId);
      const all = await nfts.list(request.projectId, collectionId, { limit: page * perPage });
      return all.data
        .slice((page - 1) * perPage)
        .map((nft) =>
          nftView(
            nft,
            collection,
            nfts.actionUrl(nft.actionId),
            collections.onChainNames(collection.chain),
          ),
        );
    },
  );

  app.get(
    "/collections/:collectionId/nfts/:id",
    {
      schema: {
        tags,
        operationId: "getNft",
        summary: "Read an NFT",
        params: NftParams,
        response: { 200: answer(ref(Nft), "The NFT"), ...errorResponses },
      },
    },
    async (request) => {
      const { collectionId, id } = request.params;
      const collection = await collections.get(request.projectId, collectionId);
      const nft = await nfts.get(request.projectId, collectionId, id);
      return nftView(
        nft,
        collection,
        nfts.actionUrl(nft.actionId),
        collections.onChainNames(collection.chain),
      );
    },
  );

  app.patch(
    "/collections/:collectionId/nfts/:id",
    {
      schema: {
        tags,
        operationId: "updateNft",
        summary: "Replace an NFT's metadata",
        params: NftParams,
        body: UpdateBody,
        response: { 200: operation, ...errorResponses },
      },
    },
    async (request) => {
      const { collectionId, id } = request.params;
      const { metadata } = request.body;
      return actionView(
        await nfts.operate(request.projectId, collectionId, id, "update", metadata),
      );
    },
  );

  app.delete(
    "/collections/:collectionId/nfts/:id",
    {
      schema: {
        tags,
        operationId: "burnNft",
        summary: "Burn an NFT",
        params: NftParams,
        response: { 200: operation, ...errorResponses },
      },
    },
    async (request) => {
      const { collectionId, id } = request.params;
      return actionView(await nfts.operate(request.projectId, collectionId, id, "burn"));
    },
  );
};

/** Token metadata, public: the token URI of every NFT Herald mints points here. */
export const metadataRoutes: FastifyPluginAsyncTypebox<{ nfts: NftService }> = async (
  app,
  { nfts },
) => {
  app.get(
    "/metadata/:projectId/:collectionId/:id",
    {
      schema: {
        tags,
        operationId: "getTokenMetadata",
        summary: "Token metadata (public)",
        security: [],
        params: MetadataParams,
        response: {
          200: answer(ref(TokenMetadata), "The metadata"),
          400: errorResponses[400],
          404: errorResponses[404],
        },
      },
    },
    async (request) => {
      const { projectId, collectionId, id } = request.params;
      return nfts.publicMetadata(projectId, collectionId, id);
    },
  );
};

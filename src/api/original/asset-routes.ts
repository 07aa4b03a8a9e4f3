import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { NftService } from "../../core/chain/nfts.js";
import type { AssetState, OriginalAssetService } from "../../core/original/assets.js";
import {
  BurnBody,
  CreateAssetBody,
  CreatedAnswer,
  EditAssetBody,
  TransferBody,
  UidParams,
  UserUidQuery,
  answers,
} from "./schemas.js";
import { assetView, operationView } from "./views.js";

const tags = ["Original"];

/** Original's assets, transfers and burns (inside originalRoutes: its auth and errors apply). */
export const originalAssetRoutes: FastifyPluginAsyncTypebox<{
  assets: OriginalAssetService;
  nfts: NftService;
}> = async (app, { assets, nfts }) => {
  const assetAnswer = async (state: AssetState) =>
    assetView(
      state,
      {
        isEditing: await assets.busy(state, "edit"),
        isTransferring: await assets.busy(state, "transfer"),
        isBurning: await assets.busy(state, "burn"),
      },
      {
        explorer: nfts.url(state.collection.id, state.nft.id),
        tokenUri:
          state.nft.tokenUri ??
          nfts.metadataUrl(state.nft.projectId, state.collection.id, state.nft.id),
      },
    );

  app.post(
    "/asset",
    {
      schema: {
        tags,
        operationId: "originalCreateAsset",
        summary: "Create an asset for a user: minted to its wallet (asset.minted)",
        body: CreateAssetBody,
        response: { 201: CreatedAnswer },
      },
    },
    async (request, reply) => {
      const uid = await assets.create(request.projectId, request.body);
      return reply.code(201).send({ success: true as const, data: { uid } });
    },
  );

  app.get(
    "/asset/:uid",
    {
      schema: {
        tags,
        operationId: "originalGetAsset",
        summary: "An asset",
        params: UidParams,
        response: { 200: answers.asset },
      },
    },
    async (request) => ({
      success: true as const,
      data: await assetAnswer(await assets.state(request.projectId, request.params.uid)),
    }),
  );

  app.get(
    "/asset",
    {
      schema: {
        tags,
        operationId: "originalListAssets",
        summary: "The assets a user's wallets hold ([] for none)",
        querystring: UserUidQuery,
        response: { 200: answers.assets },
      },
    },
    async (request) => {
      const owned = await assets.ownedBy(request.projectId, request.query.user_uid);
      const data = [];
      for (const state of owned) data.push(await assetAnswer(state));
      return { success: true as const, data };
    },
  );

  app.put(
    "/asset/:uid",
    {
      schema: {
        tags,
        operationId: "originalEditAsset",
        summary: "Replace an asset's metadata (asset.edited)",
        params: UidParams,
        body: EditAssetBody,
        response: { 200: answers.edited },
      },
    },
    async (request) => {
      await assets.edit(request.projectId, request.params.uid, request.body.data);
      return { success: true as const, data: null };
    },
  );

  app.post(
    "/burn",
    {
      schema: {
        tags,
        operationId: "originalBurn",
        summary: "Burn a user's asset (asset.burned)",
        body: BurnBody,
        response: { 201: CreatedAnswer },
      },
    },
    async (request, reply) => {
      const { asset_uid, from_user_uid } = request.body;
      const uid = await assets.burn(request.projectId, asset_uid, from_user_uid);
      return reply.code(201).send({ success: true as const, data: { uid } });
    },
  );

  app.post(
    "/transfer",
    {
      schema: {
        tags,
        operationId: "originalTransfer",
        summary: "Transfer a user's asset to an address (asset.transferred)",
        body: TransferBody,
        response: { 201: CreatedAnswer },
      },
    },
    async (request, reply) => {
      const uid = await assets.transfer(request.projectId, request.body);
      return reply.code(201).send({ success: true as const, data: { uid } });
    },
  );

  // Each kind's reads: one by uid, a user's list (newest first).
  for (const [kind, name] of [
    ["burn", "Burn"],
    ["transfer", "Transfer"],
  ] as const) {
    app.get(
      `/${kind}/:uid`,
      {
        schema: {
          tags,
          operationId: `originalGet${name}`,
          summary: `A ${kind}`,
          params: UidParams,
          response: { 200: answers.operation },
        },
      },
      async (request) => {
        const found = await assets.operation(request.projectId, kind, request.params.uid);
        return { success: true as const, data: operationView(found, await assets.statusOf(found)) };
      },
    );

    app.get(
      `/${kind}`,
      {
        schema: {
          tags,
          operationId: `originalList${name}s`,
          summary: `A user's ${kind}s, newest first`,
          querystring: UserUidQuery,
          response: { 200: answers.operations },
        },
      },
      async (request) => {
        const found = await assets.operationsOf(request.projectId, kind, request.query.user_uid);
        const data = [];
        for (const operation of found)
          data.push(operationView(operation, await assets.statusOf(operation)));
        return { success: true as const, data };
      },
    );
  }
};

import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { OriginalAssetService } from "../../../core/original/assets.js";
import type { OriginalUserService } from "../../../core/original/users.js";
import { PageQuery, answer, errorResponses, page, ref } from "../shared.js";
import { OriginalAssetPage, OriginalUserPage } from "./schemas.js";
import { assetSummary, userSummary } from "./views.js";

const tags = ["Original (console)"];

/** The project's Original users and assets, for Herald's console (the project's API key). */
export const originalConsoleRoutes: FastifyPluginAsyncTypebox<{
  users: OriginalUserService;
  assets: OriginalAssetService;
}> = async (app, { users, assets }) => {
  app.get(
    "/original/users",
    {
      schema: {
        tags,
        operationId: "listOriginalUsers",
        summary: "The project's Original users, each with its wallet",
        querystring: Type.Object(PageQuery),
        response: { 200: answer(ref(OriginalUserPage), "A page of users"), ...errorResponses },
      },
    },
    async (request) => {
      const found = await users.list(request.projectId, page(request.query));
      return {
        data: found.data.map((u) => userSummary(u.user, found.chain, u.walletAddress)),
        nextCursor: found.nextCursor,
      };
    },
  );

  app.get(
    "/original/assets",
    {
      schema: {
        tags,
        operationId: "listOriginalAssets",
        summary: "The project's Original assets, each with its NFT's state",
        querystring: Type.Object(PageQuery),
        response: { 200: answer(ref(OriginalAssetPage), "A page of assets"), ...errorResponses },
      },
    },
    async (request) => {
      const found = await assets.list(request.projectId, page(request.query));
      return {
        data: found.data.map((a) => assetSummary(a.asset, a.nft)),
        nextCursor: found.nextCursor,
      };
    },
  );
};

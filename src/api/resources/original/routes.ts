import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { OriginalAssetService } from "../../../core/original/assets.js";
import type { OriginalUserService } from "../../../core/original/users.js";
import type { OriginalRewardService } from "../../../core/original/rewards.js";
import { PageQuery, answer, errorResponses, page, ref } from "../shared.js";
import {
  OriginalAssetPage,
  OriginalRewardPage,
  OriginalUserPage,
  RewardOperationSummary,
} from "./schemas.js";
import { assetSummary, rewardOperationSummary, rewardSummary, userSummary } from "./views.js";

const tags = ["Original (console)"];

/** The project's Original users and assets, for Herald's console (the project's API key). */
export const originalConsoleRoutes: FastifyPluginAsyncTypebox<{
  users: OriginalUserService;
  assets: OriginalAssetService;
  rewards: OriginalRewardService;
}> = async (app, { users, assets, rewards }) => {
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

  app.get(
    "/original/rewards",
    {
      schema: {
        tags,
        operationId: "listOriginalRewards",
        summary: "The project's Original rewards (rewards contracts)",
        querystring: Type.Object(PageQuery),
        response: { 200: answer(ref(OriginalRewardPage), "A page of rewards"), ...errorResponses },
      },
    },
    async (request) => {
      const found = await rewards.list(request.projectId, page(request.query));
      const data = [];
      for (const reward of found.data)
        data.push(rewardSummary(reward, (await rewards.withdrawOf(reward)) !== null));
      return { data, nextCursor: found.nextCursor };
    },
  );

  app.get(
    "/original/rewards/:uid/operations",
    {
      schema: {
        tags,
        operationId: "listOriginalRewardOperations",
        summary: "A reward's latest allocations, claims or withdraws (at most 1,000), newest first",
        params: Type.Object({ uid: Type.String({ minLength: 1, maxLength: 100 }) }),
        querystring: Type.Object({
          kind: Type.Union([
            Type.Literal("allocation"),
            Type.Literal("claim"),
            Type.Literal("withdraw"),
          ]),
        }),
        response: {
          200: answer(
            Type.Object({ data: Type.Array(ref(RewardOperationSummary)) }),
            "The operations",
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const reward = await rewards.get(request.projectId, request.params.uid);
      const found = await rewards.operationsOf(request.projectId, request.query.kind, {
        rewardId: reward.id,
      });
      return { data: found.map(rewardOperationSummary) };
    },
  );
};

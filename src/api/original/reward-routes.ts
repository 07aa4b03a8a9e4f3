import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ChainRegistry } from "../../core/chain/chains.js";
import type { OriginalReward, RewardOperation } from "../../core/interfaces.js";
import { formatAmount } from "../../core/policy/token-amounts.js";
import type { OriginalRewardService } from "../../core/original/rewards.js";
import { fieldError } from "../../core/original/users.js";
import {
  AllocateBody,
  BalanceQuery,
  ClaimBody,
  CreateRewardBody,
  OperationsQuery,
  WithdrawBody,
  rewardAnswers,
} from "./reward-schemas.js";
import { rewardOperationView, rewardView } from "./reward-views.js";
import { CreatedAnswer, UidParams } from "./schemas.js";

const tags = ["Original"];

/** Original's rewards: the reward (created here: Herald's extension), allocations, claims,
 * balances, and Herald's withdraws (inside originalRoutes: its auth and errors apply). */
export const originalRewardRoutes: FastifyPluginAsyncTypebox<{
  rewards: OriginalRewardService;
  chains: ChainRegistry;
}> = async (app, { rewards, chains }) => {
  const rewardAnswer = async (reward: OriginalReward) =>
    rewardView(
      reward,
      chains.get(reward.chain) ?? null,
      rewards.url(`/reward/${reward.id}`),
      (await rewards.withdrawOf(reward)) !== null,
    );
  const created = (operation: { id: string }) => ({
    success: true as const,
    data: { uid: operation.id },
  });
  /** The user a body names, under Original's field or the `user_uid` its curl examples send. */
  const userOf = (field: string, named: string | undefined, alias: string | undefined) => {
    const uid = named ?? alias;
    if (uid === undefined) throw fieldError(field, "This field is required.");
    return uid;
  };

  app.post(
    "/reward",
    {
      schema: {
        tags,
        operationId: "originalCreateReward",
        summary: "Herald's extension: deploy a rewards contract (what Original's console does)",
        body: CreateRewardBody,
        response: { 201: CreatedAnswer },
      },
    },
    async (request, reply) =>
      reply.code(201).send(created(await rewards.create(request.projectId, request.body))),
  );

  app.get(
    "/reward/:uid",
    {
      schema: {
        tags,
        operationId: "originalGetReward",
        summary: "A reward",
        params: UidParams,
        response: { 200: rewardAnswers.reward },
      },
    },
    async (request) => ({
      success: true as const,
      data: await rewardAnswer(await rewards.get(request.projectId, request.params.uid)),
    }),
  );

  // Original's pages name the allocation routes both /reward/allocate and /reward/allocation;
  // its SDKs use /reward/allocate. Both are served.
  for (const path of ["/reward/allocate", "/reward/allocation"]) {
    const alias = path.endsWith("allocation");
    app.post(
      path,
      {
        schema: {
          tags,
          operationId: alias ? "originalAllocateAlias" : "originalAllocate",
          summary:
            "Allocate tokens of a reward to a user (reward.allocated); a nonce allocates once",
          body: AllocateBody,
          response: { 200: CreatedAnswer, 201: CreatedAnswer },
        },
      },
      async (request, reply) => {
        const { to_user_uid, user_uid, ...rest } = request.body;
        const { created: isNew, operation } = await rewards.allocate(request.projectId, {
          ...rest,
          to_user_uid: userOf("to_user_uid", to_user_uid, user_uid),
        });
        // A repeated nonce: the same allocation, nothing new.
        return reply.code(isNew ? 201 : 200).send(created(operation));
      },
    );
  }

  /** A get and a list route for each kind of operation. */
  const readRoutes = (kind: RewardOperation["kind"], paths: string[], name: string) => {
    const one = rewardAnswers[kind];
    const many = rewardAnswers[`${kind}s`];
    for (const path of paths) {
      const suffix = path === paths[0] ? "" : "Alias";
      app.get(
        `${path}/:uid`,
        {
          schema: {
            tags,
            operationId: `originalGet${name}${suffix}`,
            summary: `A ${kind}`,
            params: UidParams,
            response: { 200: one },
          },
        },
        async (request) => ({
          success: true as const,
          data: rewardOperationView(
            await rewards.operation(request.projectId, kind, request.params.uid),
          ),
        }),
      );
      app.get(
        path,
        {
          schema: {
            tags,
            operationId: `originalList${name}s${suffix}`,
            summary: `A user's ${kind}s (?user_uid=) or a reward's (?reward_uid=), newest first`,
            querystring: OperationsQuery,
            response: { 200: many },
          },
        },
        async (request) => {
          const { user_uid, reward_uid } = request.query;
          if (!user_uid && !reward_uid)
            throw fieldError("user_uid", "Give a user_uid or a reward_uid.");
          const found = await rewards.operationsOf(request.projectId, kind, {
            ...(user_uid ? { userUid: user_uid } : {}),
            ...(reward_uid ? { rewardId: reward_uid } : {}),
          });
          return { success: true as const, data: found.map(rewardOperationView) };
        },
      );
    }
  };
  readRoutes("allocation", ["/reward/allocate", "/reward/allocation"], "Allocation");
  readRoutes("claim", ["/reward/claim"], "Claim");
  readRoutes("withdraw", ["/reward/withdraw"], "Withdraw");

  app.post(
    "/reward/claim",
    {
      schema: {
        tags,
        operationId: "originalClaim",
        summary: "Send a user's reward tokens to its address (reward.claimed)",
        body: ClaimBody,
        response: { 201: CreatedAnswer },
      },
    },
    async (request, reply) => {
      const { from_user_uid, user_uid, ...rest } = request.body;
      const operation = await rewards.claim(request.projectId, {
        ...rest,
        from_user_uid: userOf("from_user_uid", from_user_uid, user_uid),
      });
      return reply.code(201).send(created(operation));
    },
  );

  app.post(
    "/reward/withdraw",
    {
      schema: {
        tags,
        operationId: "originalWithdraw",
        summary: "Herald's extension: close a reward, its pool to its receiver (reward.withdrawn)",
        body: WithdrawBody,
        response: { 201: CreatedAnswer },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(created(await rewards.withdraw(request.projectId, request.body.reward_uid))),
  );

  app.get(
    "/reward/balance",
    {
      schema: {
        tags,
        operationId: "originalRewardBalance",
        summary: "What a user holds of a reward",
        querystring: BalanceQuery,
        response: { 200: rewardAnswers.balance },
      },
    },
    async (request) => {
      const { reward_uid, user_uid } = request.query;
      const units = await rewards.balance(request.projectId, reward_uid, user_uid);
      return {
        success: true as const,
        data: { reward_uid, user_uid, amount: formatAmount(units) },
      };
    },
  );
};

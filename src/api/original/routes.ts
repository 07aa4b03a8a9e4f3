import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { CollectionService } from "../../core/chain/collections.js";
import type { WalletService } from "../../core/chain/wallets.js";
import type { ChainRegistry } from "../../core/chain/chains.js";
import type { OriginalUser } from "../../core/interfaces.js";
import type { OriginalKeys } from "../../core/original/keys.js";
import { networkOf } from "../../core/original/app.js";
import type { OriginalUserService } from "../../core/original/users.js";
import type { OriginalAssetService } from "../../core/original/assets.js";
import type { NftService } from "../../core/chain/nfts.js";
import { HeraldError } from "../../core/errors.js";
import { requireOriginalAuth } from "./auth.js";
import { originalAssetRoutes } from "./asset-routes.js";
import { originalRewardRoutes } from "./reward-routes.js";
import type { OriginalRewardService } from "../../core/original/rewards.js";
import { handleOriginalError } from "./errors.js";
import {
  CreateUserBody,
  CreatedAnswer,
  DepositQuery,
  UidParams,
  UserQuery,
  answers,
} from "./schemas.js";
import { collectionView, userView, walletView } from "./views.js";

const tags = ["Original"];

export interface OriginalRouteOptions {
  keys: OriginalKeys;
  users: OriginalUserService;
  assets: OriginalAssetService;
  rewards: OriginalRewardService;
  nfts: NftService;
  wallets: WalletService;
  collections: CollectionService;
  chains: ChainRegistry;
}

/** Original's API under /original/v1: its authentication, its paths, its `{success, data}`;
 * users, collections and deposits here, assets in asset-routes.ts. */
export const originalRoutes: FastifyPluginAsyncTypebox<OriginalRouteOptions> = async (
  app,
  { keys, users, assets, rewards, nfts, wallets, collections, chains },
) => {
  app.setErrorHandler(handleOriginalError);
  app.addHook("onRequest", requireOriginalAuth(keys));

  /** A chain taken out of HERALD_CHAINS since: its records are still there, its id is not. */
  const chainOf = (name: string) => {
    const chain = chains.get(name);
    if (!chain)
      throw new HeraldError("invalid", `the chain ${name} is not configured on this Herald`);
    return chain;
  };
  const userAnswer = async (user: OriginalUser) => {
    // Wallets on chains no longer configured are left out.
    const owned = (await users.walletsOf(user)).filter((w) => chains.get(w.chain));
    const primary = owned.find((w) => w.chain === users.chain().name) ?? null;
    return userView(
      user,
      owned.map((w) => walletView(w, chainOf(w.chain), wallets.url(w))),
      primary?.address ?? null,
    );
  };

  app.post(
    "/user",
    {
      schema: {
        tags,
        operationId: "originalCreateUser",
        summary: "Create an app user (its wallet is created at once: wallet.created)",
        body: CreateUserBody,
        response: { 201: CreatedAnswer },
      },
    },
    async (request, reply) => {
      const user = await users.create(request.projectId, request.body ?? {});
      return reply.code(201).send({ success: true as const, data: { uid: user.id } });
    },
  );

  app.get(
    "/user/:uid",
    {
      schema: {
        tags,
        operationId: "originalGetUser",
        summary: "An app user by uid",
        params: UidParams,
        response: { 200: answers.user },
      },
    },
    async (request) => ({
      success: true as const,
      data: await userAnswer(await users.get(request.projectId, request.params.uid)),
    }),
  );

  app.get(
    "/user",
    {
      schema: {
        tags,
        operationId: "originalFindUser",
        summary: "An app user by email or user_external_id (data: null when none)",
        querystring: UserQuery,
        response: { 200: answers.foundUser },
      },
    },
    async (request) => {
      const user = await users.findBy(request.projectId, request.query);
      // Original answers a lookup that finds nothing with 200, success false and data null.
      return user
        ? { success: true as const, data: await userAnswer(user) }
        : { success: false, data: null };
    },
  );

  app.get(
    "/collection/:uid",
    {
      schema: {
        tags,
        operationId: "originalGetCollection",
        summary: "A collection (Herald's collections are Original's)",
        params: UidParams,
        response: { 200: answers.collection },
      },
    },
    async (request) => {
      const collection = await collections.get(request.projectId, request.params.uid);
      return {
        success: true as const,
        data: collectionView(collection, chainOf(collection.chain), collections.url(collection.id)),
      };
    },
  );

  app.get(
    "/deposit",
    {
      schema: {
        tags,
        operationId: "originalDeposit",
        summary: "Where a user receives assets: its wallet on the collection's chain",
        querystring: DepositQuery,
        response: { 200: answers.deposit },
      },
    },
    async (request) => {
      const { user_uid, collection_uid } = request.query;
      const user = await users.get(request.projectId, user_uid);
      const chainName = collection_uid
        ? (await collections.get(request.projectId, collection_uid)).chain
        : users.chain().name;
      const chain = chains.get(chainName);
      if (!chain) throw new HeraldError("invalid", `the chain ${chainName} is not configured`);
      const { wallet } = await wallets.ensure(request.projectId, { userId: user.id }, chain.name);
      return {
        success: true as const,
        data: {
          network: networkOf(chain.name),
          chain_id: chain.chainId,
          wallet_address: wallet.address,
          qr_code_data: `ethereum:${wallet.address}@${chain.chainId}`,
        },
      };
    },
  );

  await app.register(originalAssetRoutes, { assets, nfts });
  await app.register(originalRewardRoutes, { rewards, chains });
};

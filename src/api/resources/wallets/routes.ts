import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { WalletService } from "../../../core/chain/wallets.js";
import { answer, errorResponses, ref } from "../shared.js";
import {
  CreateWalletInput,
  OwnedWallet,
  OwnerQuery,
  Wallet,
  WalletList,
  WalletNftList,
  WalletNftsQuery,
  WalletParams,
} from "./schemas.js";
import { ownedWalletView, walletNftView, walletView } from "./views.js";

const tags = ["Wallets"];

/** Crossmint's custodial wallet API, under /api/v1-alpha1. */
export const walletRoutes: FastifyPluginAsyncTypebox<{ wallets: WalletService }> = async (
  app,
  { wallets },
) => {
  app.post(
    "/wallets",
    {
      schema: {
        tags,
        operationId: "createWallet",
        summary: "Create the custodial wallet of an email or a user id on a chain",
        body: ref(CreateWalletInput),
        response: {
          200: answer(ref(Wallet), "The wallet already existed"),
          201: answer(ref(Wallet), "The wallet was created (wallets.create.succeeded is sent)"),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { email, userId, chain } = request.body;
      const { created, wallet } = await wallets.create(request.projectId, { email, userId }, chain);
      return reply.code(created ? 201 : 200).send(walletView(wallet));
    },
  );

  app.get(
    "/wallets",
    {
      schema: {
        tags,
        operationId: "listOwnerWallets",
        summary: "An owner's wallets, one per chain (`?email=` or `?userId=`)",
        querystring: OwnerQuery,
        response: { 200: answer(ref(WalletList), "The wallets; [] when none"), ...errorResponses },
      },
    },
    async (request) => {
      const { email, userId } = request.query;
      return (await wallets.listOf(request.projectId, { email, userId })).map(walletView);
    },
  );
};

/** A wallet by its identifier, and the NFTs it holds, under /api/2022-06-09. */
export const walletIdentifierRoutes: FastifyPluginAsyncTypebox<{ wallets: WalletService }> = async (
  app,
  { wallets },
) => {
  app.get(
    "/wallets/:identifier",
    {
      schema: {
        tags,
        operationId: "getWallet",
        summary: "A custodial wallet and its owner (where wallets.create.succeeded points)",
        params: WalletParams,
        response: { 200: answer(ref(OwnedWallet), "The wallet"), ...errorResponses },
      },
    },
    async (request) =>
      ownedWalletView(await wallets.find(request.projectId, request.params.identifier)),
  );

  app.get(
    "/wallets/:identifier/nfts",
    {
      schema: {
        tags,
        operationId: "listWalletNfts",
        summary: "The NFTs Herald minted (or saw move) that a wallet holds now, newest first",
        params: WalletParams,
        querystring: WalletNftsQuery,
        response: { 200: answer(ref(WalletNftList), "One page of NFTs"), ...errorResponses },
      },
    },
    async (request) => {
      // Defaulted by the validator; the fallbacks only satisfy the type.
      const { page = 1, perPage = 20 } = request.query;
      const { identifier } = request.params;
      const held = await wallets.nftsOf(request.projectId, identifier, { page, perPage });
      return held.nfts.map((nft) => walletNftView(held.chain, nft, held.names));
    },
  );
};

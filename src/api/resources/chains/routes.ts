import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ChainStatusService } from "../../../core/chain/chain-status.js";
import { answer, errorResponses, ref } from "../shared.js";
import { ChainList } from "./schemas.js";

export const chainRoutes: FastifyPluginAsyncTypebox<{ chainStatus: ChainStatusService }> = async (
  app,
  { chainStatus },
) => {
  app.get(
    "/chains",
    {
      schema: {
        tags: ["Chains"],
        operationId: "listChains",
        summary: "The configured chains: head, signers, balances, nonces and pending jobs",
        response: { 200: answer(ref(ChainList), "Every chain"), 401: errorResponses[401] },
      },
    },
    async (request) => ({ data: await chainStatus.list(request.projectId) }),
  );
};

import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import { API_PREFIX, WALLETS_API_PREFIX } from "./paths.js";

// The OpenAPI document's frame; its paths and components come from the routes' schemas.
// Served at /openapi.json and checked in as docs/openapi.json (`npm run openapi`).

export const swaggerOptions: FastifyDynamicSwaggerOptions = {
  openapi: {
    info: {
      title: "Herald API",
      version: "2022-06-09",
      description: `Action status and signed webhooks. Every path under \`${API_PREFIX}\` and \`${WALLETS_API_PREFIX}\` takes the project's API key in the \`x-api-key\` header. Any request that queues chain work may set \`x-herald-max-fee-per-gas\` (gwei as decimal text): its transactions offer no more per gas than that and the chain's own ceiling, and wait rather than pay more (EVM chains).`,
    },
    components: {
      securitySchemes: {
        apiKey: { type: "apiKey", in: "header", name: "x-api-key" },
        adminToken: {
          type: "http",
          scheme: "bearer",
          description: "HERALD_ADMIN_TOKEN; without it set, the admin routes answer 404",
        },
      },
    },
    security: [{ apiKey: [] }],
    tags: [
      {
        name: "Endpoints",
        description: "Where events go (HTTPS, Amazon SQS, RabbitMQ), their secrets and health",
      },
      { name: "Events", description: "Publishing events; their deliveries and every attempt" },
      { name: "Actions", description: "Asynchronous operations, from submission to completion" },
      { name: "Collections", description: "NFT collections Herald deploys (Crossmint's API)" },
      { name: "NFTs", description: "Minting, editing and burning tokens (Crossmint's API)" },
      {
        name: "Wallets",
        description:
          "Custodial wallets of emails and user ids, and what they hold (Crossmint's API)",
      },
      {
        name: "Chains",
        description: "The chains Herald runs: heads, signers, balances, pending work",
      },
      {
        name: "Admin",
        description: "Projects and API keys; also served without the version prefix",
      },
    ],
  },
  // Named schemas are components under their own names (not def-0, def-1, …).
  refResolver: {
    buildLocalReference: (json, _baseUri, _fragment, i) =>
      typeof json.$id === "string" ? json.$id : `def-${i}`,
  },
};

// Fastify 4 or 5, de-duplicating in Redis; ed25519 (v1a) signatures from a `whpk_` key.
// Run: WEBHOOK_PUBLIC_KEY=whpk_... node --import tsx fastify.ts
// In your application: import { fastifyWebhooks, RedisStore } from "@herald/receiver";
import Fastify from "fastify";
import { Redis } from "ioredis";
import { fastifyWebhooks, RedisStore } from "../src/index.js";

const app = Fastify({ logger: true });
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");

// The plugin keeps the raw body in its own context only: other routes still parse JSON.
await app.register(
  fastifyWebhooks(
    {
      publicKey: process.env.WEBHOOK_PUBLIC_KEY!,
      store: new RedisStore(redis, { prefix: "webhook:" }),
      // Acknowledge at once, work afterwards (the work must then be safe to lose on a crash).
      mode: "ack-first",
      handler: async ({ id, type }) => app.log.info({ id, type }, "webhook"),
      onError: (error, webhook) => app.log.error({ err: error, id: webhook?.id }, "webhook failed"),
    },
    { path: "/webhooks" },
  ),
);

await app.listen({ port: 3000 });

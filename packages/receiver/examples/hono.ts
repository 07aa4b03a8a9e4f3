// Hono 4: any runtime with node:crypto (Node via @hono/node-server, Bun, Deno).
// In your application: import { fetchHandler } from "@herald/receiver";
import { Hono } from "hono";
import { fetchHandler } from "../src/index.js";

const webhooks = fetchHandler({
  secret: process.env.WEBHOOK_SECRET!,
  // The default store is in memory: enough for one long-running process.
  handler: async ({ id, type }) => console.log("webhook", id, type),
});

const app = new Hono();
app.post("/webhooks", (c) => webhooks(c.req.raw));

// Bun and Deno serve the default export; on Node: `serve(app)` from @hono/node-server.
export default app;

// A Next.js route handler (App Router): save as app/api/webhooks/route.ts.
// In your application: import { fetchHandler, PostgresStore } from "@herald/receiver";
import pg from "pg";
import { fetchHandler, PostgresStore } from "../src/index.js";

// node:crypto verifies the signatures: the Node.js runtime, not the Edge runtime.
export const runtime = "nodejs";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

// Serverless instances share nothing in memory: de-duplicate in a shared store.
export const POST = fetchHandler({
  secret: process.env.WEBHOOK_SECRET!,
  store: new PostgresStore(pool),
  // Below the sender's 15 s: past it the answer is 503 and the sender retries.
  deadlineMs: 10_000,
  handler: async ({ type, payload }) => {
    console.log(type, payload);
  },
});

// Express 4 or 5, de-duplicating in PostgreSQL (every instance of the app shares it).
// Run: WEBHOOK_SECRET=whsec_... DATABASE_URL=postgres://... node --import tsx express.ts
// In your application: import { expressWebhooks, PostgresStore } from "@herald/receiver";
import express from "express";
import pg from "pg";
import { expressWebhooks, PostgresStore } from "../src/index.js";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

// The signature covers the raw bytes: the webhook route gets express.raw (or no parser at all),
// never express.json(). Mount it before an app-wide express.json().
app.post(
  "/webhooks",
  express.raw({ type: "*/*" }),
  expressWebhooks({
    // Two secrets while rotating: the old one keeps verifying until the sender stops using it.
    secret: process.env.WEBHOOK_SECRET!.split(","),
    store: new PostgresStore(pool),
    handler: async ({ id, type, payload }) => {
      // Throwing here answers 500: the sender retries, and the retry runs this again.
      await pool.query("INSERT INTO events_seen (webhook_id, type, body) VALUES ($1, $2, $3)", [
        id,
        type,
        payload,
      ]);
    },
  }),
);

app.use(express.json()); // the rest of the app
app.listen(3000);

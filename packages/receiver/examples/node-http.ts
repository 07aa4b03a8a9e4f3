// node:http, de-duplicating in a SQLite file (one machine; several processes may share it).
// Run: WEBHOOK_SECRET=whsec_... node --import tsx node-http.ts
// In your application: import { nodeHandler, SqliteStore } from "@herald/receiver";
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { nodeHandler, SqliteStore } from "../src/index.js";

type NftEvent = { type: string; actionId?: string; data: Record<string, unknown> };

const db = new Database("webhooks.db");
db.pragma("journal_mode = WAL");

const webhooks = nodeHandler<NftEvent>({
  secret: process.env.WEBHOOK_SECRET!,
  store: new SqliteStore(db),
  handler: async ({ id, type, payload }) => {
    console.log(`webhook ${id}: ${type}`, payload.data);
  },
});

createServer((req, res) => {
  if (req.url === "/webhooks") return void webhooks(req, res);
  res.writeHead(404).end();
}).listen(3000);

// npm run bench -- --receiver: what @herald/receiver (packages/receiver) costs per webhook.
//
// 1. In process: `receiver.receive()` on distinct pre-signed webhooks, one at a time, with each
//    de-dup store (none, memory, SQLite file, PostgreSQL, Redis): verification + claim +
//    complete, in µs per webhook.
// 2. Over HTTP: the node:http adapter with each store beside a bare node:http server that reads
//    the body and answers 200, in the same run, same client (undici, 16 connections, in this
//    process): µs per request and the ratio to the bare server.
//
// PostgreSQL (--database-url) and Redis (--redis-url) are skipped, with a note, when unreachable.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Redis } from "ioredis";
import pg from "pg";
import { Pool } from "undici";
import {
  createReceiver,
  generateSecret,
  MemoryStore,
  nodeHandler,
  PostgresStore,
  RedisStore,
  signHeaders,
  SqliteStore,
  type DedupStore,
} from "../packages/receiver/src/index.js";

export interface ReceiverBenchOptions {
  databaseUrl: string;
  redisUrl: string;
  /** At most this many webhooks per round (each round lasts 250 ms otherwise); default 5000. */
  webhooks?: number;
}

type Signed = { body: string; headers: Record<string, string> };

const run = `${process.pid}_${Date.now()}`;

/** Distinct webhooks, signed now, with a body of the size of a Crossmint NFT event. */
function signedWebhooks(secret: string, count: number, tag: string): Signed[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const body = JSON.stringify({
      type: "nfts.create.succeeded",
      actionId: `0x${i.toString(16).padStart(8, "0")}-${tag}`,
      data: {
        collectionId: "default-polygon",
        id: `nft-${tag}-${i}`,
        metadata: { name: `Token #${i}`, image: "https://example.com/nft.png", description: "" },
        onChain: {
          status: "success",
          chain: "polygon",
          tokenId: String(i),
          txId: `0x${"ab".repeat(32)}`,
        },
      },
    });
    return { body, headers: signHeaders(secret, `msg_${tag}_${i}`, timestamp, body) };
  });
}

type StoreCase = { name: string; store: DedupStore | null; close: () => Promise<void> };

/** The stores to measure; the shared ones only if their server answers. */
async function openStores(options: ReceiverBenchOptions): Promise<StoreCase[]> {
  const cases: StoreCase[] = [
    { name: "verify only (store: null)", store: null, close: async () => {} },
    { name: "memory", store: new MemoryStore(), close: async () => {} },
  ];
  const dir = mkdtempSync(join(tmpdir(), "bench-receiver-"));
  const db = new Database(join(dir, "receipts.db"));
  db.pragma("journal_mode = WAL");
  cases.push({
    name: "SQLite (file, WAL)",
    store: new SqliteStore(db),
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 16 });
  const table = `bench_receiver_${run}`;
  try {
    const store = new PostgresStore(pool, { table });
    await store.init();
    cases.push({
      name: "PostgreSQL",
      store,
      close: async () => {
        await pool.query(`DROP TABLE IF EXISTS ${table}`);
        await pool.end();
      },
    });
  } catch (error) {
    console.error(`receiver bench: PostgreSQL skipped (${(error as Error).message})`);
    await pool.end().catch(() => {});
  }
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  const prefix = `bench-receiver:${run}:`;
  try {
    await redis.connect();
    cases.push({
      name: "Redis",
      store: new RedisStore(redis, { prefix }),
      close: async () => {
        for (;;) {
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length === 0) break;
          await redis.del(...keys.slice(0, 1000));
        }
        await redis.quit();
      },
    });
  } catch (error) {
    console.error(`receiver bench: Redis skipped (${(error as Error).message})`);
    redis.disconnect();
  }
  return cases;
}

async function listen(listener: RequestListener): Promise<{ url: string; server: Server }> {
  const server = createServer(listener);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const ROUNDS = 3;
const ROUND_MS = 250;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Sends the webhooks, 16 at a time, until all are sent or `budgetMs` has passed; answers the
 * µs per request (wall clock).
 */
async function load(url: string, webhooks: Signed[], budgetMs = Infinity): Promise<number> {
  const client = new Pool(url, { connections: 16 });
  let next = 0;
  let done = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < webhooks.length; i = next++) {
        if (performance.now() - started > budgetMs) break;
        const { body, headers } = webhooks[i]!;
        const response = await client.request({
          path: "/webhooks",
          method: "POST",
          headers: { "content-type": "application/json", ...headers },
          body,
        });
        await response.body.dump();
        if (response.statusCode !== 200) failed++;
        done++;
      }
    }),
  );
  const micros = ((performance.now() - started) * 1000) / done;
  await client.close();
  if (failed > 0) throw new Error(`${failed} of ${done} requests were not answered 200`);
  return micros;
}

/** One at a time through `receiver.receive`, until all are done or `budgetMs` has passed. */
async function receiveAll(
  receiver: ReturnType<typeof createReceiver>,
  webhooks: Signed[],
  budgetMs: number,
): Promise<number> {
  let done = 0;
  const started = performance.now();
  for (const w of webhooks) {
    if (performance.now() - started > budgetMs) break;
    const answer = await receiver.receive(w.headers, w.body);
    if (answer.status !== 200) throw new Error(`${answer.status} ${answer.body}`);
    done++;
  }
  return ((performance.now() - started) * 1000) / done;
}

const pad = (text: string, width: number) => text.padEnd(width);
const num = (value: number, width = 9) => value.toFixed(1).padStart(width);

export async function measureReceiverPackage(options: ReceiverBenchOptions): Promise<void> {
  const MAX = options.webhooks ?? 5000;
  const secret = generateSecret();
  const stores = await openStores(options);
  const started = performance.now();
  try {
    console.log(
      `\n@herald/receiver in process: receive() one at a time; median of ${ROUNDS} rounds of ${ROUND_MS} ms (at most ${MAX} webhooks)`,
    );
    console.log(`${pad("store", 28)}${"µs/webhook".padStart(11)}${"de-dup µs".padStart(11)}`);
    let verifyOnly = 0;
    for (const [index, { name, store }] of stores.entries()) {
      const receiver = createReceiver({ secret, store, handler: () => {} });
      await receiveAll(receiver, signedWebhooks(secret, 1000, `warm${index}`), ROUND_MS);
      const rounds: number[] = [];
      for (let round = 0; round < ROUNDS; round++)
        rounds.push(
          await receiveAll(receiver, signedWebhooks(secret, MAX, `in${index}.${round}`), ROUND_MS),
        );
      const micros = median(rounds);
      if (store === null) verifyOnly = micros;
      const dedup = store === null ? "" : num(micros - verifyOnly, 11);
      console.log(`${pad(name, 28)}${num(micros, 11)}${dedup}`);
    }

    console.log(
      `\n@herald/receiver over HTTP: 16 connections (undici, in this process); median of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms`,
    );
    console.log(`${pad("server", 40)}${"µs/request".padStart(11)}${"req/s".padStart(9)}  ratio`);
    const bare = await listen((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
    });
    const servers: Array<{ name: string; url: string; server: Server; rounds: number[] }> = [
      { name: "bare node:http 200 (reference)", ...bare, rounds: [] },
    ];
    for (const { name, store } of stores)
      servers.push({
        name: `nodeHandler, ${name}`,
        ...(await listen(nodeHandler({ secret, store, handler: () => {} }))),
        rounds: [],
      });
    for (const [index, { url }] of servers.entries())
      await load(url, signedWebhooks(secret, 2000, `hwarm${index}`), ROUND_MS);
    for (let round = 0; round < ROUNDS; round++)
      for (const [index, server] of servers.entries())
        server.rounds.push(
          await load(server.url, signedWebhooks(secret, MAX, `http${index}.${round}`), ROUND_MS),
        );
    const reference = median(servers[0]!.rounds);
    for (const { name, rounds } of servers) {
      const micros = median(rounds);
      console.log(
        `${pad(name, 40)}${num(micros, 11)}${String(Math.round(1e6 / micros)).padStart(9)}  ${(micros / reference).toFixed(2)}`,
      );
    }
    for (const { server } of servers) {
      server.closeAllConnections();
      server.close();
    }
  } finally {
    for (const { close } of stores) await close();
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

// npm run bench [-- --events N --endpoints E]: Herald's delivery throughput and latency beside
// the raw HTTP ceiling of the same receiver, measured in the same run on the same machine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { Agent, request } from "undici";
import { startChildHerald } from "./child.js";
import { measureMintCeiling } from "./mint-ceiling.js";
import { measureMints } from "./mints.js";
import { BenchReceiver } from "./receiver.js";
import { fmt, runPool, summarize } from "./stats.js";

const options = new Command()
  .option("--events <n>", "events to publish", "20000")
  .option("--endpoints <n>", "endpoints each event fans out to", "1")
  .option("--batch <n>", "events per publish request (POST /events/batch); 1: POST /events", "50")
  .option("--publish-concurrency <n>", "publish requests in flight", "8")
  .option("--latency-seconds <n>", "length of the latency phase", "5")
  .option("--mints <n>", "NFTs minted on the embedded chain (0: skip)", "500")
  .parse()
  .opts<{
    mints: string;
    events: string;
    endpoints: string;
    batch: string;
    publishConcurrency: string;
    latencySeconds: string;
  }>();
const BATCH = Math.max(1, Number(options.batch));

const EVENTS = Number(options.events);
const ENDPOINTS = Number(options.endpoints);
const CONCURRENCY = 128;
const ENDPOINT_CONCURRENCY = 64;
const EFFECTIVE_CONCURRENCY = Math.min(CONCURRENCY, ENDPOINT_CONCURRENCY * ENDPOINTS);
const API_KEY = "hk_bench_key_0123456789abcdef";
const SAMPLE_BODY = JSON.stringify({
  id: "01a205e3-a835-7262-bf41-262bd7e46caa",
  type: "nfts.create.succeeded",
  data: {
    seq: 0,
    chain: "polygon",
    txId: "0x" + "a".repeat(64),
    token: { id: "x", tokenId: "15" },
  },
  timestamp: Date.now(),
});

function bar(label: string, total: number) {
  const b = new SingleBar(
    {
      format: `${label.padEnd(22)} {bar} {value}/{total} {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  b.start(total, 0);
  return b;
}

/** The ceiling: the same receiver, driven directly by undici at Herald's concurrency. */
async function measureCeiling(receiver: BenchReceiver, count: number): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const progress = bar("raw HTTP ceiling", count);
  const started = performance.now();
  await runPool(count, EFFECTIVE_CONCURRENCY, async (i) => {
    const res = await request(`${receiver.url}/ep/0`, {
      method: "POST",
      dispatcher: agent,
      headers: {
        "content-type": "application/json",
        "webhook-id": "x",
        "webhook-signature": "v1,abc",
      },
      body: SAMPLE_BODY.replace('"seq":0', `"seq":${i}`),
    });
    await res.body.dump();
    if (i % 500 === 0) progress.update(i);
  });
  const elapsed = (performance.now() - started) / 1000;
  progress.update(count);
  progress.stop();
  await agent.close();
  return count / elapsed;
}

async function api(
  agent: Agent,
  url: string,
  method: "POST" | "GET",
  path: string,
  body?: unknown,
) {
  const res = await request(`${url}/api/2022-06-09${path}`, {
    method,
    dispatcher: agent,
    headers: { "x-api-key": API_KEY, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
  return JSON.parse(text) as { id: string };
}

async function main() {
  const receiver = new BenchReceiver();
  await receiver.start();
  const ceilingCount = Math.min(EVENTS * ENDPOINTS, 40_000);
  const ceiling = await measureCeiling(receiver, ceilingCount);
  receiver.reset();

  const dataDir = mkdtempSync(join(tmpdir(), "herald-bench-"));
  const herald = await startChildHerald({
    HERALD_DATA_DIR: dataDir,
    HERALD_API_KEY: API_KEY,
    HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
    HERALD_LOG_LEVEL: "warn",
    HERALD_CONCURRENCY: String(CONCURRENCY),
    HERALD_ENDPOINT_CONCURRENCY: String(ENDPOINT_CONCURRENCY),
  });
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  try {
    for (let e = 0; e < ENDPOINTS; e++) {
      await api(agent, herald.url, "POST", "/webhooks/endpoints", {
        url: `${receiver.url}/ep/${e}`,
      });
    }

    // Throughput: publish as fast as the API takes them; deliveries run alongside.
    const total = EVENTS * ENDPOINTS;
    const progress = bar("publish + deliver", total);
    const started = performance.now();
    let publishedAt = 0;
    const delivered = receiver.waitForCount(
      total,
      300_000,
      (n) => n % 500 === 0 && progress.update(n),
    );
    await runPool(Math.ceil(EVENTS / BATCH), Number(options.publishConcurrency), async (chunk) => {
      const seqs = Array.from(
        { length: Math.min(BATCH, EVENTS - chunk * BATCH) },
        (_, k) => chunk * BATCH + k,
      );
      if (BATCH === 1) {
        await api(agent, herald.url, "POST", "/events", {
          type: "nfts.create.succeeded",
          data: { seq: seqs[0] },
        });
      } else {
        const events = seqs.map((seq) => ({ type: "nfts.create.succeeded", data: { seq } }));
        await api(agent, herald.url, "POST", "/events/batch", { events });
      }
    });
    publishedAt = performance.now();
    await delivered;
    const finished = performance.now();
    progress.update(total);
    progress.stop();
    const publishRate = EVENTS / ((publishedAt - started) / 1000);
    const deliveryRate = total / ((finished - started) / 1000);
    const throughputDuplicates = receiver.duplicates;

    // Latency at half the sustained rate: paced publishes, publish-to-receipt per delivery.
    receiver.reset();
    const rate = deliveryRate / 2 / ENDPOINTS;
    const latencyEvents = Math.max(100, Math.round(rate * Number(options.latencySeconds)));
    const sentAt = new Map<number, number>();
    const pace = bar(`latency @ ${fmt(rate)} ev/s`, latencyEvents);
    const latencyStart = performance.now();
    const inFlight: Promise<unknown>[] = [];
    // Published the way the throughput phase published: single events, or a batch every 10 ms.
    const perTick = BATCH === 1 ? 1 : Math.max(1, Math.round(rate / 100));
    for (let first = 0; first < latencyEvents; first += perTick) {
      const due = latencyStart + (first / rate) * 1000;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const seqs = Array.from(
        { length: Math.min(perTick, latencyEvents - first) },
        (_, k) => 1_000_000 + first + k,
      );
      const now = performance.now();
      for (const seq of seqs) sentAt.set(seq, now);
      const events = seqs.map((seq) => ({ type: "nfts.create.succeeded", data: { seq } }));
      inFlight.push(
        BATCH === 1
          ? api(agent, herald.url, "POST", "/events", events[0])
          : api(agent, herald.url, "POST", "/events/batch", { events }),
      );
      if (first % 100 < perTick) pace.update(first);
    }
    await Promise.all(inFlight);
    await receiver.waitForCount(latencyEvents * ENDPOINTS, 120_000);
    pace.update(latencyEvents);
    pace.stop();
    const latencies = [...receiver.arrivals].map(
      ([key, at]) => at - sentAt.get(Math.floor(key / 1000))!,
    );
    const latency = summarize(latencies);

    const mintCount = Number(options.mints);
    const mints = mintCount > 0 ? await measureMints(herald.url, API_KEY, mintCount, 50) : null;
    const mintCeiling = mintCount > 0 ? await measureMintCeiling(mintCount, 50) : 0;

    const rows: Array<[string, string]> = [
      ["events × endpoints", `${fmt(EVENTS)} × ${ENDPOINTS} = ${fmt(total)} deliveries`],
      ["concurrency to the receiver", String(EFFECTIVE_CONCURRENCY)],
      ["raw HTTP ceiling (undici → receiver)", `${fmt(ceiling)} req/s`],
      [
        BATCH > 1 ? `publish rate (batches of ${BATCH})` : "publish rate (POST /events)",
        `${fmt(publishRate)} events/s`,
      ],
      ["Herald end-to-end deliveries", `${fmt(deliveryRate)} deliveries/s`],
      ["Herald / ceiling", `${fmt((deliveryRate / ceiling) * 100, 1)} %  (target ≥ 40 %)`],
      [
        `latency at ${fmt(rate * ENDPOINTS)} deliveries/s (half)`,
        `p50 ${fmt(latency.p50, 1)} ms, p99 ${fmt(latency.p99, 1)} ms, max ${fmt(latency.max, 1)} ms  (target p99 < 50 ms)`,
      ],
      ["duplicates (throughput, latency)", `${throughputDuplicates}, ${receiver.duplicates}`],
      ...(mints
        ? ([
            ["bare chain mints (viem → embedded EDR)", `${fmt(mintCeiling)} mints/s`],
            [
              `Herald mints, request → webhook (${fmt(mintCount)}, 50 at once)`,
              `${fmt(mints.mintsPerSecond)} mints/s = ${fmt((mints.mintsPerSecond / mintCeiling) * 100, 1)} % of the bare chain; p50 ${fmt(mints.p50, 1)} ms, p99 ${fmt(mints.p99, 1)} ms`,
            ],
          ] as Array<[string, string]>)
        : []),
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log("\nHerald benchmark — SQLite store, one process, loopback receiver");
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  } finally {
    await agent.close();
    await herald.stop();
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();

// npm run explain -- [--attempts 10000000] [--keep]: the PostgreSQL store's hot-path queries
// under EXPLAIN ANALYZE at scale. It fills a fresh schema with synthetic history (4 attempts
// per delivery, one delivery per event, 1 % of deliveries still due), then calls the real
// store methods while recording every statement they send, and explains each statement with
// its own parameters (inside a transaction rolled back, so writes change nothing). It fails
// if any plan reads a large table sequentially.
import { randomBytes } from "node:crypto";
import { Command } from "commander";
import pg from "pg";
import { newId, PostgresStore, pruneCutoffs } from "../src/index.js";

const options = new Command()
  .option("--attempts <n>", "attempt rows to create", "10000000")
  .option("--keep", "keep the schema afterwards")
  .parse()
  .opts<{ attempts: string; keep?: boolean }>();

const url = process.env.HERALD_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const ATTEMPTS = Number(options.attempts);
const DELIVERIES = Math.ceil(ATTEMPTS / 4);
const PROJECTS = 10;
const ENDPOINTS_PER_PROJECT = 10;
const NOW = Date.now();
const BIG_TABLES = new Set(["attempts", "deliveries", "events", "idempotency_keys"]);

interface Recorded {
  text: string;
  values: unknown[];
}

let recording: Recorded[] | null = null;
const originalQuery = pg.Client.prototype.query;
// Every statement the store sends goes through a client's query (the pool's included).
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [first, second] = args as [string | { text: string; values?: unknown[] }, unknown];
  if (recording && first === "COMMIT") {
    // The store's transaction is only watched, not kept: its statements run again below.
    args[0] = "ROLLBACK";
  } else if (recording) {
    const text = typeof first === "string" ? first : first.text;
    const values = (typeof first === "string" ? second : first.values) as unknown[] | undefined;
    if (!/^\s*(BEGIN|COMMIT|ROLLBACK|SET|SELECT pg_advisory)/i.test(text)) {
      recording.push({ text, values: Array.isArray(values) ? values : [] });
    }
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

async function record(fn: () => Promise<unknown>): Promise<Recorded[]> {
  recording = [];
  try {
    await fn();
    return recording;
  } finally {
    recording = null;
  }
}

async function seed(pool: pg.Pool): Promise<{ projectId: string; endpointId: string }> {
  const started = performance.now();
  const step = async (what: string, sql: string, values: unknown[] = []) => {
    const t = performance.now();
    await pool.query(sql, values);
    console.log(`  ${what.padEnd(44)} ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  console.log(
    `seeding ${ATTEMPTS.toLocaleString()} attempts, ${DELIVERIES.toLocaleString()} deliveries…`,
  );
  await step(
    "projects",
    `INSERT INTO projects (id, name, created_at)
     SELECT 'p' || lpad(g::text, 4, '0'), 'project ' || g, $1::bigint FROM generate_series(1, $2::int) g`,
    [NOW, PROJECTS],
  );
  await step(
    "endpoints",
    `INSERT INTO endpoints (id, project_id, url, enabled, secret_enc, created_at, updated_at)
     SELECT 'e' || lpad(g::text, 5, '0'), 'p' || lpad((1 + g % $2::int)::text, 4, '0'),
            'https://example.com/' || g, true, 'sealed', $1::bigint, $1::bigint
     FROM generate_series(1, $3::int) g`,
    [NOW, PROJECTS, PROJECTS * ENDPOINTS_PER_PROJECT],
  );
  // Ids sort like time-ordered ids: older rows have smaller ids.
  await step(
    "events",
    `INSERT INTO events (id, project_id, type, payload, created_at)
     SELECT 'v' || lpad(g::text, 10, '0'), 'p' || lpad((1 + (1 + g % 100) % $2::int)::text, 4, '0'),
            'nfts.create.succeeded', '{"id":"x","type":"nfts.create.succeeded","data":{}}', $1::bigint - ($3::int - g)
     FROM generate_series(1, $3::int) g`,
    [NOW, PROJECTS, DELIVERIES],
  );
  await step(
    "deliveries (1 % due)",
    `INSERT INTO deliveries (id, event_id, endpoint_id, project_id, event_type, status, attempts,
       next_attempt_at, created_at, updated_at, completed_at)
     SELECT 'd' || lpad(g::text, 10, '0'), 'v' || lpad(g::text, 10, '0'),
            'e' || lpad((1 + g % ($2::int * $3::int))::text, 5, '0'),
            'p' || lpad((1 + (1 + g % ($2::int * $3::int)) % $2::int)::text, 4, '0'),
            'nfts.create.succeeded',
            CASE WHEN g % 100 = 0 THEN 'pending' ELSE 'succeeded' END, 4,
            CASE WHEN g % 100 = 0 THEN $1::bigint - (g % 1000) ELSE NULL END, $1::bigint, $1::bigint,
            CASE WHEN g % 100 = 0 THEN NULL ELSE $1::bigint END
     FROM generate_series(1, $4::int) g`,
    [NOW, PROJECTS, ENDPOINTS_PER_PROJECT, DELIVERIES],
  );
  await step(
    "attempts",
    // Spread over the last 30 days, each with its delivery's endpoint (as the store writes it).
    `INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, status_code, outcome)
     SELECT 'd' || lpad((1 + (g - 1) / 4)::text, 10, '0'),
            'e' || lpad((1 + (1 + (g - 1) / 4) % ($3::int * $4::int))::text, 5, '0'),
            1 + (g - 1) % 4, $1::bigint - ($2::int - g)::bigint * 2592000000 / $2::int, 12, 200, 'succeeded'
     FROM generate_series(1, $2::int) g`,
    [NOW, ATTEMPTS, PROJECTS, ENDPOINTS_PER_PROJECT],
  );
  await step(
    "idempotency keys (a tenth of the events)",
    `INSERT INTO idempotency_keys (project_id, scope, key, request_hash, resource_id, created_at)
     SELECT 'p0001', 'events', 'k' || g, 'h', 'v' || lpad(g::text, 10, '0'), $1::bigint - ($2::int - g) * 1000
     FROM generate_series(1, $2::int) g`,
    [NOW, Math.ceil(DELIVERIES / 10)],
  );
  await step("ANALYZE", "ANALYZE");
  console.log(`  seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { projectId: "p0001", endpointId: "e00010" };
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Each statement explained with its parameters, in order, in one transaction rolled back
 * (a later statement may need an earlier one's rows). */
async function explainAll(pool: pg.Pool, statements: Recorded[]) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const plans: Array<{ all: PlanNode[]; ms: number }> = [];
    for (const statement of statements) {
      const result = await client.query(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
        statement.values,
      );
      const [top] = result.rows[0]["QUERY PLAN"] as [{ Plan: PlanNode; "Execution Time": number }];
      plans.push({ all: nodes(top.Plan), ms: top["Execution Time"] });
    }
    return plans;
  } finally {
    await client.query("ROLLBACK");
    client.release();
  }
}

async function main(): Promise<void> {
  const schema = `herald_explain_${randomBytes(4).toString("hex")}`;
  const store = new PostgresStore(url, { schema });
  let failures = 0;
  try {
    await store.migrate();
    const { projectId, endpointId } = await seed(store.pool);
    const deliveryId = "d0000012349"; // to e00010, of p0001
    const paths: Array<[string, () => Promise<unknown>]> = [
      [
        "claim 100 due deliveries",
        () =>
          store.claimDueDeliveries({
            owner: "explain",
            now: NOW,
            limit: 100,
            leaseMs: 40_000,
            excludeEndpointIds: [endpointId],
          }),
      ],
      [
        "publish (fan-out to enabled endpoints)",
        () =>
          store.publishEvent({
            id: newId(),
            projectId,
            type: "nfts.create.succeeded",
            actionId: null,
            payload: "{}",
            createdAt: NOW,
          }),
      ],
      [
        "an endpoint's deliveries, newest first",
        () => store.listEndpointDeliveries(projectId, endpointId, {}, { limit: 50 }),
      ],
      [
        "an endpoint's failed deliveries",
        () =>
          store.listEndpointDeliveries(projectId, endpointId, { status: "failed" }, { limit: 50 }),
      ],
      [
        "an endpoint's stats, last day (console)",
        () => store.endpointAttemptStats(endpointId, NOW - 86_400_000, 3_600_000),
      ],
      [
        "an endpoint's failed deliveries, resent",
        () => store.resendFailedDeliveries(projectId, endpointId, NOW - 86_400_000, NOW),
      ],
      ["a project's events, newest first", () => store.listEvents(projectId, {}, { limit: 50 })],
      ["a delivery's attempts", () => store.listDeliveryAttempts(projectId, deliveryId)],
      ["next due time", () => store.nextDueAt()],
      ["retention batch", () => store.pruneExpired(pruneCutoffs(NOW, 30 * 86_400_000), 1000)],
    ];
    console.log(
      "\nhot path                                    statement  plan (tables: access)                                   ms",
    );
    for (const [name, run] of paths) {
      const plans = await explainAll(store.pool, await record(run));
      for (const [i, { all, ms }] of plans.entries()) {
        const scans = all.filter((n) => n["Relation Name"] || n["Index Name"]);
        const access = scans
          .map((n) =>
            n["Relation Name"]
              ? `${n["Relation Name"]}: ${n["Node Type"]}${n["Index Name"] ? ` ${n["Index Name"]}` : ""}`
              : `${n["Node Type"]} ${n["Index Name"]}`,
          )
          .join(", ");
        const seq = scans.filter(
          (n) => n["Node Type"] === "Seq Scan" && BIG_TABLES.has(n["Relation Name"]!),
        );
        if (seq.length > 0) failures += 1;
        console.log(
          `${(i === 0 ? name : "").padEnd(44)}${String(i + 1).padStart(9)}  ${(access || "(no table)").padEnd(56)} ${ms.toFixed(2).padStart(7)}${seq.length ? "  ← SEQ SCAN" : ""}`,
        );
      }
    }
    console.log(
      failures
        ? `\n${failures} statement(s) scan a large table`
        : "\nevery statement uses an index on the large tables",
    );
  } finally {
    if (!options.keep) await store.pool.query(`DROP SCHEMA "${schema}" CASCADE`);
    await store.close();
  }
  process.exitCode = failures ? 1 : 0;
}

await main();

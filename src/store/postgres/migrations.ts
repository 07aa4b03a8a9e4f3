import { LOCKS, quoteSchema, withTransaction, type Pool } from "./database.js";

// Versioned schema: the same logical schema as the SQLite migrations of the same numbers.
// A migration is never edited once released: add a new one.
//
// Types: times are epoch milliseconds in `bigint`; JSON is kept as `text`, byte for byte as
// Herald wrote it (an event's payload is the signed body; nothing queries inside JSON);
// flags are `boolean`. Identifiers are `text COLLATE "C"`: cursors compare and order ids, and
// byte order is what SQLite does (and what time-ordered ids need), whatever the database's
// locale. Every column an id is joined with has the same collation.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "core",
    sql: `
      CREATE TABLE projects (
        id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL UNIQUE,
        created_at bigint NOT NULL
      );
      CREATE TABLE api_keys (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        key_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        name text,
        created_at bigint NOT NULL,
        revoked_at bigint
      );
      CREATE INDEX api_keys_project ON api_keys (project_id, id);
      CREATE TABLE endpoints (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        url text NOT NULL,
        description text NOT NULL DEFAULT '',
        event_types text,
        enabled boolean NOT NULL,
        disabled_reason text,
        rate_limit double precision,
        secret_enc text NOT NULL,
        previous_secret_enc text,
        previous_secret_expires_at bigint,
        failing_since bigint,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX endpoints_project ON endpoints (project_id, id);
      -- The fan-out reads a project's enabled endpoints on every publish.
      CREATE INDEX endpoints_fan_out ON endpoints (project_id) WHERE enabled;
      CREATE TABLE events (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        type text NOT NULL,
        action_id text COLLATE "C",
        payload text NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE INDEX events_project ON events (project_id, id);
      CREATE INDEX events_project_type ON events (project_id, type, id);
      CREATE TABLE deliveries (
        id text COLLATE "C" PRIMARY KEY,
        event_id text COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        endpoint_id text COLLATE "C" NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
        project_id text COLLATE "C" NOT NULL,
        event_type text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        schedule_index integer NOT NULL DEFAULT 0,
        next_attempt_at bigint,
        lease_owner text,
        last_status_code integer,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        completed_at bigint
      );
      -- The queue: a leased delivery's next_attempt_at is its lease expiry, so one
      -- index serves both "due" and "lease expired"; id breaks ties in claim order.
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at, id) WHERE status = 'pending';
      CREATE INDEX deliveries_event ON deliveries (event_id);
      -- An endpoint's deliveries, newest first (and the cascade when it is deleted).
      CREATE INDEX deliveries_endpoint ON deliveries (endpoint_id, id);
      -- Pausing and resuming an endpoint touch only its open deliveries.
      CREATE INDEX deliveries_endpoint_open ON deliveries (endpoint_id)
        WHERE status IN ('pending', 'paused');
      CREATE TABLE attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id text COLLATE "C" NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        number integer NOT NULL,
        started_at bigint NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        response_body text,
        error text,
        outcome text NOT NULL
      );
      CREATE INDEX attempts_delivery ON attempts (delivery_id, number);
      CREATE TABLE actions (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        action text NOT NULL,
        status text NOT NULL,
        data text NOT NULL,
        resource text,
        started_at bigint NOT NULL,
        completed_at bigint
      );
      CREATE INDEX actions_project ON actions (project_id, id);
      CREATE TABLE idempotency_keys (
        project_id text COLLATE "C" NOT NULL,
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        resource_id text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (project_id, scope, key)
      );
    `,
  },
  {
    version: 2,
    name: "chain",
    sql: `
      -- One signing account per chain; its key sealed with the master key.
      CREATE TABLE chain_accounts (
        chain text PRIMARY KEY,
        address text NOT NULL,
        private_key_enc text NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE TABLE collections (
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        id text COLLATE "C" NOT NULL,
        chain text NOT NULL,
        metadata text NOT NULL,
        fungibility text NOT NULL,
        transferable boolean NOT NULL,
        supply_limit bigint,
        status text NOT NULL,
        contract_address text,
        action_id text COLLATE "C" NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (project_id, id)
      );
      CREATE INDEX collections_contract ON collections (chain, contract_address);
      CREATE TABLE nfts (
        project_id text COLLATE "C" NOT NULL,
        collection_id text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        recipient text NOT NULL,
        email text,
        owner text,
        metadata text NOT NULL,
        token_id text,
        status text NOT NULL,
        tx_id text,
        action_id text COLLATE "C" NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        PRIMARY KEY (project_id, collection_id, id),
        FOREIGN KEY (project_id, collection_id) REFERENCES collections (project_id, id)
          ON DELETE CASCADE
      );
      CREATE TABLE wallets (
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        email text NOT NULL,
        chain text NOT NULL,
        address text NOT NULL,
        created_at bigint NOT NULL,
        PRIMARY KEY (project_id, email, chain)
      );
      -- Work for the chain module: each job sends one transaction and completes one action.
      CREATE TABLE chain_jobs (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL,
        chain text NOT NULL,
        kind text NOT NULL,
        subject text NOT NULL,
        action_id text COLLATE "C" NOT NULL,
        payload text NOT NULL,
        status text NOT NULL,
        tx_record text,
        run_at bigint NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX chain_jobs_open ON chain_jobs (chain, id) WHERE status IN ('queued', 'sent');
    `,
  },
  {
    version: 3,
    name: "idempotent secrets",
    sql: `ALTER TABLE idempotency_keys ADD COLUMN sealed_response text;`,
  },
  {
    version: 4,
    name: "finality and chain watcher",
    sql: `
      -- A job stays 'confirmed' (its action completed) until its block is final; a reorg
      -- before that sends it back to 'sent'.
      ALTER TABLE chain_jobs ADD COLUMN mined_block_number bigint;
      ALTER TABLE chain_jobs ADD COLUMN mined_block_hash text;
      -- Jobs waiting for their collection's deployment must not hide the others.
      ALTER TABLE chain_jobs ADD COLUMN collection_id text COLLATE "C";
      UPDATE chain_jobs SET collection_id = split_part(subject, '/', 1);
      DROP INDEX chain_jobs_open;
      CREATE INDEX chain_jobs_open ON chain_jobs (chain, status, id)
        WHERE status IN ('queued', 'sent', 'confirmed');
      -- All open jobs of a chain, oldest first, without a sort of the three statuses.
      CREATE INDEX chain_jobs_open_oldest ON chain_jobs (chain, id)
        WHERE status IN ('queued', 'sent', 'confirmed');
      CREATE INDEX nfts_token ON nfts (project_id, collection_id, token_id);
      CREATE INDEX wallets_address ON wallets (project_id, chain, address);
      -- The chain watcher: the last block it processed per chain, and each log it turned into
      -- an event (a log is its transaction and its place among the transaction's logs, which
      -- a reorg does not change), so nothing is published twice.
      CREATE TABLE chain_cursors (
        chain text PRIMARY KEY,
        block_number bigint NOT NULL,
        block_hash text NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE TABLE chain_observed_logs (
        chain text NOT NULL,
        tx_hash text NOT NULL,
        log_position integer NOT NULL,
        block_number bigint NOT NULL,
        event_id text COLLATE "C",
        created_at bigint NOT NULL,
        PRIMARY KEY (chain, tx_hash, log_position)
      );
    `,
  },
  {
    version: 5,
    name: "retention",
    sql: `
      CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
      CREATE INDEX chain_observed_logs_created ON chain_observed_logs (created_at);
    `,
  },
  {
    version: 6,
    name: "deliveries by endpoint and status",
    sql: `
      -- The console's "failed deliveries of this endpoint": without it, every delivery of the
      -- endpoint is read to find the few that failed (95 ms at 10 M attempts).
      CREATE INDEX deliveries_endpoint_status ON deliveries (endpoint_id, status, id);
    `,
  },
  {
    version: 7,
    name: "endpoint destinations",
    sql: `
      -- Existing endpoints are HTTPS URLs; other types keep their settings sealed (credentials).
      ALTER TABLE endpoints ADD COLUMN destination_type text NOT NULL DEFAULT 'https';
      ALTER TABLE endpoints ADD COLUMN destination_enc text;
    `,
  },
  {
    version: 8,
    name: "attempts by endpoint and time",
    sql: `
      -- The console's per-endpoint success rate and latency over the last hour and day.
      ALTER TABLE attempts ADD COLUMN endpoint_id text COLLATE "C";
      UPDATE attempts a SET endpoint_id = d.endpoint_id FROM deliveries d WHERE d.id = a.delivery_id;
      CREATE INDEX attempts_endpoint_time ON attempts (endpoint_id, started_at);
    `,
  },
  {
    version: 9,
    name: "chain jobs name their nft",
    sql: `
      -- A job's NFT in a column of its own, beside its collection's, instead of a
      -- "<collectionId>/<nftId>" subject to split.
      ALTER TABLE chain_jobs ADD COLUMN nft_id text COLLATE "C";
      UPDATE chain_jobs SET nft_id = split_part(subject, '/', 2) WHERE strpos(subject, '/') > 0;
      ALTER TABLE chain_jobs DROP COLUMN subject;
      ALTER TABLE chain_jobs ALTER COLUMN collection_id SET NOT NULL;
    `,
  },
  {
    version: 10,
    name: "quiet endpoints and parked deliveries",
    sql: `
      -- A failing or slow endpoint is left alone until quiet_until: its new deliveries are
      -- born parked (due later, spread out) and its next success makes every parked one due.
      ALTER TABLE endpoints ADD COLUMN quiet_until bigint;
      ALTER TABLE deliveries ADD COLUMN parked boolean NOT NULL DEFAULT false;
      CREATE INDEX deliveries_parked ON deliveries (endpoint_id) WHERE parked;
    `,
  },
  {
    version: 11,
    name: "settings",
    sql: `
      -- Herald's own values: the master key's check value (a process with another key refuses
      -- to start) and secrets of Herald itself (a row marked sealed holds a value sealed with
      -- the master key; rotate-master-key re-seals it).
      CREATE TABLE settings (
        name text PRIMARY KEY,
        value text NOT NULL,
        sealed boolean NOT NULL,
        created_at bigint NOT NULL
      );
    `,
  },
  {
    version: 12,
    name: "nft idempotency keys, token uris, owners",
    sql: `
      -- A PUT's id is the NFT's idempotency key (the NFT's own id is its mint's action id, as
      -- in Crossmint's examples); NFTs minted with a PUT before keep their id as their key.
      -- token_uri: metadata published elsewhere (given as a URL); null: Herald serves it.
      ALTER TABLE nfts ADD COLUMN idempotency_key text COLLATE "C";
      UPDATE nfts SET idempotency_key = id;
      CREATE UNIQUE INDEX nfts_idempotency ON nfts (project_id, collection_id, idempotency_key);
      ALTER TABLE nfts ADD COLUMN token_uri text;
      CREATE INDEX nfts_owner ON nfts (project_id, owner);
    `,
  },
  {
    version: 13,
    name: "original: webhook formats, app settings, key pairs, users, assets",
    sql: `
      -- format: which body an endpoint's messages have (policy/webhook-format.ts).
      -- region, environment: what Original's payloads say of the app.
      -- original_keys: a project's Original-style key pairs; the key is hashed (it names the
      -- pair), the secret sealed (Herald must verify HS256 tokens signed with it).
      -- original_users: Original's app users; each optional identifier is unique in a project.
      ALTER TABLE endpoints ADD COLUMN format text NOT NULL DEFAULT 'auto';
      ALTER TABLE projects ADD COLUMN region text NOT NULL DEFAULT 'EU';
      -- custody: the collection's contract can move its custodial holders' tokens (false for
      -- collections created before, whose contract cannot).
      ALTER TABLE collections ADD COLUMN custody boolean NOT NULL DEFAULT false;
      ALTER TABLE projects ADD COLUMN environment text NOT NULL DEFAULT 'Development';
      CREATE TABLE original_keys (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        key_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        secret_enc text NOT NULL,
        created_at bigint NOT NULL,
        revoked_at bigint
      );
      CREATE INDEX original_keys_project ON original_keys (project_id, id);
      CREATE TABLE original_users (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        email text,
        user_external_id text,
        created_at bigint NOT NULL
      );
      CREATE INDEX original_users_project ON original_users (project_id, id);
      CREATE UNIQUE INDEX original_users_email ON original_users (project_id, email);
      CREATE UNIQUE INDEX original_users_external ON original_users (project_id, user_external_id);
      -- original_assets: what Original's API knows of an NFT it minted (its id is the NFT's).
      -- original_operations: its edits, transfers and burns, each with its action.
      CREATE TABLE original_assets (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        collection_id text COLLATE "C" NOT NULL,
        user_uid text COLLATE "C" NOT NULL,
        asset_external_id text,
        name text NOT NULL,
        unique_name boolean NOT NULL,
        sale_price_in_usd double precision,
        created_at bigint NOT NULL
      );
      CREATE INDEX original_assets_name ON original_assets (project_id, collection_id, name);
      CREATE TABLE original_operations (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        kind text NOT NULL,
        asset_uid text COLLATE "C" NOT NULL,
        from_user_uid text COLLATE "C",
        to_address text,
        action_id text COLLATE "C" NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE INDEX original_operations_asset ON original_operations (project_id, asset_uid, kind, id);
      CREATE INDEX original_operations_user ON original_operations (project_id, kind, from_user_uid);
    `,
  },
  {
    version: 14,
    name: "original: rewards, their allocations, claims and withdraws",
    sql: `
      -- original_rewards: a reward and its rewards contract (status, address: its deployment's).
      -- original_reward_ops: its allocations, claims and withdraws, each with its action (their
      -- state); an allocation's nonce is unique in its reward (a repeat is the same allocation).
      -- amount, initial_supply: token units as decimal text (they exceed 64 bits).
      CREATE TABLE original_rewards (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        chain text NOT NULL,
        name text NOT NULL,
        token_name text NOT NULL,
        token_symbol text NOT NULL,
        description text NOT NULL,
        withdraw_receiver text NOT NULL,
        initial_supply text NOT NULL,
        status text NOT NULL,
        contract_address text,
        action_id text COLLATE "C" NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX original_rewards_project ON original_rewards (project_id, id);
      CREATE TABLE original_reward_ops (
        id text COLLATE "C" PRIMARY KEY,
        project_id text COLLATE "C" NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        reward_id text COLLATE "C" NOT NULL,
        kind text NOT NULL,
        user_uid text COLLATE "C",
        address text NOT NULL,
        amount text,
        nonce text,
        action_id text COLLATE "C" NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE UNIQUE INDEX original_reward_ops_nonce ON original_reward_ops (reward_id, nonce);
      CREATE INDEX original_reward_ops_reward ON original_reward_ops (project_id, reward_id, kind, id);
      CREATE INDEX original_reward_ops_user ON original_reward_ops (project_id, kind, user_uid, id);
    `,
  },
  {
    version: 15,
    name: "traces: the traceparent an event or a chain job was made under",
    sql: `
      -- W3C traceparent strings; null when tracing is off (see src/observability/tracing.ts).
      ALTER TABLE events ADD COLUMN trace_parent text;
      ALTER TABLE chain_jobs ADD COLUMN trace_parent text;
    `,
  },
  {
    version: 16,
    name: "chain watcher: observed logs by block, to find those a reorg removed",
    sql: `CREATE INDEX chain_observed_logs_block ON chain_observed_logs (chain, block_number);`,
  },
  {
    version: 17,
    name: "endpoints: ed25519 signing",
    sql: `
      -- signing: hmac (v1, whsec_ secrets) or ed25519 (v1a, whsk_ secret keys); public_key: an
      -- ed25519 endpoint's current whpk_ key, in the clear (policy/signing.ts).
      ALTER TABLE endpoints ADD COLUMN signing text NOT NULL DEFAULT 'hmac';
      ALTER TABLE endpoints ADD COLUMN public_key text;
    `,
  },
  {
    version: 18,
    name: "chain jobs: the fee ceiling of the request that queued them",
    sql: `
      -- Wei as decimal text (x-herald-max-fee-per-gas); null: the chain's alone.
      ALTER TABLE chain_jobs ADD COLUMN max_fee_per_gas text;
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The newest migration applied (0 for an empty or missing schema). */
export async function currentVersion(pool: Pool, schema: string): Promise<number> {
  const table = await pool.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [
    `${quoteSchema(schema)}.schema_migrations`,
  ]);
  if (!table.rows[0]?.t) return 0;
  const current = await pool.query<{ v: number | null }>(
    `SELECT MAX(version) AS v FROM ${quoteSchema(schema)}.schema_migrations`,
  );
  return current.rows[0]?.v ?? 0;
}

/**
 * Applies the pending migrations, each in its own transaction. Every transaction first takes
 * an advisory lock on the schema's name, so processes starting at once migrate one after the
 * other: the first applies, the others then find nothing left to do.
 */
export async function applyMigrations(pool: Pool, schema: string, now: number): Promise<number[]> {
  const quoted = quoteSchema(schema);
  const applied: number[] = [];
  for (;;) {
    const version = await withTransaction(pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [
        LOCKS.migrations,
        schema,
      ]);
      const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${quoted}`);
      await client.query(`SET LOCAL search_path TO ${quoted}`);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)`);
      const current = await client.query<{ v: number | null }>(
        "SELECT MAX(version) AS v FROM schema_migrations",
      );
      const from = current.rows[0]?.v ?? 0;
      if (from > LATEST_VERSION) {
        throw new Error(
          `the database schema (version ${from}) is newer than this Herald (version ${LATEST_VERSION}); upgrade Herald`,
        );
      }
      const migration = MIGRATIONS.find((m) => m.version > from);
      if (!migration) return null;
      await client.query(migration.sql);
      await client.query(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        [migration.version, migration.name, now],
      );
      return migration.version;
    });
    if (version === null) return applied;
    applied.push(version);
  }
}

import type { Db } from "./database.js";

// Versioned schema. A migration is never edited once released: add a new one.

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
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        key_hash TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        name TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX api_keys_project ON api_keys(project_id);
      CREATE TABLE endpoints (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        event_types TEXT,
        enabled INTEGER NOT NULL,
        disabled_reason TEXT,
        rate_limit REAL,
        secret_enc TEXT NOT NULL,
        previous_secret_enc TEXT,
        previous_secret_expires_at INTEGER,
        failing_since INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX endpoints_project ON endpoints(project_id, id);
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        action_id TEXT,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX events_project ON events(project_id, id);
      CREATE INDEX events_project_type ON events(project_id, type, id);
      CREATE TABLE deliveries (
        id TEXT PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        endpoint_id TEXT NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
        project_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        schedule_index INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        lease_owner TEXT,
        last_status_code INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        completed_at INTEGER
      );
      -- The queue: a leased delivery's next_attempt_at is its lease expiry, so one
      -- index serves both "due" and "lease expired".
      CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE status = 'pending';
      CREATE INDEX deliveries_event ON deliveries(event_id);
      CREATE INDEX deliveries_endpoint ON deliveries(endpoint_id, id);
      CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        status_code INTEGER,
        response_body TEXT,
        error TEXT,
        outcome TEXT NOT NULL
      );
      CREATE INDEX attempts_delivery ON attempts(delivery_id, number);
      CREATE TABLE actions (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        status TEXT NOT NULL,
        data TEXT NOT NULL,
        resource TEXT,
        started_at INTEGER NOT NULL,
        completed_at INTEGER
      );
      CREATE INDEX actions_project ON actions(project_id, id);
      CREATE TABLE idempotency_keys (
        project_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
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
        chain TEXT PRIMARY KEY,
        address TEXT NOT NULL,
        private_key_enc TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE collections (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        chain TEXT NOT NULL,
        metadata TEXT NOT NULL,
        fungibility TEXT NOT NULL,
        transferable INTEGER NOT NULL,
        supply_limit INTEGER,
        status TEXT NOT NULL,
        contract_address TEXT,
        action_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (project_id, id)
      );
      CREATE INDEX collections_contract ON collections(chain, contract_address);
      CREATE TABLE nfts (
        project_id TEXT NOT NULL,
        collection_id TEXT NOT NULL,
        id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        email TEXT,
        owner TEXT,
        metadata TEXT NOT NULL,
        token_id TEXT,
        status TEXT NOT NULL,
        tx_id TEXT,
        action_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (project_id, collection_id, id),
        FOREIGN KEY (project_id, collection_id) REFERENCES collections(project_id, id) ON DELETE CASCADE
      );
      CREATE TABLE wallets (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        chain TEXT NOT NULL,
        address TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (project_id, email, chain)
      );
      -- Work for the chain module: each job sends one transaction and completes one action.
      CREATE TABLE chain_jobs (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL,
        chain TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        action_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        tx_record TEXT,
        run_at INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX chain_jobs_open ON chain_jobs(chain, id) WHERE status IN ('queued', 'sent');
    `,
  },
  {
    version: 3,
    name: "idempotent secrets",
    sql: `ALTER TABLE idempotency_keys ADD COLUMN sealed_response TEXT;`,
  },
  {
    version: 4,
    name: "finality and chain watcher",
    sql: `
      -- A job stays 'confirmed' (its action completed) until its block is final; a reorg
      -- before that sends it back to 'sent'.
      ALTER TABLE chain_jobs ADD COLUMN mined_block_number INTEGER;
      ALTER TABLE chain_jobs ADD COLUMN mined_block_hash TEXT;
      -- Jobs waiting for their collection's deployment must not hide the others.
      ALTER TABLE chain_jobs ADD COLUMN collection_id TEXT;
      UPDATE chain_jobs SET collection_id = CASE WHEN instr(subject, '/') > 0
        THEN substr(subject, 1, instr(subject, '/') - 1) ELSE subject END;
      DROP INDEX chain_jobs_open;
      CREATE INDEX chain_jobs_open ON chain_jobs(chain, status, id)
        WHERE status IN ('queued', 'sent', 'confirmed');
      CREATE INDEX nfts_token ON nfts(project_id, collection_id, token_id);
      CREATE INDEX wallets_address ON wallets(project_id, chain, address);
      -- The chain watcher: the last block it processed per chain, and each log it turned into
      -- an event (a log is its transaction and its place among the transaction's logs, which
      -- a reorg does not change), so nothing is published twice.
      CREATE TABLE chain_cursors (
        chain TEXT PRIMARY KEY,
        block_number INTEGER NOT NULL,
        block_hash TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE chain_observed_logs (
        chain TEXT NOT NULL,
        tx_hash TEXT NOT NULL,
        log_position INTEGER NOT NULL,
        block_number INTEGER NOT NULL,
        event_id TEXT,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (chain, tx_hash, log_position)
      );
    `,
  },
  {
    version: 5,
    name: "retention",
    sql: `
      CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
      CREATE INDEX chain_observed_logs_created ON chain_observed_logs(created_at);
    `,
  },
  {
    version: 6,
    name: "deliveries by endpoint and status",
    sql: `CREATE INDEX deliveries_endpoint_status ON deliveries(endpoint_id, status, id);`,
  },
  {
    version: 7,
    name: "endpoint destinations",
    // Existing endpoints are HTTPS URLs; other types keep their settings sealed (credentials).
    sql: `ALTER TABLE endpoints ADD COLUMN destination_type TEXT NOT NULL DEFAULT 'https';
          ALTER TABLE endpoints ADD COLUMN destination_enc TEXT;`,
  },
  {
    version: 8,
    name: "attempts by endpoint and time",
    // The console's per-endpoint success rate and latency over the last hour and day.
    sql: `ALTER TABLE attempts ADD COLUMN endpoint_id TEXT;
          UPDATE attempts SET endpoint_id =
            (SELECT endpoint_id FROM deliveries WHERE deliveries.id = attempts.delivery_id);
          CREATE INDEX attempts_endpoint_time ON attempts(endpoint_id, started_at);`,
  },
  {
    version: 9,
    name: "chain jobs name their nft",
    // A job's NFT in a column of its own, beside its collection's, instead of a
    // "<collectionId>/<nftId>" subject to split.
    sql: `ALTER TABLE chain_jobs ADD COLUMN nft_id TEXT;
          UPDATE chain_jobs SET nft_id = substr(subject, instr(subject, '/') + 1)
            WHERE instr(subject, '/') > 0;
          ALTER TABLE chain_jobs DROP COLUMN subject;`,
  },
  {
    version: 10,
    name: "quiet endpoints and parked deliveries",
    // A failing or slow endpoint is left alone until quiet_until: its new deliveries are born
    // parked (due later, spread out) and its next success makes every parked one due at once.
    sql: `ALTER TABLE endpoints ADD COLUMN quiet_until INTEGER;
          ALTER TABLE deliveries ADD COLUMN parked INTEGER NOT NULL DEFAULT 0;
          CREATE INDEX deliveries_parked ON deliveries(endpoint_id) WHERE parked = 1;`,
  },
  {
    version: 11,
    name: "settings",
    // Herald's own values: the master key's check value (a process with another key refuses
    // to start) and secrets of Herald itself (a row marked sealed holds a value sealed with
    // the master key; rotate-master-key re-seals it).
    sql: `CREATE TABLE settings (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            sealed INTEGER NOT NULL,
            created_at INTEGER NOT NULL
          );`,
  },
  {
    version: 12,
    name: "nft idempotency keys, token uris, owners",
    // A PUT's id is the NFT's idempotency key (the NFT's own id is its mint's action id, as in
    // Crossmint's examples); NFTs minted with a PUT before keep their id as their key.
    // token_uri: metadata published elsewhere (given as a URL); null: Herald serves it.
    sql: `ALTER TABLE nfts ADD COLUMN idempotency_key TEXT;
          UPDATE nfts SET idempotency_key = id;
          CREATE UNIQUE INDEX nfts_idempotency ON nfts(project_id, collection_id, idempotency_key);
          ALTER TABLE nfts ADD COLUMN token_uri TEXT;
          CREATE INDEX nfts_owner ON nfts(project_id, owner);`,
  },
  {
    version: 13,
    name: "original: webhook formats, app settings, key pairs, users, assets",
    // format: which body an endpoint's messages have (policy/webhook-format.ts).
    // region, environment: what Original's payloads say of the app.
    // original_keys: a project's Original-style key pairs; the key is hashed (it names the
    // pair), the secret sealed (Herald must verify HS256 tokens signed with it).
    // original_users: Original's app users; each optional identifier is unique in a project.
    sql: `ALTER TABLE endpoints ADD COLUMN format TEXT NOT NULL DEFAULT 'auto';
          ALTER TABLE projects ADD COLUMN region TEXT NOT NULL DEFAULT 'EU';
          -- custody: the collection's contract can move its custodial holders' tokens (false
          -- for collections created before, whose contract cannot).
          ALTER TABLE collections ADD COLUMN custody INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE projects ADD COLUMN environment TEXT NOT NULL DEFAULT 'Development';
          CREATE TABLE original_keys (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            key_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            secret_enc TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
          );
          CREATE INDEX original_keys_project ON original_keys(project_id, id);
          CREATE TABLE original_users (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            email TEXT,
            user_external_id TEXT,
            created_at INTEGER NOT NULL
          );
          CREATE INDEX original_users_project ON original_users(project_id, id);
          CREATE UNIQUE INDEX original_users_email ON original_users(project_id, email);
          CREATE UNIQUE INDEX original_users_external
            ON original_users(project_id, user_external_id);
          -- original_assets: what Original's API knows of an NFT it minted (its id is the NFT's).
          -- original_operations: its edits, transfers and burns, each with its action.
          CREATE TABLE original_assets (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            collection_id TEXT NOT NULL,
            user_uid TEXT NOT NULL,
            asset_external_id TEXT,
            name TEXT NOT NULL,
            unique_name INTEGER NOT NULL,
            sale_price_in_usd REAL,
            created_at INTEGER NOT NULL
          );
          CREATE INDEX original_assets_name ON original_assets(project_id, collection_id, name);
          CREATE TABLE original_operations (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            asset_uid TEXT NOT NULL,
            from_user_uid TEXT,
            to_address TEXT,
            action_id TEXT NOT NULL,
            created_at INTEGER NOT NULL
          );
          CREATE INDEX original_operations_asset ON original_operations(project_id, asset_uid, kind, id);
          CREATE INDEX original_operations_user
            ON original_operations(project_id, kind, from_user_uid);`,
  },
  {
    version: 14,
    name: "original: rewards, their allocations, claims and withdraws",
    // original_rewards: a reward and its rewards contract (status, address: its deployment's).
    // original_reward_ops: its allocations, claims and withdraws, each with its action (their
    // state); an allocation's nonce is unique in its reward (a repeat is the same allocation).
    // amount, initial_supply: token units as decimal text (they exceed 64 bits).
    sql: `CREATE TABLE original_rewards (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            chain TEXT NOT NULL,
            name TEXT NOT NULL,
            token_name TEXT NOT NULL,
            token_symbol TEXT NOT NULL,
            description TEXT NOT NULL,
            withdraw_receiver TEXT NOT NULL,
            initial_supply TEXT NOT NULL,
            status TEXT NOT NULL,
            contract_address TEXT,
            action_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
          );
          CREATE INDEX original_rewards_project ON original_rewards(project_id, id);
          CREATE TABLE original_reward_ops (
            id TEXT PRIMARY KEY,
            project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
            reward_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            user_uid TEXT,
            address TEXT NOT NULL,
            amount TEXT,
            nonce TEXT,
            action_id TEXT NOT NULL,
            created_at INTEGER NOT NULL
          );
          CREATE UNIQUE INDEX original_reward_ops_nonce ON original_reward_ops(reward_id, nonce);
          CREATE INDEX original_reward_ops_reward ON original_reward_ops(project_id, reward_id, kind, id);
          CREATE INDEX original_reward_ops_user
            ON original_reward_ops(project_id, kind, user_uid, id);`,
  },
  {
    version: 15,
    name: "traces: the traceparent an event or a chain job was made under",
    // W3C traceparent strings; null when tracing is off (see src/observability/tracing.ts).
    sql: `ALTER TABLE events ADD COLUMN trace_parent TEXT;
          ALTER TABLE chain_jobs ADD COLUMN trace_parent TEXT;`,
  },
  {
    version: 16,
    name: "chain watcher: observed logs by block, to find those a reorg removed",
    sql: `CREATE INDEX chain_observed_logs_block ON chain_observed_logs(chain, block_number);`,
  },
  {
    version: 17,
    name: "endpoints: ed25519 signing",
    // signing: hmac (v1, whsec_ secrets) or ed25519 (v1a, whsk_ secret keys); public_key: an
    // ed25519 endpoint's current whpk_ key, in the clear (policy/signing.ts).
    sql: `ALTER TABLE endpoints ADD COLUMN signing TEXT NOT NULL DEFAULT 'hmac';
          ALTER TABLE endpoints ADD COLUMN public_key TEXT;`,
  },
  {
    version: 18,
    name: "chain jobs: the fee ceiling of the request that queued them",
    // Wei as decimal text (x-herald-max-fee-per-gas); null: the chain's alone.
    sql: `ALTER TABLE chain_jobs ADD COLUMN max_fee_per_gas TEXT;`,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function currentVersion(db: Db): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as {
    v: number | null;
  };
  return row.v ?? 0;
}

export function applyMigrations(db: Db, now: number): number[] {
  const from = currentVersion(db);
  if (from > LATEST_VERSION) {
    throw new Error(
      `the database schema (version ${from}) is newer than this Herald (version ${LATEST_VERSION}); upgrade Herald`,
    );
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS.filter((m) => m.version > from)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.name,
        now,
      );
    })();
    applied.push(migration.version);
  }
  return applied;
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { startHerald, type RunningHerald } from "../../src/app.js";
import type { EvmRunner } from "../../src/chain/evm/evm-runner.js";
import type { EmbeddedSolana } from "../../src/chain/solana/ledger/embedded-ledger.js";
import type { SolanaRunner } from "../../src/chain/solana/solana-runner.js";
import { loadConfig, type Config } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";

export const TEST_API_KEY = "hk_test_key_0123456789abcdef";
export const TEST_ADMIN_TOKEN = "admin-token-0123456789";
/** The default project's Original-style key pair in tests (HERALD_ORIGINAL_API_KEY, _SECRET). */
export const TEST_ORIGINAL = {
  apiKey: "ori_test_key_0123456789",
  apiSecret: "ori_test_secret_0123456789abcdef0123456789",
};

export interface TestHerald {
  herald: RunningHerald;
  url: string;
  apiKey: string;
  dataDir: string;
  config: Config;
  api: ApiClient;
  stop(): Promise<void>;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

export type ApiClient = <T = any>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<ApiResponse<T>>;

/** A client for the versioned API; `path` is relative to /api/2022-06-09 unless it starts with //. */
export function apiClient(baseUrl: string, apiKey: string | null): ApiClient {
  return async (method, path, body, headers = {}) => {
    const url = path.startsWith("//")
      ? baseUrl + path.slice(1)
      : `${baseUrl}/api/2022-06-09${path}`;
    const response = await request(url, {
      method: method as "GET",
      headers: {
        ...(apiKey ? { "x-api-key": apiKey } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.statusCode, headers: response.headers, body: parsed as any };
  };
}

/** Starts Herald in this process on a free port with a fresh data dir. */
export async function startTestHerald(env: Record<string, string> = {}): Promise<TestHerald> {
  const dataDir = env.HERALD_DATA_DIR ?? mkdtempSync(join(tmpdir(), "herald-test-"));
  const config = loadConfig(
    {
      PORT: "0",
      HERALD_DATA_DIR: dataDir,
      HERALD_API_KEY: TEST_API_KEY,
      HERALD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      HERALD_ORIGINAL_API_KEY: TEST_ORIGINAL.apiKey,
      HERALD_ORIGINAL_API_SECRET: TEST_ORIGINAL.apiSecret,
      HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8,::1/128",
      HERALD_RETRY_SCHEDULE: "0.05,0.1,0.2",
      HERALD_LOG_LEVEL: process.env.HERALD_TEST_LOG_LEVEL ?? "silent",
      ...env,
    },
    {},
  );
  const herald = await startHerald(config, createLogger(config.logLevel));
  return {
    herald,
    url: herald.url,
    apiKey: TEST_API_KEY,
    dataDir,
    config,
    api: apiClient(herald.url, TEST_API_KEY),
    async stop() {
      await herald.stop();
      if (!env.HERALD_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function eventually<T>(
  check: () => T | Promise<T>,
  // Generous: on a busy machine things take long; this only guards against a hang.
  { timeoutMs = 30_000, intervalMs = 20, message = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${message}${lastError ? `: ${String(lastError)}` : ""}`);
}

/** The embedded EVM chain `local`, when this Herald runs it. */
export async function embeddedEvmChain(herald: RunningHerald) {
  const running = (await herald.chainModule.runner("local")) as EvmRunner | undefined;
  if (!running?.embedded) throw new Error("this Herald does not run the embedded chain local");
  return running.embedded;
}

/** The embedded Solana cluster `solana`, when this Herald runs it. */
export async function embeddedSolana(herald: RunningHerald) {
  const running = (await herald.chainModule.runner("solana")) as SolanaRunner | undefined;
  const cluster = running?.cluster as EmbeddedSolana | null | undefined;
  if (!cluster || !("advance" in cluster)) {
    throw new Error("this Herald does not run the embedded Solana cluster");
  }
  return cluster;
}

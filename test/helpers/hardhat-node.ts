import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { freePort } from "./child-herald.js";
import { eventually } from "./herald.js";

/** Hardhat's first default account: a public test key, funded on every `hardhat node`. */
export const NODE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
export const NODE_SIGNER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

export interface HardhatNode {
  rpcUrl: string;
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  stop(): void;
}

/**
 * A `hardhat node` in its own process, reached over HTTP JSON-RPC like any real chain; its chain
 * id is Hardhat's 31337 unless `chainId` is given (to stand in for a named chain).
 */
export async function startHardhatNode(
  options: { chainId?: number; blockIntervalMs?: number } = {},
): Promise<HardhatNode> {
  const { chainId = 31337, blockIntervalMs } = options;
  const dir = mkdtempSync(join(tmpdir(), "herald-node-"));
  const config = join(dir, "hardhat.config.cjs");
  // Like a real node: a reverting transaction is mined, not thrown at the sender.
  // With `blockIntervalMs`, blocks are mined on that clock (interval mining), not per transaction.
  const network = JSON.stringify({
    chainId,
    throwOnTransactionFailures: false,
    ...(blockIntervalMs ? { mining: { auto: false, interval: blockIntervalMs } } : {}),
  });
  writeFileSync(config, `module.exports = { networks: { hardhat: ${network} } };\n`);
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const node = spawn(
    process.execPath,
    [
      "node_modules/hardhat/internal/cli/cli.js",
      "node",
      "--config",
      config,
      "--hostname",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    { stdio: "ignore", env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" } },
  );
  const rpc = async <T = unknown>(method: string, params: unknown[] = []): Promise<T> => {
    const res = await request(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await res.body.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  };
  await eventually(async () => (await rpc("eth_chainId")) === `0x${chainId.toString(16)}`, {
    timeoutMs: 30_000,
    intervalMs: 200,
    message: "hardhat node",
  });
  return {
    rpcUrl,
    rpc,
    stop() {
      node.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

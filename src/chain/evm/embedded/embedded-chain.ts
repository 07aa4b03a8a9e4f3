// The embedded `local` chain: Hardhat 2's EDR (a Rust EVM) in this process, behind viem's
// `custom` transport. No port, no child process; creating one takes ~0.2–0.4 s here (module
// loading included). Its state lives in memory; with `journalPath` every mined block is also
// journaled to a file and replayed on the next start (embedded-journaling.ts).
//
// Pin: hardhat 2.29.1 exactly (package.json). It has no `exports` map, so its internal modules
// resolve, but they are not public API and may move in any release:
//   hardhat/internal/core/config/config-resolution.js
//     resolveConfig(userConfigPath: string, userConfig: HardhatUserConfig): HardhatConfig
//     (the path must exist; it only anchors the unused project paths)
//   hardhat/internal/core/providers/construction.js
//     createProvider(config: HardhatConfig, networkName: "hardhat"): Promise<EthereumProvider>
// Hardhat 3 and EDR >= 0.14 need Node 22 (see shared/reference/chain-facts.md).
import { fileURLToPath } from "node:url";
import { custom, defineChain, parseEther } from "viem";
import type { Chain, CustomTransport, Hex } from "viem";
import type { HardhatNetworkAccountUserConfig, HardhatUserConfig } from "hardhat/types/config.js";
import { prepareJournal, startJournaling } from "./journaling.js";

export type EmbeddedMining =
  /** One block per transaction, mined as it arrives (Hardhat's default). */
  | "auto"
  /** Blocks only on `mine()` / `evm_mine`; transactions wait in the mempool. */
  | "manual"
  /** A block every `interval` ms holding what the mempool has. */
  | { interval: number };

export interface EmbeddedChainOptions {
  /** Default 31337. */
  chainId?: number;
  /** Keys funded at genesis with `balance` each, e.g. the minter key Herald generated. */
  fundedKeys?: Hex[];
  /** Genesis balance of each funded key, in wei. Default 10 000 ether. */
  balance?: bigint;
  /** Genesis accounts with their own balances (added to `fundedKeys`). */
  accounts?: { privateKey: Hex; balance: bigint }[];
  /** Default "auto". */
  mining?: EmbeddedMining;
  /** EVM hardfork; default Hardhat 2.29.1's (osaka). */
  hardfork?: string;
  /**
   * A file (created if missing) journaling every mined block, replayed on the next start so the
   * chain survives a restart (embedded-journal.ts). The same chain id, keys, balances and hardfork
   * are needed; a journal of another chain is refused. Without it the state lives in memory only.
   */
  journalPath?: string;
}

/** The EIP-1193 `request` of the embedded chain (with reverts made decodable, see below). */
export interface EmbeddedProvider {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

export interface EmbeddedChain {
  /** For `createPublicClient` / `createWalletClient`; it never retries (nothing is transient). */
  transport: CustomTransport;
  /** A viem chain named "local" with the configured id. */
  chain: Chain;
  provider: EmbeddedProvider;
  /** A polling interval (ms) suited to this chain's block rate, for viem clients. */
  pollingInterval: number;
  /** `evm_snapshot`: an id to return to with `revert`. */
  snapshot(): Promise<Hex>;
  /** `evm_revert`: the chain goes back to the snapshot (the id is used up). */
  revert(snapshotId: Hex): Promise<boolean>;
  /** Mines `blocks` blocks now (default 1), whatever the mining mode. */
  mine(blocks?: number): Promise<void>;
  /** With `journalPath`: the blocks replayed from the journal at start, and how long it took. */
  replayed?: { blocks: number; ms: number };
  /**
   * Stops interval mining; later requests fail. The chain's state is dropped with the object
   * (with `journalPath`: kept in the journal, whose file this closes).
   */
  close(): Promise<void>;
}

export const DEFAULT_FUNDED_BALANCE = parseEther("10000");

type HardhatModules = {
  resolveConfig: typeof import("hardhat/internal/core/config/config-resolution.js").resolveConfig;
  createProvider: typeof import("hardhat/internal/core/providers/construction.js").createProvider;
};
let hardhatModules: Promise<HardhatModules> | undefined;

/** Loaded on first use, so a process that never starts an embedded chain never loads Hardhat. */
function loadHardhat(): Promise<HardhatModules> {
  hardhatModules ??= Promise.all([
    import("hardhat/internal/core/config/config-resolution.js"),
    import("hardhat/internal/core/providers/construction.js"),
  ]).then(([resolution, construction]) => ({
    resolveConfig: resolution.resolveConfig,
    createProvider: construction.createProvider,
  }));
  return hardhatModules;
}

function miningConfig(mining: EmbeddedMining) {
  if (mining === "auto") return { auto: true, interval: 0 };
  if (mining === "manual") return { auto: false, interval: 0 };
  if (!Number.isInteger(mining.interval) || mining.interval <= 0) {
    throw new Error(`mining interval must be a positive integer (ms), got ${mining.interval}`);
  }
  return { auto: false, interval: mining.interval };
}

/**
 * In process, Hardhat throws a revert as an error with the revert bytes in `data` but no `code`.
 * Over HTTP the same error is `{code: 3, data}`, which is what viem looks for; without the code
 * viem reports "An unknown RPC error occurred" (and retries it). Give it the code.
 */
function asRpcError(error: unknown): unknown {
  if (typeof error === "object" && error !== null) {
    const e = error as { code?: unknown; data?: unknown };
    if (e.code === undefined && typeof e.data === "string") e.code = 3;
  }
  return error;
}

export async function createEmbeddedChain(
  options: EmbeddedChainOptions = {},
): Promise<EmbeddedChain> {
  const chainId = options.chainId ?? 31337;
  const mining = options.mining ?? "auto";
  const balance = options.balance ?? DEFAULT_FUNDED_BALANCE;
  const genesis: HardhatNetworkAccountUserConfig[] = [
    ...(options.fundedKeys ?? []).map((privateKey) => ({
      privateKey,
      balance: balance.toString(),
    })),
    ...(options.accounts ?? []).map((a) => ({
      privateKey: a.privateKey,
      balance: a.balance.toString(),
    })),
  ];

  const miningMode = miningConfig(mining);
  const journal = options.journalPath ? prepareJournal(options.journalPath, chainId) : null;
  const { resolveConfig, createProvider } = await loadHardhat();
  const userConfig: HardhatUserConfig = {
    networks: {
      hardhat: {
        loggingEnabled: false,
        chainId,
        // Like a real node: a reverting transaction is accepted, mined and has a receipt with
        // status "reverted". Hardhat's default instead throws from eth_sendRawTransaction.
        throwOnTransactionFailures: false,
        // A journal is replayed with mining off; journaling then switches it on.
        mining: journal ? { auto: false, interval: 0 } : miningMode,
        // The journal's genesis time, so that block 0 hashes the same as before the restart.
        ...(journal
          ? { initialDate: new Date(journal.genesisTimestamp * 1000).toISOString() }
          : {}),
        // Without accounts: Hardhat's 20 well-known test accounts (public keys, 10 000 ether).
        ...(genesis.length > 0 ? { accounts: genesis } : {}),
        ...(options.hardfork ? { hardfork: options.hardfork } : {}),
      },
    },
  };
  const config = resolveConfig(fileURLToPath(import.meta.url), userConfig);
  const hardhat = await createProvider(config, "hardhat");
  const edr: EmbeddedProvider = {
    async request({ method, params }) {
      try {
        return await hardhat.request({ method, params: params as unknown[] | undefined });
      } catch (error) {
        throw asRpcError(error);
      }
    },
  };

  const interval = typeof mining === "object" ? mining.interval : undefined;
  const journaling = journal
    ? await startJournaling(edr, journal, { automine: mining === "auto", intervalMs: interval })
    : null;
  const inner = journaling ?? edr;
  let closed = false;
  const provider: EmbeddedProvider = {
    async request(args) {
      if (closed) throw new Error(`embedded chain ${chainId} is closed (${args.method})`);
      return inner.request(args);
    },
  };

  const chain = defineChain({
    id: chainId,
    name: "local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
    // Keeps viem's block-number cache at 0 ms: the embedded chain makes blocks at will.
    blockTime: interval ?? 1,
    testnet: true,
  });

  return {
    transport: custom(provider, { key: "embedded", name: "Embedded EDR chain", retryCount: 0 }),
    chain,
    provider,
    pollingInterval: interval ? Math.max(5, Math.floor(interval / 2)) : 10,
    snapshot: async () => (await provider.request({ method: "evm_snapshot" })) as Hex,
    revert: async (snapshotId) =>
      (await provider.request({ method: "evm_revert", params: [snapshotId] })) as boolean,
    mine: async (blocks = 1) => {
      await provider.request({ method: "hardhat_mine", params: [`0x${blocks.toString(16)}`] });
    },
    ...(journaling ? { replayed: journaling.replayed } : {}),
    close: async () => {
      if (closed) return;
      if (interval !== undefined && !journaling)
        await provider.request({ method: "evm_setIntervalMining", params: [0] });
      closed = true;
      await journaling?.close();
    },
  };
}

// The Solana family: `solana`, the embedded LiteSVM cluster, and clusters reached over JSON-RPC
// with @solana/kit. Collections and NFTs are Token-2022 mints (docs/chain.md, "Solana").
import { join } from "node:path";
import type { Address } from "@solana/kit";
import type { ChainBase, ChainInfo } from "../../core/chain/chain-types.js";
import type { ChainAdapter } from "../../core/ports/chain-adapter.js";
import { parseSolanaAddress } from "./address.js";
import { solanaCustodialAddress } from "./custodial-wallets.js";
import { parseSecretKey } from "./keys.js";
import { connectRpcLedger } from "./ledger/rpc-ledger.js";
import { SolanaRunner } from "./solana-runner.js";
import { metadataProblem } from "./token/layout.js";

/** Crossmint's names on Solana: a collection's `mintAddress`, a token's `mintHash`. */
const SOLANA_NAMES = {
  collectionAddress: "mintAddress",
  tokenId: "mintHash",
  nftNamesCollection: false,
};

/** The embedded cluster: LiteSVM in process, journaled in the data dir. */
export const SOLANA_CHAIN: ChainInfo = {
  name: "solana",
  family: "solana",
  chainId: 0,
  confirmations: 1,
  finality: 1,
  rpcUrl: null,
  replaceAfterMs: 30_000,
  commitment: "confirmed",
  computeUnitPrice: 0,
  maxComputeUnitPrice: 1_000_000,
  onChainNames: SOLANA_NAMES,
};

/** On a real cluster the first attempt already pays a small priority fee. */
const DEFAULT_RPC_PRICE = 1_000;
const MAX_PRICE = 1_000_000_000;

function wholeNumber(value: unknown, fallback: number, field: string, named: string): number {
  const n = value ?? fallback;
  if (!Number.isSafeInteger(n) || (n as number) < 0 || (n as number) > MAX_PRICE) {
    throw new Error(`${named}: ${field} must be a whole number from 0 to ${MAX_PRICE}`);
  }
  return n as number;
}

/** `commitment`, `computeUnitPrice`, `maxComputeUnitPrice`, `wsUrl` and `privateKey` of a Solana
 * HERALD_CHAINS entry. */
export function parseSolanaChain(
  c: Record<string, unknown>,
  base: ChainBase,
  named: string,
): ChainInfo {
  const embedded = base.rpcUrl === null;
  if (base.rpcUrls) {
    throw new Error(`${named}: a Solana chain takes one rpcUrl (failover is EVM's for now)`);
  }
  const commitment = c.commitment ?? "confirmed";
  if (commitment !== "confirmed" && commitment !== "finalized") {
    throw new Error(`${named}: commitment must be "confirmed" or "finalized"`);
  }
  const price = wholeNumber(
    c.computeUnitPrice,
    embedded ? 0 : DEFAULT_RPC_PRICE,
    "computeUnitPrice",
    named,
  );
  const maxPrice = wholeNumber(
    c.maxComputeUnitPrice,
    Math.max(SOLANA_CHAIN.maxComputeUnitPrice!, price),
    "maxComputeUnitPrice",
    named,
  );
  if (maxPrice < price) throw new Error(`${named}: maxComputeUnitPrice is below computeUnitPrice`);
  if (c.wsUrl !== undefined && (typeof c.wsUrl !== "string" || !/^wss?:\/\//.test(c.wsUrl))) {
    throw new Error(`${named}: wsUrl must be a ws(s) URL`);
  }
  let privateKey: string | undefined;
  if (c.privateKey !== undefined) {
    const seed = typeof c.privateKey === "string" ? parseSecretKey(c.privateKey) : "must be text";
    if (typeof seed === "string") throw new Error(`${named}: privateKey ${seed}`);
    privateKey = Buffer.from(seed).toString("hex");
  }
  return {
    ...base,
    chainId: 0,
    finality: base.confirmations,
    replaceAfterMs: SOLANA_CHAIN.replaceAfterMs,
    commitment,
    onChainNames: SOLANA_NAMES,
    computeUnitPrice: price,
    maxComputeUnitPrice: maxPrice,
    ...(typeof c.wsUrl === "string" ? { wsUrl: c.wsUrl } : {}),
    ...(privateKey ? { privateKey } : {}),
  };
}

export const solanaAdapter: ChainAdapter = {
  family: "solana",
  embeddedChain: SOLANA_CHAIN,
  embeddedNamePublic: true,
  semiFungible: false,
  parseChain: parseSolanaChain,
  parseAddress: parseSolanaAddress,
  tokenMetadataProblem: metadataProblem,
  custodialAddress: solanaCustodialAddress,
  async startChain(chain, context) {
    const { stateDir, ...deps } = context;
    const embedded = chain.rpcUrl === null;
    const runner = new SolanaRunner(chain, {
      ...deps,
      connect: async (payer) => {
        if (!embedded) return connectRpcLedger(chain, deps.metrics);
        // Loaded when used: LiteSVM's native runtime costs every other process nothing.
        const { openEmbeddedSolana } = await import("./ledger/embedded-ledger.js");
        return openEmbeddedSolana(join(stateDir, `${chain.name}.solana-journal`), payer as Address);
      },
      pollMs: embedded ? 20 : 500,
      rebroadcastMs: embedded ? 1_000 : 2_000,
    });
    await runner.start();
    return runner;
  },
};

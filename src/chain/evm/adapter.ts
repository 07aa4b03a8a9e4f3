// The EVM family: chains reached over JSON-RPC with viem, and `local`, the embedded EDR chain.
import { parseGweiCeiling } from "../../core/policy/fee-ceiling.js";
import { join } from "node:path";
import { parseEther } from "viem";
import type { ChainBase, ChainInfo } from "../../core/chain/chain-types.js";
import type { ChainAdapter } from "../../core/ports/chain-adapter.js";
import { parseEvmAddress } from "./address.js";
import { CROSSMINT_EVM_CHAINS, crossmintChainId } from "./crossmint-chains.js";
import { custodialAddress, deriveCustodialKey } from "./custodial-wallets.js";
import { EvmRunner } from "./evm-runner.js";
import { verifyEvmChain } from "./verify-chain.js";

/** The embedded development chain: Hardhat's EDR in process, journaled in the data dir. */
export const LOCAL_CHAIN: ChainInfo = {
  name: "local",
  family: "evm",
  chainId: 31337,
  confirmations: 1,
  finality: 12,
  rpcUrl: null,
  replaceAfterMs: 30_000,
};

/** Remote chains: Ethereum's blocks are final after two epochs (64 blocks). */
const DEFAULT_FINALITY = 64;
const DEFAULT_REPLACE_AFTER_MS = 60_000;
const PRIVATE_KEY = /^0x[0-9a-fA-F]{64}$/;

/**
 * The chain id of an EVM HERALD_CHAINS entry: as given, or Crossmint's for a chain it names (a
 * given one must agree), or the embedded chain's.
 */
function parseChainId(c: Record<string, unknown>, base: ChainBase, named: string): number {
  const known = crossmintChainId(base.name);
  const chainId = c.chainId ?? known ?? (base.rpcUrl === null ? LOCAL_CHAIN.chainId : undefined);
  if (!Number.isInteger(chainId) || (chainId as number) <= 0) {
    throw new Error(`${named}: chainId must be a positive whole number`);
  }
  if (known !== undefined && chainId !== known) {
    throw new Error(
      `${named}: chainId ${chainId as number} contradicts "${base.name}", which is chain id ${known} ` +
        `(Crossmint's name); leave chainId out, or give the chain another name`,
    );
  }
  return chainId as number;
}

const MAX_SIGNERS = 64;
/** Mints per batch transaction, at most: 100 mints with Herald's token URIs take about 19 M
 * gas (25 took 4.69 M), under a 30 M block. */
const MAX_MINT_BATCH = 100;

/** `privateKeys`, `signers`, `maxPendingPerSigner` and `signerBalanceLow` of an EVM entry. */
function parseSignerPool(
  c: Record<string, unknown>,
  named: string,
): Pick<ChainInfo, "privateKeys" | "signers" | "maxPendingPerSigner" | "signerBalanceLow"> {
  const pool: ReturnType<typeof parseSignerPool> = {};
  if (c.privateKeys !== undefined) {
    const keys = c.privateKeys;
    if (
      !Array.isArray(keys) ||
      keys.length === 0 ||
      keys.length > MAX_SIGNERS ||
      !keys.every((k) => typeof k === "string" && PRIVATE_KEY.test(k))
    ) {
      throw new Error(
        `${named}: privateKeys must be a list of 1 to ${MAX_SIGNERS} keys, each 0x and 64 hex digits`,
      );
    }
    const lower = keys.map((k: string) => k.toLowerCase());
    if (new Set(lower).size !== lower.length) {
      throw new Error(`${named}: privateKeys lists a key twice`);
    }
    if (c.privateKey !== undefined || c.signers !== undefined) {
      throw new Error(`${named}: give privateKeys, or privateKey, or signers: not two of them`);
    }
    pool.privateKeys = keys as string[];
  }
  if (c.signers !== undefined) {
    if (
      !Number.isInteger(c.signers) ||
      (c.signers as number) < 1 ||
      (c.signers as number) > MAX_SIGNERS
    ) {
      throw new Error(`${named}: signers must be a whole number from 1 to ${MAX_SIGNERS}`);
    }
    if (c.privateKey !== undefined) {
      throw new Error(`${named}: give privateKey or signers, not both (privateKeys for a pool)`);
    }
    pool.signers = c.signers as number;
  }
  if (c.maxPendingPerSigner !== undefined) {
    const maxPending = c.maxPendingPerSigner;
    if (
      !Number.isInteger(maxPending) ||
      (maxPending as number) < 1 ||
      (maxPending as number) > 1_000
    ) {
      throw new Error(`${named}: maxPendingPerSigner must be a whole number from 1 to 1000`);
    }
    pool.maxPendingPerSigner = maxPending as number;
  }
  if (c.signerBalanceLow !== undefined) {
    const text = c.signerBalanceLow;
    if (typeof text !== "string" || !/^\d{1,30}(\.\d{1,18})?$/.test(text)) {
      throw new Error(
        `${named}: signerBalanceLow must be a decimal string in the native coin, e.g. "0.05"`,
      );
    }
    pool.signerBalanceLow = parseEther(text).toString();
  }
  return pool;
}

/** `chainId`, `finality`, `replaceAfterMs` and `privateKey` of an EVM HERALD_CHAINS entry. */
export function parseEvmChain(
  c: Record<string, unknown>,
  base: ChainBase,
  named: string,
): ChainInfo {
  const local = base.rpcUrl === null;
  const chainId = parseChainId(c, base, named);
  const defaultFinality = local ? LOCAL_CHAIN.finality : DEFAULT_FINALITY;
  const finality = c.finality ?? Math.max(defaultFinality, base.confirmations);
  if (!Number.isInteger(finality) || (finality as number) < base.confirmations) {
    throw new Error(`${named}: finality must be a whole number, at least confirmations`);
  }
  const replaceAfterMs =
    c.replaceAfterMs ?? (local ? LOCAL_CHAIN.replaceAfterMs : DEFAULT_REPLACE_AFTER_MS);
  if (!Number.isInteger(replaceAfterMs) || (replaceAfterMs as number) < 100) {
    throw new Error(`${named}: replaceAfterMs must be a whole number of ms from 100`);
  }
  if (
    c.privateKey !== undefined &&
    (typeof c.privateKey !== "string" || !PRIVATE_KEY.test(c.privateKey))
  ) {
    throw new Error(`${named}: privateKey must be 0x and 64 hex digits`);
  }
  if (c.maxFeePerGas !== undefined && typeof c.maxFeePerGas !== "string") {
    throw new Error(`${named}: maxFeePerGas must be gwei as a decimal string, e.g. "50"`);
  }
  const maxFeePerGas =
    c.maxFeePerGas === undefined ? undefined : parseGweiCeiling(c.maxFeePerGas as string);
  if (maxFeePerGas === null) {
    throw new Error(
      `${named}: maxFeePerGas must be gwei as a decimal string above 0 (at most 12 digits and 9 decimals), e.g. "50"`,
    );
  }
  const mintBatch = c.mintBatch;
  if (
    mintBatch !== undefined &&
    (!Number.isInteger(mintBatch) ||
      (mintBatch as number) < 1 ||
      (mintBatch as number) > MAX_MINT_BATCH)
  ) {
    throw new Error(`${named}: mintBatch must be a whole number from 1 to ${MAX_MINT_BATCH}`);
  }
  return {
    ...base,
    chainId,
    finality: finality as number,
    replaceAfterMs: replaceAfterMs as number,
    ...(maxFeePerGas === undefined ? {} : { maxFeePerGas: maxFeePerGas.toString() }),
    ...(c.privateKey ? { privateKey: c.privateKey as string } : {}),
    ...(mintBatch === undefined ? {} : { mintBatch: mintBatch as number }),
    ...parseSignerPool(c, named),
  };
}

export const evmAdapter: ChainAdapter = {
  family: "evm",
  embeddedChain: LOCAL_CHAIN,
  knownChains: [...CROSSMINT_EVM_CHAINS.keys()],
  parseChain: parseEvmChain,
  verifyChain: verifyEvmChain,
  parseAddress: parseEvmAddress,
  custodialAddress: (secret, projectId, email) =>
    custodialAddress(deriveCustodialKey(secret, projectId, email)),
  async startChain(chain, context) {
    const { stateDir, ...deps } = context;
    const runner = new EvmRunner(chain, {
      ...deps,
      journalPath: join(stateDir, `${chain.name}.journal`),
    });
    await runner.start();
    return runner;
  },
};

// The clients of one chain: the embedded EDR chain in process, or a JSON-RPC node over HTTP.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ChainInfo } from "../../core/chain/chain-types.js";
import { createEmbeddedChain, type EmbeddedChain } from "./embedded/embedded-chain.js";

export interface ChainConnection {
  chain: Chain;
  client: PublicClient;
  wallet: WalletClient;
  pollingInterval: number;
  /** Only for the embedded chain. */
  embedded: EmbeddedChain | null;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** The embedded chain's journal: its state survives restarts (see embedded-journal.ts). */
  journalPath?: string;
}

export async function connectChain(
  info: ChainInfo,
  signerKey: Hex,
  options: ConnectOptions = {},
): Promise<ChainConnection> {
  let transport: Transport;
  let chain: Chain;
  let pollingInterval = 1000;
  let embedded: EmbeddedChain | null = null;
  if (info.rpcUrl === null) {
    if (options.journalPath) mkdirSync(dirname(options.journalPath), { recursive: true });
    embedded = await createEmbeddedChain({
      chainId: info.chainId,
      fundedKeys: [signerKey],
      ...(options.journalPath ? { journalPath: options.journalPath } : {}),
    });
    ({ transport, chain, pollingInterval } = embedded);
  } else {
    transport = http(info.rpcUrl);
    chain = defineChain({
      id: info.chainId,
      name: info.name,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [info.rpcUrl] } },
    });
  }
  const client = createPublicClient({ chain, transport, pollingInterval }) as PublicClient;
  const account = privateKeyToAccount(signerKey);
  const wallet = createWalletClient({ account, chain, transport });
  return {
    chain,
    client,
    wallet,
    pollingInterval,
    embedded,
    close: async () => embedded?.close(),
  };
}

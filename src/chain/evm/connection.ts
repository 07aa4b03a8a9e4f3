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
import type { ChainMetrics, RpcNodeStatus } from "../../core/ports/chain-adapter.js";
import { createEmbeddedChain, type EmbeddedChain } from "./embedded/embedded-chain.js";
import { failoverTransport } from "./failover-transport.js";

export interface ChainConnection {
  chain: Chain;
  client: PublicClient;
  /** One wallet client per signer key, in the order given. */
  wallets: WalletClient[];
  pollingInterval: number;
  /** Only for the embedded chain. */
  embedded: EmbeddedChain | null;
  /** Each node's state, where the chain has several (`rpcUrls`). */
  nodes?: () => RpcNodeStatus[];
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** The embedded chain's journal: its state survives restarts (see embedded-journal.ts). */
  journalPath?: string;
  /** Counts every JSON-RPC call and its failures. */
  metrics?: ChainMetrics;
}

/** `transport` with each request counted (after the transport's own retries). */
function counted(transport: Transport, chain: string, metrics: ChainMetrics): Transport {
  return (params) => {
    const inner = transport(params);
    const request = (async (args, options) => {
      try {
        const result = await inner.request(args, options);
        metrics.rpcCall(chain, args.method, false);
        return result;
      } catch (error) {
        metrics.rpcCall(chain, args.method, true);
        throw error;
      }
    }) as typeof inner.request;
    return { ...inner, request };
  };
}

export async function connectChain(
  info: ChainInfo,
  signerKeys: readonly Hex[],
  options: ConnectOptions = {},
): Promise<ChainConnection> {
  let transport: Transport;
  let chain: Chain;
  let pollingInterval = 1000;
  let embedded: EmbeddedChain | null = null;
  let nodes: (() => RpcNodeStatus[]) | undefined;
  if (info.rpcUrl === null) {
    if (options.journalPath) mkdirSync(dirname(options.journalPath), { recursive: true });
    embedded = await createEmbeddedChain({
      chainId: info.chainId,
      // The first key only: the journal's genesis stays the same whatever the pool's size (the
      // runner funds the others with transfers, which the journal keeps).
      fundedKeys: signerKeys.slice(0, 1),
      ...(options.journalPath ? { journalPath: options.journalPath } : {}),
    });
    ({ transport, chain, pollingInterval } = embedded);
  } else {
    const urls = info.rpcUrls ?? [info.rpcUrl];
    chain = defineChain({
      id: info.chainId,
      name: info.name,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: urls } },
    });
    if (urls.length > 1) {
      const failover = failoverTransport(urls, { chain });
      transport = failover.transport;
      nodes = failover.status;
    } else transport = http(info.rpcUrl);
  }
  if (options.metrics) transport = counted(transport, info.name, options.metrics);
  const client = createPublicClient({ chain, transport, pollingInterval }) as PublicClient;
  const wallets = signerKeys.map((key) =>
    createWalletClient({ account: privateKeyToAccount(key), chain, transport }),
  );
  return {
    chain,
    client,
    wallets,
    pollingInterval,
    embedded,
    ...(nodes ? { nodes } : {}),
    close: async () => embedded?.close(),
  };
}

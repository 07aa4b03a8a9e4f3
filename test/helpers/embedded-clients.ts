// viem clients on an embedded chain, as the contract tests drive it.
import { createPublicClient, createWalletClient } from "viem";
import type { PublicClient, WalletClient } from "viem";
import type { EmbeddedChain } from "../../src/chain/evm/embedded/embedded-chain.js";

export function embeddedClients(chain: EmbeddedChain): {
  publicClient: PublicClient;
  wallet: WalletClient;
} {
  const options = {
    chain: chain.chain,
    transport: chain.transport,
    pollingInterval: chain.pollingInterval,
  };
  return { publicClient: createPublicClient(options), wallet: createWalletClient(options) };
}

// Is the node behind a chain's rpcUrl the chain configured? Asked once at start (a mismatch stops
// start-up) and again by the chain's runner before it sends anything.
import { createPublicClient, http } from "viem";
import type { ChainInfo } from "../../core/chain/chain-types.js";
import type { ChainIdentity } from "../../core/ports/chain-adapter.js";

/** Why `reported` (the node's eth_chainId) is not `chain`'s id, in one line; null when it is. */
export function chainIdMismatch(chain: ChainInfo, reported: number): string | null {
  if (reported === chain.chainId) return null;
  return (
    `chain "${chain.name}" is configured as chain id ${chain.chainId}, ` +
    `but its rpcUrl's node reports chain id ${reported}`
  );
}

/** The node's eth_chainId compared with the configured one; one try within `timeoutMs`. */
export async function verifyEvmChain(chain: ChainInfo, timeoutMs: number): Promise<ChainIdentity> {
  if (chain.rpcUrl === null) return { status: "verified" };
  const client = createPublicClient({
    transport: http(chain.rpcUrl, { timeout: timeoutMs, retryCount: 0 }),
  });
  let reported: number;
  try {
    reported = await client.getChainId();
  } catch (error) {
    // viem's messages go on for lines (and may repeat the URL, which can hold a key): the first.
    const reason = ((error as Error).message ?? String(error)).split("\n")[0]!;
    return { status: "unreachable", reason };
  }
  const message = chainIdMismatch(chain, reported);
  return message ? { status: "mismatch", message } : { status: "verified" };
}

// At start, each configured JSON-RPC chain's node is asked which chain it is (the embedded
// chains are what they are). A node of another chain stops start-up; a node that cannot be asked
// does not (it may come back, and the chain's runner asks again before sending anything).
import type { Log } from "../ports/log.js";
import type { ChainRegistry } from "./chains.js";

/** How long start-up waits for a node's answer: every chain is asked at once. */
export const CHAIN_CHECK_TIMEOUT_MS = 5_000;

/**
 * Asks the node of every configured JSON-RPC chain whose family can tell, all at once, each
 * within `timeoutMs`. Returns the mismatches (one line each, naming the chain and both ids);
 * nodes that could not be asked are logged as warnings.
 */
export async function findChainMismatches(
  chains: ChainRegistry,
  log: Log,
  timeoutMs = CHAIN_CHECK_TIMEOUT_MS,
): Promise<string[]> {
  const remote = chains.all().filter((chain) => chain.rpcUrl !== null);
  const answers = await Promise.all(
    remote.map(async (chain) => {
      const identity = await chains.adapterOf(chain).verifyChain?.(chain, timeoutMs);
      if (identity?.status === "unreachable") {
        log.warn(
          { chain: chain.name, reason: identity.reason },
          "could not ask the chain's node which chain it is; starting anyway (its runner asks again before sending)",
        );
      }
      return identity?.status === "mismatch" ? identity.message : null;
    }),
  );
  return answers.filter((message): message is string => message !== null);
}

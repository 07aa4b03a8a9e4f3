// The embedded chain funds only the first signer at genesis (so its journal's genesis does not
// depend on the pool's size); the others are funded from it with plain transfers, journaled like
// any transaction, the first time they are seen empty.
import { parseEther, type Address } from "viem";
import type { ChainConnection } from "../connection.js";

const POOL_MEMBER_FUNDING = parseEther("1000");

export async function fundEmbeddedPool(
  connection: ChainConnection,
  addresses: readonly Address[],
): Promise<void> {
  const [funder] = connection.wallets;
  if (!funder?.account) return;
  for (const address of addresses.slice(1)) {
    if ((await connection.client.getBalance({ address })) > 0n) continue;
    const hash = await funder.sendTransaction({
      account: funder.account,
      chain: connection.chain,
      to: address,
      value: POOL_MEMBER_FUNDING,
    });
    await connection.client.waitForTransactionReceipt({ hash });
  }
}

import { createPublicClient, createWalletClient, encodeFunctionData, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { collectionArtifact, createEmbeddedChain } from "../src/index.js";
import { runPool } from "./stats.js";

/**
 * The chain's own ceiling for the mint phase: the same contract on a bare embedded chain in
 * this process, minted with viem directly (local nonces, sends in nonce order as automine
 * needs, receipts awaited concurrently): no API, no store, no journal, no webhook.
 */
export async function measureMintCeiling(count: number, concurrency: number): Promise<number> {
  const key = generatePrivateKey();
  const account = privateKeyToAccount(key);
  const chain = await createEmbeddedChain({ fundedKeys: [key] });
  try {
    const options = { chain: chain.chain, transport: chain.transport };
    const client = createPublicClient({ ...options, pollingInterval: chain.pollingInterval });
    const wallet = createWalletClient({ ...options, account });
    const { abi, bytecode } = collectionArtifact;
    const deployed = await client.waitForTransactionReceipt({
      hash: await wallet.deployContract({
        abi,
        bytecode,
        args: ["Ceiling", "CEIL", account.address, 0n, []],
      }),
    });
    const to = deployed.contractAddress as Address;
    const fees = await client.estimateFeesPerGas();
    let nonce = await client.getTransactionCount({ address: account.address });
    let queue: Promise<unknown> = Promise.resolve();
    const started = performance.now();
    await runPool(count, concurrency, async (i) => {
      const args = [account.address, `ceiling #${i}`];
      const data = encodeFunctionData({ abi, functionName: "mintTo", args });
      // Nonce and place in the send queue are taken together, before any await.
      const signing = account.signTransaction({
        type: "eip1559",
        chainId: chain.chain.id,
        nonce: nonce++,
        to,
        data,
        gas: 300_000n,
        ...fees,
      });
      const sent = queue.then(async () =>
        client.sendRawTransaction({ serializedTransaction: await signing }),
      );
      queue = sent.catch(() => undefined);
      const receipt = await client.waitForTransactionReceipt({ hash: await sent });
      if (receipt.status !== "success") throw new Error(`ceiling mint ${i} reverted`);
    });
    return count / ((performance.now() - started) / 1000);
  } finally {
    await chain.close();
  }
}

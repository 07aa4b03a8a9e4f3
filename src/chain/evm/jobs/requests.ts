import { encodeDeployData, encodeFunctionData, type Abi, type Address } from "viem";
import type { ChainJob, Collection } from "../../../core/chain/chain-types.js";
import { collectionArtifact } from "../artifacts.js";
import type { TxRequest } from "../tx/types.js";

/** The transaction a job sends, `wait` while its collection is still deploying, or why it cannot run. */
export function requestFor(
  job: ChainJob,
  collection: Collection | null,
  owner: Address,
): TxRequest | "wait" | { fail: string } {
  const { abi, bytecode } = collectionArtifact;
  if (job.kind === "deploy") {
    const { name, symbol, supplyLimit } = job.payload;
    const args = [String(name), String(symbol), owner, BigInt(supplyLimit ?? 0)];
    return { data: encodeDeployData({ abi, bytecode, args }), abi };
  }
  if (!collection) return { fail: "the collection does not exist" };
  if (collection.status === "failed") return { fail: "the collection's deployment failed" };
  if (collection.status !== "deployed" || !collection.contractAddress) return "wait";
  const to = collection.contractAddress as Address;
  const call = (functionName: string, args: unknown[]) => ({
    to,
    data: encodeFunctionData({ abi, functionName, args } as Parameters<
      typeof encodeFunctionData
    >[0]),
  });
  switch (job.kind) {
    case "mint":
      return call(job.payload.custody ? "mintToCustody" : "mintTo", [
        job.payload.to,
        job.payload.tokenUri,
      ]);
    case "transfer":
      return call("custodyTransfer", [
        job.payload.from,
        job.payload.to,
        BigInt(job.payload.tokenId),
        job.payload.keepInCustody,
      ]);
    case "update":
      // The metadata lives at the same URL; the call announces the change (ERC-4906).
      return call("setTokenURI", [BigInt(job.payload.tokenId), job.payload.tokenUri]);
    case "burn":
      return job.payload.from
        ? call("custodyBurn", [job.payload.from, BigInt(job.payload.tokenId)])
        : call("burn", [BigInt(job.payload.tokenId)]);
    case "setSupplyLimit":
      return call("setSupplyLimit", [BigInt(job.payload.supplyLimit)]);
  }
}

/** Positional arguments as an object keyed by the ABI's parameter names, as Crossmint reports them. */
export function namedArguments(
  abi: Abi,
  functionName: string,
  args: readonly unknown[] | undefined,
) {
  const fn = abi.find((item) => item.type === "function" && item.name === functionName);
  const inputs = fn && "inputs" in fn ? fn.inputs : [];
  const named: Record<string, unknown> = {};
  (args ?? []).forEach((value, i) => {
    named[inputs[i]?.name || `arg${i}`] = typeof value === "bigint" ? value.toString() : value;
  });
  return named;
}

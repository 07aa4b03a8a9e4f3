import {
  encodeDeployData,
  encodeFunctionData,
  keccak256,
  toFunctionSelector,
  toHex,
  type Abi,
  type Address,
} from "viem";
import { isRewardJob, type ChainJob } from "../../../core/chain/chain-types.js";
import { collectionArtifact, rewardsArtifact } from "../artifacts.js";
import type { TxRequest } from "../tx/types.js";

/** The contract a job acts on, as recorded: a collection, or a reward's rewards contract. */
export interface JobTarget {
  status: "pending" | "deploying" | "deployed" | "failed";
  contractAddress: string | null;
}

/** The ABI a job's calls (and reverts) are encoded with. */
export function abiOf(job: ChainJob): Abi {
  return isRewardJob(job) ? rewardsArtifact.abi : collectionArtifact.abi;
}

/** An allocation's nonce as the contract keeps it: the caller's text, hashed to 32 bytes. */
export function allocationNonce(nonce: string): `0x${string}` {
  return keccak256(toHex(nonce));
}

/** The transaction a job sends, `wait` while its contract is still deploying, or why it cannot run. */
export function requestFor(
  job: ChainJob,
  target: JobTarget | null,
  owner: Address,
  /** The chain's signer pool: a collection's other signers become its minters. */
  pool: readonly Address[] = [owner],
): TxRequest | "wait" | { fail: string } {
  const abi = abiOf(job);
  if (job.kind === "deploy") {
    const { name, symbol, supplyLimit } = job.payload;
    const minters = pool.filter((a) => a.toLowerCase() !== owner.toLowerCase());
    const args = [String(name), String(symbol), owner, BigInt(supplyLimit ?? 0), minters];
    return { data: encodeDeployData({ abi, bytecode: collectionArtifact.bytecode, args }), abi };
  }
  if (job.kind === "rewardDeploy") {
    const { name, symbol, withdrawReceiver, initialSupply } = job.payload;
    const args = [name, symbol, owner, withdrawReceiver, BigInt(initialSupply)];
    return { data: encodeDeployData({ abi, bytecode: rewardsArtifact.bytecode, args }), abi };
  }
  const what = isRewardJob(job) ? "rewards contract" : "collection";
  if (!target) return { fail: `the ${what} does not exist` };
  if (target.status === "failed") return { fail: `the ${what}'s deployment failed` };
  if (target.status !== "deployed" || !target.contractAddress) return "wait";
  const to = target.contractAddress as Address;
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
    case "allocate":
      return call("allocate", [
        job.payload.to,
        BigInt(job.payload.amount),
        allocationNonce(job.payload.nonce),
      ]);
    case "claim":
      return call("claim", [job.payload.from, job.payload.to, BigInt(job.payload.amount)]);
    case "withdraw":
      return call("withdraw", []);
  }
}

/** One transaction minting every job of `mints` (one collection's), in order: `mintBatch`. */
export function batchMintRequest(mints: readonly ChainJob[], contract: Address): TxRequest {
  const payloads = mints.map((job) => {
    if (job.kind !== "mint") throw new Error(`job ${job.id} is not a mint`);
    return job.payload;
  });
  const abi = collectionArtifact.abi;
  const data = encodeFunctionData({
    abi,
    functionName: "mintBatch",
    args: [
      payloads.map((p) => p.to as Address),
      payloads.map((p) => p.tokenUri),
      payloads.map((p) => Boolean(p.custody)),
    ],
  });
  return { to: contract, data, abi };
}

/** `mintBatch`'s selector: a collection whose code lacks it (deployed before) mints one by one. */
export const MINT_BATCH_SELECTOR = toFunctionSelector("mintBatch(address[],string[],bool[])");

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

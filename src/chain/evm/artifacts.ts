// Compiled contract artifacts, written by `npm run build:contracts` (scripts/build-contracts.mjs)
// into src/chain/evm/artifacts/ and read here at run time.
//
// One copy only, in src/: under tsx this module sits next to the folder (src/chain/evm/), after
// `tsc -p tsconfig.build.json` it runs from dist/chain/evm/ and finds the folder at
// ../../../src/chain/evm/artifacts/. No copy step, so dist/ can never hold a stale artifact.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Abi, Hex } from "viem";

export interface ContractArtifact {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
  solcVersion: string;
  sourceHash: string;
}

const candidateDirs = [
  new URL("./artifacts/", import.meta.url), // src/chain/evm/ under tsx
  new URL("../../../src/chain/evm/artifacts/", import.meta.url), // dist/chain/evm/ after the build
  new URL("../../../../src/chain/evm/artifacts/", import.meta.url), // dist/src/chain/evm/ (tsconfig.json emit)
];

const loaded = new Map<string, ContractArtifact>();

/** Reads `<contractName>.json`; throws with the command to run when it was never built. */
export function loadArtifact(contractName: string): ContractArtifact {
  const cached = loaded.get(contractName);
  if (cached) return cached;
  const file = `${contractName}.json`;
  const dir = candidateDirs.find((candidate) => existsSync(new URL(file, candidate)));
  if (!dir) {
    const looked = candidateDirs.map((candidate) => fileURLToPath(candidate)).join(", ");
    throw new Error(
      `contract artifact ${file} not found (looked in ${looked}); run \`npm run build:contracts\``,
    );
  }
  const artifact = JSON.parse(readFileSync(new URL(file, dir), "utf8")) as ContractArtifact;
  if (!Array.isArray(artifact.abi) || !/^0x[0-9a-f]+$/i.test(artifact.bytecode)) {
    throw new Error(`contract artifact ${fileURLToPath(new URL(file, dir))} is malformed`);
  }
  loaded.set(contractName, artifact);
  return artifact;
}

/**
 * The HeraldCollection ERC-721 contract. Read on first use, so importing this module never
 * fails; the first access to `abi` or `bytecode` throws if the artifact was not built.
 */
export const collectionArtifact: { readonly abi: Abi; readonly bytecode: Hex } = {
  get abi() {
    return loadArtifact("HeraldCollection").abi;
  },
  get bytecode() {
    return loadArtifact("HeraldCollection").bytecode;
  },
};

/** The HeraldRewards ERC-20 contract (one per Original reward), read on first use likewise. */
export const rewardsArtifact: { readonly abi: Abi; readonly bytecode: Hex } = {
  get abi() {
    return loadArtifact("HeraldRewards").abi;
  },
  get bytecode() {
    return loadArtifact("HeraldRewards").bytecode;
  },
};

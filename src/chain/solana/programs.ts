// The programs Herald's Solana transactions call, besides Token-2022.
import { address, type Address, type Instruction } from "@solana/kit";

export const SYSTEM_PROGRAM = address("11111111111111111111111111111111");
export const ASSOCIATED_TOKEN_PROGRAM = address("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");
export const COMPUTE_BUDGET_PROGRAM = address("ComputeBudget111111111111111111111111111111");

/** ComputeBudget's SetComputeUnitPrice (priority fee, micro-lamports per compute unit). */
export function setComputeUnitPrice(microLamports: bigint): Instruction {
  const data = new Uint8Array(9);
  data[0] = 3;
  new DataView(data.buffer).setBigUint64(1, microLamports, true);
  return { programAddress: COMPUTE_BUDGET_PROGRAM as Address, data };
}

/** ComputeBudget's SetComputeUnitLimit: the units a transaction may use (and pays the price for). */
export function setComputeUnitLimit(units: number): Instruction {
  const data = new Uint8Array(5);
  data[0] = 2;
  new DataView(data.buffer).setUint32(1, units, true);
  return { programAddress: COMPUTE_BUDGET_PROGRAM as Address, data };
}

// What the Solana runner persists with a job before each send (the job's `txRecord`): enough to
// follow it after a restart and to prove an attempt can no longer land before signing another.

export interface SolanaAttempt {
  /** The fee payer's signature (base58): the transaction's id. */
  signature: string;
  /** The signed transaction, base64: sent again as it is until it lands or expires. */
  wire: string;
  /** It can land while the block height is at most this (decimal). */
  lastValidBlockHeight: string;
  /** Its priority fee, micro-lamports per compute unit (decimal). */
  price: string;
  /** Each instruction's program, to name the one that fails. */
  programs: string[];
}

export interface SolanaTxRecord {
  family: "solana";
  /** The mint a collection or an NFT creates: its address, and its key sealed with the master
   * key (every attempt creates the same mint, so two can never both land). */
  mint?: { address: string; seedSealed: string };
  attempts: SolanaAttempt[];
}

export function isSolanaTxRecord(value: unknown): value is SolanaTxRecord {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { family?: unknown }).family === "solana" &&
    Array.isArray((value as { attempts?: unknown }).attempts)
  );
}

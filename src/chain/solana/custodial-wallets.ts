// Custodial wallets of `email:<email>:solana` and `userId:<id>:solana` recipients, derived as the
// EVM family's are (src/chain/evm/custodial-wallets.ts: one master secret, nothing stored per
// wallet), with a salt of their own so the two families' keys are unrelated:
//
//   seed = HKDF-SHA256(ikm = master secret, salt = "herald-custodial-solana-wallet-v1",
//                      info = `${projectId}\n${owner}`, length = 32)
//
// Every 32-byte string is a valid Ed25519 seed, so there is no retry. The address is the
// seed's public key in base58. Changing the salt or the info is a breaking change (the
// known-answer test guards it).
import { hkdfSync } from "node:crypto";
import type { Address } from "@solana/kit";
import { addressOfSeed } from "./keys.js";

export const SOLANA_CUSTODIAL_SALT = "herald-custodial-solana-wallet-v1";

export function deriveSolanaCustodialSeed(
  masterSecret: Uint8Array,
  projectId: string,
  owner: string,
): Uint8Array {
  if (masterSecret.length !== 32) throw new Error("the custodial master secret must be 32 bytes");
  // The owner key as core keeps it (core/chain/custodial-owners.ts); an email normalized again.
  const normalized = owner.startsWith("userId:") ? owner : owner.trim().toLowerCase();
  if (projectId.length === 0 || projectId.includes("\n")) {
    throw new Error("projectId must be non-empty and contain no newline");
  }
  if (normalized.length === 0 || normalized.includes("\n")) {
    throw new Error("the owner must be non-empty and contain no newline");
  }
  const info = `${projectId}\n${normalized}`;
  return new Uint8Array(hkdfSync("sha256", masterSecret, SOLANA_CUSTODIAL_SALT, info, 32));
}

export function solanaCustodialAddress(
  masterSecret: Uint8Array,
  projectId: string,
  owner: string,
): Address {
  return addressOfSeed(deriveSolanaCustodialSeed(masterSecret, projectId, owner));
}

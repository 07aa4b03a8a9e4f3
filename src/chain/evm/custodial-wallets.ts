// Custodial wallets for `email:<email>:<chain>` recipients, derived rather than generated.
//
// Each wallet's private key is computed from one master secret, the project id and the email:
//
//   key = HKDF-SHA256(ikm = master secret, salt = "herald-custodial-wallet-v1",
//                     info = `${projectId}\n${email}`, length = 32)
//
// with the email trimmed and lower-cased, so `Alice@Example.com` and `alice@example.com` are
// one wallet. Should the 32 bytes not be a valid secp256k1 private key (0 or ≥ n, a chance of
// about 2^-128), the derivation is repeated with `\n1`, `\n2`… appended to the info.
//
// Why derived: no per-wallet key is ever stored, so there is no key table to encrypt, back up,
// migrate or leak; the same (project, email) gives the same address on every node and after a
// restore from any backup, so a wallet is "created" by recording its address only, and the key
// can be re-derived whenever the wallet must sign (e.g. a later transfer out to its owner).
// Projects are separated by the info: one email in two projects gets two unrelated wallets.
//
// The master secret MUST be kept, and kept secret. It is every custodial wallet's key at once:
// whoever holds it controls all of them, and if it is lost (or changed), the tokens held by every
// custodial wallet can never be moved again and new mints to the same emails go to new addresses.
// Changing the salt or the info format is a breaking change: the known-answer test guards it.

import { hkdfSync } from "node:crypto";
import { bytesToHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export const CUSTODIAL_SALT = "herald-custodial-wallet-v1";
export const MASTER_SECRET_BYTES = 32;
/** The order of the secp256k1 group: a private key k must satisfy 0 < k < n. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
// Each retry has a chance of ~2^-128 of failing again; this bound is never reached in practice.
const MAX_ATTEMPTS = 256;

/** How an email is normalized for derivation: trimmed and lower-cased. */
export function normalizeCustodialEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Whether 32 bytes are a valid secp256k1 private key (0 < k < n). */
export function isValidPrivateKey(bytes: Uint8Array): boolean {
  if (bytes.length !== 32) return false;
  const k = BigInt(bytesToHex(bytes));
  return k > 0n && k < SECP256K1_N;
}

/** The custodial wallet's private key for an email in a project. Deterministic. */
export function deriveCustodialKey(
  masterSecret: Uint8Array,
  projectId: string,
  email: string,
): Hex {
  if (!(masterSecret instanceof Uint8Array) || masterSecret.length !== MASTER_SECRET_BYTES) {
    throw new Error(`the custodial master secret must be ${MASTER_SECRET_BYTES} bytes`);
  }
  // An owner key `userId:<id>` (core/chain/custodial-owners.ts) is derived as given: user ids
  // keep their case. Emails are normalized.
  const normalized = email.startsWith("userId:") ? email : normalizeCustodialEmail(email);
  // The newline separates the fields; forbidding it in them keeps the info unambiguous.
  if (projectId.length === 0 || projectId.includes("\n")) {
    throw new Error("projectId must be non-empty and contain no newline");
  }
  if (normalized.length === 0 || normalized.includes("\n")) {
    throw new Error("email must be non-empty and contain no newline");
  }
  const info = `${projectId}\n${normalized}`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const okm = new Uint8Array(
      hkdfSync(
        "sha256",
        masterSecret,
        CUSTODIAL_SALT,
        attempt === 0 ? info : `${info}\n${attempt}`,
        32,
      ),
    );
    if (isValidPrivateKey(okm)) return bytesToHex(okm);
  }
  throw new Error("could not derive a valid secp256k1 key"); // unreachable in practice
}

/** The address of a custodial key. */
export function custodialAddress(key: Hex): Address {
  return privateKeyToAccount(key).address;
}

/** `(projectId, email) → address` under one master secret, as `NftService` takes it. */
export function custodialAddressResolver(
  masterSecret: Uint8Array,
): (projectId: string, email: string) => Address {
  const secret = Uint8Array.from(masterSecret);
  if (secret.length !== MASTER_SECRET_BYTES) {
    throw new Error(`the custodial master secret must be ${MASTER_SECRET_BYTES} bytes`);
  }
  return (projectId, email) => custodialAddress(deriveCustodialKey(secret, projectId, email));
}

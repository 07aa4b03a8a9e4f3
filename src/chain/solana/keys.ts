// Ed25519 keys as Solana uses them: a 32-byte seed is the private key, its public key (base58)
// the address. Node's crypto derives the public key synchronously; kit signs transactions.
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import {
  createKeyPairSignerFromPrivateKeyBytes,
  getBase58Decoder,
  getBase58Encoder,
  type Address,
  type KeyPairSigner,
} from "@solana/kit";

// PKCS #8 wrapping of a raw Ed25519 seed (RFC 8410): this prefix, then the 32 bytes.
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

export const SEED_BYTES = 32;

export const toBase58 = (bytes: Uint8Array): string => getBase58Decoder().decode(bytes);
export const fromBase58 = (text: string): Uint8Array =>
  Uint8Array.from(getBase58Encoder().encode(text));

/** The public key of a seed, as an address. */
export function addressOfSeed(seed: Uint8Array): Address {
  if (seed.length !== SEED_BYTES) throw new Error(`an Ed25519 seed is ${SEED_BYTES} bytes`);
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519, seed]),
    format: "der",
    type: "pkcs8",
  });
  const { x } = createPublicKey(key).export({ format: "jwk" });
  return toBase58(Buffer.from(x!, "base64url")) as Address;
}

export function newSeed(): Uint8Array {
  return Uint8Array.from(randomBytes(SEED_BYTES));
}

/** A transaction signer for a seed. */
export function signerOfSeed(seed: Uint8Array): Promise<KeyPairSigner> {
  return createKeyPairSignerFromPrivateKeyBytes(seed);
}

/**
 * An operator's key in the forms Solana's tools write it: a JSON array of the 64 bytes of a
 * keypair file (`solana-keygen`), or the same 64 bytes (or the 32-byte seed) in base58. The
 * seed, or why not.
 */
export function parseSecretKey(text: string): Uint8Array | string {
  const malformed = "must be a keypair file's JSON array of 64 numbers, or base58";
  let bytes: Uint8Array;
  try {
    if (text.trim().startsWith("[")) {
      const list: unknown = JSON.parse(text);
      // Uint8Array.from would wrap 256 to 0 and turn anything else into 0: a different key.
      const isByte = (n: unknown) =>
        Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 255;
      if (!Array.isArray(list) || !list.every(isByte)) return malformed;
      bytes = Uint8Array.from(list as number[]);
    } else bytes = fromBase58(text.trim());
  } catch {
    return malformed;
  }
  if (bytes.length !== 64 && bytes.length !== 32) {
    return `must be 64 bytes (a keypair) or 32 (a seed), not ${bytes.length}`;
  }
  const seed = bytes.slice(0, 32);
  if (bytes.length === 64 && toBase58(bytes.slice(32)) !== addressOfSeed(seed)) {
    return "its public half does not match its private half";
  }
  return seed;
}

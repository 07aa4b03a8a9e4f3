// Solana addresses as recipients give them: base58 of 32 bytes. A wallet must be able to sign,
// so its address must be an Ed25519 public key (on the curve): a program-derived address
// cannot hold tokens for anyone who could move them.
import { isOffCurveAddress, type Address } from "@solana/kit";
import type { ParsedAddress } from "../../core/ports/chain-adapter.js";
import { fromBase58, toBase58 } from "./keys.js";

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/;
const SYSTEM_PROGRAM = "11111111111111111111111111111111";

export function parseSolanaAddress(text: string): ParsedAddress {
  if (!BASE58.test(text) || text.length > 44) {
    return { ok: false, message: `"${text}" is not a Solana address (base58 of 32 bytes)` };
  }
  const bytes = fromBase58(text);
  if (bytes.length !== 32) {
    return {
      ok: false,
      message: `"${text}" is not a Solana address: it is ${bytes.length} bytes, not 32`,
    };
  }
  // Leading zero bytes have one canonical spelling ("1" each).
  if (toBase58(bytes) !== text) {
    return { ok: false, message: `"${text}" is not a canonical base58 Solana address` };
  }
  if (text === SYSTEM_PROGRAM)
    return { ok: false, message: "the system program cannot receive tokens" };
  if (isOffCurveAddress(text as Address)) {
    return {
      ok: false,
      message: `"${text}" is off the Ed25519 curve (a program-derived address): no wallet can sign for it`,
    };
  }
  return { ok: true, address: text };
}

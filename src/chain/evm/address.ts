// EVM addresses as recipients give them: any case; a mixed-case address must carry a valid
// EIP-55 checksum (keccak-256, hence viem). The result is always checksummed.
import { getAddress, type Address } from "viem";

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const ZERO_ADDRESS = /^0x0{40}$/;

/** An EVM address in any case → its checksummed form, or why it is not one. */
export function parseEvmAddress(
  text: string,
): { ok: true; address: Address } | { ok: false; message: string } {
  if (!HEX_ADDRESS.test(text)) {
    return {
      ok: false,
      message: `"${text}" is not an EVM address (expected 0x followed by 40 hex digits)`,
    };
  }
  const checksummed = getAddress(text.toLowerCase());
  const digits = text.slice(2);
  const uniformCase = digits === digits.toLowerCase() || digits === digits.toUpperCase();
  if (!uniformCase && checksummed !== text) {
    return {
      ok: false,
      message: `"${text}" has an invalid EIP-55 checksum (did you mean ${checksummed}?)`,
    };
  }
  if (ZERO_ADDRESS.test(text)) {
    return { ok: false, message: "the zero address cannot receive tokens" };
  }
  return { ok: true, address: checksummed };
}

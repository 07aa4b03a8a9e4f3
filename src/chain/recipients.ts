// Crossmint recipient strings, parsed before anything is sent to a chain. Pure: no I/O.
//
//   <chain>:<address>        an EVM address, any case; a mixed-case address must carry a
//                            valid EIP-55 checksum. The result is always checksummed.
//   email:<email>:<chain>    a custodial wallet derived for the email (see chain/custodial-wallets).
//
// Crossmint's `userId:<id>:<chain>` and `twitter:@handle:<chain>` are recognised only to say
// that Herald does not support them (yet).

// It lives in the chain module because the EIP-55 checksum needs keccak-256 (viem); core
// receives `parseRecipient` as a function.

import { getAddress, type Address } from "viem";
import type { ParsedRecipient, Recipient } from "../core/chain/chain-types.js";

export type { ParsedRecipient, Recipient };

/** RFC 5321 path limit; Crossmint's documentation does not state one. */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

const FORMS = '"<chain>:<address>" or "email:<email>:<chain>"';
const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const ZERO_ADDRESS = /^0x0{40}$/;
// RFC 5322-lite: a dot-atom local part (no quoted strings, no comments) and a DNS host name of
// at least two labels whose last label starts with a letter (no IP literals, no dotless hosts).
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const TLD = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const EMAIL = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*@(?:${LABEL}\\.)+${TLD}$`);

const fail = (message: string): ParsedRecipient => ({ ok: false, message });

function unknownChain(chain: string, knownChains: readonly string[]): string {
  const known = knownChains.length > 0 ? knownChains.join(", ") : "none configured";
  return `unknown chain "${chain}"; known chains: ${known}`;
}

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

/** A syntactically valid email with its domain lower-cased, or why it is not one. */
export function parseEmail(
  text: string,
): { ok: true; email: string } | { ok: false; message: string } {
  if (text.length === 0) return { ok: false, message: "the email is empty" };
  if (text.length > MAX_EMAIL_LENGTH) {
    return { ok: false, message: `the email is longer than ${MAX_EMAIL_LENGTH} characters` };
  }
  const at = text.lastIndexOf("@");
  if (!EMAIL.test(text) || at > MAX_LOCAL_PART_LENGTH) {
    return { ok: false, message: `"${text}" is not a valid email address` };
  }
  return { ok: true, email: `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}` };
}

/**
 * Parses a Crossmint recipient. Surrounding whitespace is ignored; chain names are matched
 * exactly against `knownChains`.
 */
export function parseRecipient(text: string, knownChains: readonly string[]): ParsedRecipient {
  if (typeof text !== "string") return fail(`recipient must be a string: ${FORMS}`);
  const trimmed = text.trim();
  if (trimmed.length === 0) return fail(`recipient is empty; expected ${FORMS}`);
  const colon = trimmed.indexOf(":");
  if (colon < 0) return fail(`"${trimmed}" is not a recipient; expected ${FORMS}`);
  const head = trimmed.slice(0, colon);
  const rest = trimmed.slice(colon + 1);

  switch (head.toLowerCase()) {
    case "email": {
      const last = rest.lastIndexOf(":");
      if (last < 0 || last === rest.length - 1) {
        return fail(`"${trimmed}" names no chain; expected "email:<email>:<chain>"`);
      }
      const chain = rest.slice(last + 1);
      if (!knownChains.includes(chain)) return fail(unknownChain(chain, knownChains));
      const email = parseEmail(rest.slice(0, last));
      if (!email.ok) return fail(email.message);
      return { ok: true, recipient: { kind: "email", chain, email: email.email } };
    }
    case "userid":
      return fail(
        'recipients of the form "userId:<id>:<chain>" are not supported by Herald (yet); ' +
          'use "<chain>:<address>" or "email:<email>:<chain>"',
      );
    case "twitter":
      return fail(
        'recipients of the form "twitter:@handle:<chain>" are not supported by Herald (yet); ' +
          'use "<chain>:<address>" or "email:<email>:<chain>"',
      );
  }

  if (head.length === 0) return fail(`"${trimmed}" names no chain; expected ${FORMS}`);
  if (!knownChains.includes(head)) return fail(unknownChain(head, knownChains));
  const address = parseEvmAddress(rest);
  if (!address.ok) return fail(address.message);
  return { ok: true, recipient: { kind: "address", chain: head, address: address.address } };
}

/** Whether a recipient can receive a token of a collection on `collectionChain`. */
export function recipientChainMatches(recipient: Recipient, collectionChain: string): boolean {
  return recipient.chain === collectionChain;
}

/** The canonical recipient string (checksummed address, lower-cased email domain). */
export function formatRecipient(recipient: Recipient): string {
  return recipient.kind === "address"
    ? `${recipient.chain}:${recipient.address}`
    : `email:${recipient.email}:${recipient.chain}`;
}

// Crossmint recipient strings, parsed before anything is sent to a chain. Pure: no I/O.
//
//   <chain>:<address>        an address as the chain's family writes it (EVM: any case, a
//                            mixed-case address must carry a valid EIP-55 checksum); the
//                            result is the family's canonical form.
//   email:<email>:<chain>    a custodial wallet derived for the email.
//   userId:<id>:<chain>      a custodial wallet derived for a user id the project chose.
//
// Crossmint's `twitter:<handle>:<chain>` is recognised only to say that Herald has no such
// identity provider.
import type { ParsedAddress } from "../ports/chain-adapter.js";
import type { ParsedRecipient, Recipient } from "./chain-types.js";

export type { ParsedRecipient, Recipient };

/** The chains a recipient may name (the ChainRegistry is one). */
export interface RecipientChains {
  /** Why a request cannot use `chain` (unknown, or known but not configured); null if it can. */
  unavailable(chain: string): string | null;
  /** An address on `chain`, checked by the chain's family. */
  parseAddress(chain: string, text: string): ParsedAddress;
}

/** RFC 5321 path limit; Crossmint's documentation does not state one. */
export const MAX_EMAIL_LENGTH = 254;
const MAX_LOCAL_PART_LENGTH = 64;

const FORMS = '"<chain>:<address>", "email:<email>:<chain>" or "userId:<userId>:<chain>"';
// RFC 5322-lite: a dot-atom local part (no quoted strings, no comments) and a DNS host name of
// at least two labels whose last label starts with a letter (no IP literals, no dotless hosts).
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const TLD = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const EMAIL = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*@(?:${LABEL}\\.)+${TLD}$`);

const fail = (message: string): ParsedRecipient => ({ ok: false, message });

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

export const MAX_USER_ID_LENGTH = 255;
/** A wallet's key is derived from the project id and the user id, and Node's HKDF takes at most
 * 1024 bytes of them: 255 characters of emoji would not fit. */
export const MAX_USER_ID_BYTES = 900;
const CONTROL = /\p{Cc}/u;

/** A user id as the project gave it (any text, as Crossmint takes it; case kept), or why not. */
export function parseUserId(
  text: string,
): { ok: true; userId: string } | { ok: false; message: string } {
  if (text.trim().length === 0) return { ok: false, message: "the user id is empty" };
  if ([...text].length > MAX_USER_ID_LENGTH) {
    return { ok: false, message: `the user id is longer than ${MAX_USER_ID_LENGTH} characters` };
  }
  if (CONTROL.test(text)) return { ok: false, message: "the user id has control characters" };
  if (Buffer.byteLength(text, "utf8") > MAX_USER_ID_BYTES) {
    return { ok: false, message: `the user id is longer than ${MAX_USER_ID_BYTES} bytes in UTF-8` };
  }
  return { ok: true, userId: text };
}

/**
 * Parses a Crossmint recipient. Surrounding whitespace is ignored; chain names are matched
 * exactly against the configured chains; addresses are checked by the chain's family.
 */
export function parseRecipient(text: string, chains: RecipientChains): ParsedRecipient {
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
      const unavailable = chains.unavailable(chain);
      if (unavailable) return fail(unavailable);
      const email = parseEmail(rest.slice(0, last));
      if (!email.ok) return fail(email.message);
      return { ok: true, recipient: { kind: "email", chain, email: email.email } };
    }
    case "userid": {
      const last = rest.lastIndexOf(":");
      if (last < 0 || last === rest.length - 1) {
        return fail(`"${trimmed}" names no chain; expected "userId:<userId>:<chain>"`);
      }
      const chain = rest.slice(last + 1);
      const unavailable = chains.unavailable(chain);
      if (unavailable) return fail(unavailable);
      const userId = parseUserId(rest.slice(0, last));
      if (!userId.ok) return fail(userId.message);
      return { ok: true, recipient: { kind: "userId", chain, userId: userId.userId } };
    }
    case "twitter":
    case "x":
      return fail(
        "Herald has no X (Twitter) identity provider, so it cannot find a handle's wallet; " +
          'use "<chain>:<address>", "email:<email>:<chain>" or "userId:<userId>:<chain>"',
      );
  }

  if (head.length === 0) return fail(`"${trimmed}" names no chain; expected ${FORMS}`);
  const unavailable = chains.unavailable(head);
  if (unavailable) return fail(unavailable);
  const address = chains.parseAddress(head, rest);
  if (!address.ok) return fail(address.message);
  return { ok: true, recipient: { kind: "address", chain: head, address: address.address } };
}

/** Whether a recipient can receive a token of a collection on `collectionChain`. */
export function recipientChainMatches(recipient: Recipient, collectionChain: string): boolean {
  return recipient.chain === collectionChain;
}

/** The canonical recipient string (checksummed address, lower-cased email domain). */
export function formatRecipient(recipient: Recipient): string {
  switch (recipient.kind) {
    case "address":
      return `${recipient.chain}:${recipient.address}`;
    case "email":
      return `email:${recipient.email}:${recipient.chain}`;
    case "userId":
      return `userId:${recipient.userId}:${recipient.chain}`;
  }
}

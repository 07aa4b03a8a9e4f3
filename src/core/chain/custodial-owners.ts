// How a custodial wallet's owner is kept and derived. The owner key is what the wallets table
// keeps (its `email` column) and what a chain family derives the wallet's key from: an email
// lower-cased, or `userId:<id>` with the id as given. No email contains ':', so the two never
// meet: one email's wallet and one user id's wallet are always different wallets.
import type { CustodialOwner, Recipient } from "./chain-types.js";
import { parseEmail, parseUserId } from "./recipients.js";

const USER_ID = "userId:";

export function ownerKey(owner: CustodialOwner): string {
  return "email" in owner ? owner.email.trim().toLowerCase() : `${USER_ID}${owner.userId}`;
}

export function ownerOfKey(key: string): CustodialOwner {
  return key.startsWith(USER_ID) ? { userId: key.slice(USER_ID.length) } : { email: key };
}

/** The owner of a custodial recipient's wallet (`email:…` or `userId:…`). */
export function recipientOwner(recipient: Exclude<Recipient, { kind: "address" }>): CustodialOwner {
  return recipient.kind === "email" ? { email: recipient.email } : { userId: recipient.userId };
}

/** The owner fields an answer or a payload shows: `{email}` or `{userId}`. */
export function ownerFields(key: string): { email: string } | { userId: string } {
  return ownerOfKey(key);
}

/** An owner as Crossmint's wallet API names one: exactly one of `email` and `userId`. */
export interface OwnerInput {
  email?: string;
  userId?: string;
}

/** The owner named by exactly one of the fields (an email trimmed, a user id as given), or why
 * the fields name none. */
export function parseOwner(
  input: OwnerInput,
): { ok: true; owner: CustodialOwner } | { ok: false; message: string } {
  const { email, userId } = input;
  if (email !== undefined && userId !== undefined) {
    return { ok: false, message: "give either email or userId, not both" };
  }
  if (email !== undefined) {
    const parsed = parseEmail(email.trim());
    return parsed.ok ? { ok: true, owner: { email: parsed.email } } : parsed;
  }
  if (userId !== undefined) {
    const parsed = parseUserId(userId);
    return parsed.ok ? { ok: true, owner: { userId: parsed.userId } } : parsed;
  }
  return { ok: false, message: "the wallet's owner is missing: give email or userId" };
}

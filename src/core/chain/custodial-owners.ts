// How a custodial wallet's owner is kept and derived. The owner key is what the wallets table
// keeps (its `email` column) and what a chain family derives the wallet's key from: an email
// lower-cased, or `userId:<id>` with the id as given. No email contains ':', so the two never
// meet: one email's wallet and one user id's wallet are always different wallets.
import type { CustodialOwner } from "./chain-types.js";

const USER_ID = "userId:";

export function ownerKey(owner: CustodialOwner): string {
  return "email" in owner ? owner.email.trim().toLowerCase() : `${USER_ID}${owner.userId}`;
}

export function ownerOfKey(key: string): CustodialOwner {
  return key.startsWith(USER_ID) ? { userId: key.slice(USER_ID.length) } : { email: key };
}

/** The owner fields an answer or a payload shows: `{email}` or `{userId}`. */
export function ownerFields(key: string): { email: string } | { userId: string } {
  return ownerOfKey(key);
}

// Original's `app_user` for a custodial wallet's owner. An Original user's wallet is the wallet
// of owner `userId:<uid>`; a wallet Crossmint's API made is shown with what its owner key says
// (a user id as the app's external id, or an email), or as the Original user it belongs to.
import type { OriginalUser } from "../interfaces.js";
import type { Store } from "../ports/store.js";
import { ownerOfKey } from "../chain/custodial-owners.js";

export interface AppUser {
  uid: string | null;
  client_id: string | null;
  user_external_id: string | null;
  email: string | null;
}

export function appUserOf(user: OriginalUser): AppUser {
  return {
    uid: user.id,
    // The external id's older name: Herald keeps the value once, under its newer name.
    client_id: null,
    user_external_id: user.userExternalId,
    email: user.email,
  };
}

/** The app user a wallet's owner key names. */
export async function appUserOfOwner(
  store: Store,
  projectId: string,
  ownerKey: string,
): Promise<AppUser> {
  const owner = ownerOfKey(ownerKey);
  if ("userId" in owner) {
    const user = await store.getOriginalUser(projectId, owner.userId);
    return user
      ? appUserOf(user)
      : { uid: null, client_id: null, user_external_id: owner.userId, email: null };
  }
  const user = await store.findOriginalUser(projectId, "email", owner.email);
  return user
    ? appUserOf(user)
    : { uid: null, client_id: null, user_external_id: null, email: owner.email };
}

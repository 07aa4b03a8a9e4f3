// Original's app users. A user is created with an optional email and an optional external id
// (both unique in the app); Herald gives it a custodial wallet on Original's chain at once (the
// wallet of owner `userId:<uid>`, so Crossmint's `userId:<uid>:<chain>` names the same wallet)
// and publishes `wallet.created` with it.
import type { ChainRegistry } from "../chain/chains.js";
import type { ChainInfo, Wallet } from "../chain/chain-types.js";
import type { WalletService } from "../chain/wallets.js";
import { parseEmail } from "../chain/recipients.js";
import { ownerKey } from "../chain/custodial-owners.js";
import { HeraldError } from "../errors.js";
import type { OriginalUser, OriginalUserField } from "../interfaces.js";
import type { PageRequest, Store } from "../ports/store.js";
import { newId } from "../runtime/ids.js";

export interface NewUserInput {
  email?: string | null;
  user_external_id?: string | null;
  /** Original's older name for the external id. */
  client_id?: string | null;
}

export const MAX_EXTERNAL_ID_LENGTH = 255;

/** A field-level refusal, as Original reports it (`detail.field_name`). */
export function fieldError(field: string, message: string, code = "invalid"): HeraldError {
  return new HeraldError("invalid", message, { field, code });
}

const FIELD_NAMES: Record<OriginalUserField, string> = {
  email: "email",
  userExternalId: "user_external_id",
};

function checkedEmail(email: string | null | undefined): string | null {
  if (email === null || email === undefined) return null;
  const parsed = parseEmail(email.trim());
  if (!parsed.ok) throw fieldError("email", "Enter a valid email address.");
  return parsed.email.toLowerCase();
}

function checkedExternalId(id: string | null | undefined, field: string): string | null {
  if (id === null || id === undefined) return null;
  if (id.length === 0 || id.length > MAX_EXTERNAL_ID_LENGTH)
    throw fieldError(field, `Ensure this field has 1 to ${MAX_EXTERNAL_ID_LENGTH} characters.`);
  return id;
}

export class OriginalUserService {
  constructor(
    private readonly store: Store,
    private readonly chains: ChainRegistry,
    private readonly wallets: WalletService,
    private readonly now: () => number = Date.now,
  ) {}

  /** The chain Original's API works on: the first configured (the embedded `local` by default). */
  chain(): ChainInfo {
    const chain = this.chains.all()[0];
    if (!chain) throw new Error("no chain is configured");
    return chain;
  }

  async create(projectId: string, input: NewUserInput): Promise<OriginalUser> {
    if (
      input.user_external_id != null &&
      input.client_id != null &&
      input.user_external_id !== input.client_id
    )
      throw fieldError("client_id", "client_id is the old name of user_external_id: give one.");
    const externalId =
      checkedExternalId(input.user_external_id, "user_external_id") ??
      checkedExternalId(input.client_id, "client_id");
    const user: OriginalUser = {
      id: newId(),
      projectId,
      email: checkedEmail(input.email),
      userExternalId: externalId,
      createdAt: this.now(),
    };
    const result = await this.store.createOriginalUser(user);
    if (result.kind === "taken")
      throw new HeraldError("invalid", "User already exists.", {
        field: FIELD_NAMES[result.field],
        code: "client_error",
      });
    await this.wallets.ensure(projectId, { userId: user.id }, this.chain().name);
    return user;
  }

  async get(projectId: string, uid: string): Promise<OriginalUser> {
    const user = await this.store.getOriginalUser(projectId, uid);
    if (!user) throw new HeraldError("not_found", "User not found.");
    return user;
  }

  /** The user with this email or external id; null when none (Original answers 200 then). */
  async findBy(
    projectId: string,
    by: { email?: string; user_external_id?: string; client_id?: string },
  ): Promise<OriginalUser | null> {
    if (by.email !== undefined) {
      const parsed = parseEmail(by.email.trim());
      if (!parsed.ok) return null;
      return this.store.findOriginalUser(projectId, "email", parsed.email.toLowerCase());
    }
    const external = by.user_external_id ?? by.client_id;
    if (external !== undefined && external !== "")
      return this.store.findOriginalUser(projectId, "userExternalId", external);
    throw fieldError("uid", "Give a user uid, email or user_external_id.");
  }

  /** The project's users, each with its wallet on Original's chain (derived, not read). */
  async list(projectId: string, page: PageRequest) {
    const found = await this.store.listOriginalUsers(projectId, page);
    const chain = this.chain().name;
    return {
      chain,
      nextCursor: found.nextCursor,
      data: found.data.map((user) => ({
        user,
        walletAddress: this.wallets.addressOf(projectId, { userId: user.id }, chain),
      })),
    };
  }

  /** The user's wallets (one per chain it has used). */
  walletsOf(user: OriginalUser): Promise<Wallet[]> {
    return this.store.listWallets(user.projectId, ownerKey({ userId: user.id }));
  }
}

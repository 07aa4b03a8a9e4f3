import { Type } from "@sinclair/typebox";
import { Nullable, named } from "../resources/shared.js";
import { PRINTABLE, Uid, success } from "./schemas.js";

// Original's reward requests and answers. Amounts are taken as Original's documentation
// writes them (a decimal string, "1.23") and as its SDKs send them (a JSON number); answers
// write them as decimal strings, never floats.

const Text = (minLength: number, maxLength: number) =>
  Type.String({ minLength, maxLength, pattern: PRINTABLE });
const Amount = Type.Union([Type.String({ maxLength: 100 }), Type.Number()], {
  description: 'Tokens, up to 18 decimals: "1.23" (a JSON number is taken too)',
});
const Address = Type.String({ minLength: 1, maxLength: 200 });

/** Herald's extension: what Original's console asks to create a rewards contract. */
export const CreateRewardBody = Type.Object({
  name: Text(1, 100),
  token_name: Text(1, 100),
  token_symbol: Type.String({
    pattern: "^[A-Za-z0-9]{1,11}$",
    description: "1 to 11 letters or digits",
  }),
  description: Type.Optional(Nullable(Text(0, 2000))),
  chain: Type.Optional(Nullable(Text(0, 100))),
  withdraw_receiver: Address,
  initial_supply: Amount,
});

/** `user_uid` is what the curl examples of Original's pages send for `to_user_uid`. */
export const AllocateBody = Type.Object({
  reward_uid: Uid,
  to_user_uid: Type.Optional(Uid),
  user_uid: Type.Optional(Uid),
  amount: Amount,
  nonce: Text(1, 255),
});

/** `user_uid` is what the curl example of Original's page sends for `from_user_uid`. */
export const ClaimBody = Type.Object({
  reward_uid: Uid,
  from_user_uid: Type.Optional(Uid),
  user_uid: Type.Optional(Uid),
  to_address: Address,
  amount: Type.Optional(Nullable(Amount)),
});

export const WithdrawBody = Type.Object({ reward_uid: Uid });
export const OperationsQuery = Type.Object({
  user_uid: Type.Optional(Text(0, 100)),
  reward_uid: Type.Optional(Text(0, 100)),
});
export const BalanceQuery = Type.Object({ reward_uid: Text(1, 100), user_uid: Text(1, 100) });

const Time = Type.String({ description: "ISO 8601 in UTC, with microseconds" });
const Status = Type.String({ description: "pending, done or failed" });

export const OriginalReward = named(
  "OriginalReward",
  Type.Object({
    uid: Type.String(),
    name: Type.String(),
    status: Type.String({ description: "deploying, deployed (or failed)" }),
    token_type: Type.String(),
    token_name: Type.String(),
    token_symbol: Type.String(),
    created_at: Time,
    contract_address: Nullable(Type.String()),
    withdraw_receiver: Type.String(),
    description: Nullable(Type.String()),
    chain: Type.String(),
    chain_id: Nullable(Type.Integer()),
    network: Type.String(),
    explorer_url: Type.String(),
    initial_supply: Type.String({ description: "Herald's addition: the pool at deployment" }),
    is_withdrawn: Type.Boolean({ description: "Herald's addition: closed by a withdraw" }),
  }),
);

export const OriginalAllocation = named(
  "OriginalAllocation",
  Type.Object({
    uid: Type.String(),
    status: Status,
    reward_uid: Type.String(),
    to_user_uid: Type.String(),
    amount: Type.String(),
    nonce: Type.String(),
    created_at: Time,
  }),
);

export const OriginalClaim = named(
  "OriginalClaim",
  Type.Object({
    uid: Type.String(),
    status: Status,
    reward_uid: Type.String(),
    from_user_uid: Type.String(),
    to_address: Type.String(),
    amount: Type.String(),
    created_at: Time,
  }),
);

export const OriginalWithdraw = named(
  "OriginalWithdraw",
  Type.Object({
    uid: Type.String(),
    status: Status,
    reward_uid: Type.String(),
    to_address: Type.String(),
    created_at: Time,
  }),
);

const refTo = (name: string) => Type.Unsafe({ $ref: name });

export const rewardAnswers = {
  reward: success(refTo("OriginalReward"), "The reward"),
  allocation: success(refTo("OriginalAllocation"), "The allocation"),
  allocations: success(Type.Array(refTo("OriginalAllocation")), "Newest first; [] when none"),
  claim: success(refTo("OriginalClaim"), "The claim"),
  claims: success(Type.Array(refTo("OriginalClaim")), "Newest first; [] when none"),
  withdraw: success(refTo("OriginalWithdraw"), "The withdraw"),
  withdraws: success(Type.Array(refTo("OriginalWithdraw")), "Newest first; [] when none"),
  balance: success(
    Type.Object({ reward_uid: Type.String(), user_uid: Type.String(), amount: Type.String() }),
    "What the user holds of the reward",
  ),
};

export const REWARD_COMPONENTS = [
  OriginalReward,
  OriginalAllocation,
  OriginalClaim,
  OriginalWithdraw,
];

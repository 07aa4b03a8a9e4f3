// Original's reward events (`reward.allocated`, `reward.claimed`, `reward.withdrawn`): published
// with the completion of the operation's chain job, once its transaction succeeded, in
// Original's documented data (`app`, `reward`, the operation, `transaction_log`).
import type { NewEvent, OriginalReward, Project, RewardOperation } from "../interfaces.js";
import { buildEnvelope } from "../policy/envelope.js";
import { formatAmount } from "../policy/token-amounts.js";
import { newId } from "../runtime/ids.js";
import { appOf } from "./app.js";

/** Each operation's event and the `transaction_log.type` it carries (Original's example gives
 * an allocation `mint`; a claim moves the user's tokens, a withdraw closes the reward). */
export const REWARD_EVENTS = {
  allocation: { type: "reward.allocated", txType: "mint" },
  claim: { type: "reward.claimed", txType: "transfer" },
  withdraw: { type: "reward.withdrawn", txType: "withdraw" },
} as const satisfies Record<RewardOperation["kind"], { type: string; txType: string }>;

/** An amount as Original writes it: a decimal string of tokens ("1.23"). */
export function tokenAmount(units: string | null): string | null {
  return units === null ? null : formatAmount(BigInt(units));
}

/** `data.reward` of Original's reward events. */
export function rewardSummary(reward: OriginalReward) {
  return {
    name: reward.name,
    contract_address: reward.contractAddress,
    uid: reward.id,
    description: reward.description,
    token_name: reward.tokenName,
    token_symbol: reward.tokenSymbol,
  };
}

/** The operation as its event names it (`allocation`, `claim`, `withdraw`). */
function operationData(operation: RewardOperation) {
  switch (operation.kind) {
    case "allocation":
      return {
        uid: operation.id,
        to_user_uid: operation.userUid,
        amount: tokenAmount(operation.amount),
        nonce: operation.nonce,
      };
    case "claim":
      return {
        uid: operation.id,
        from_user_uid: operation.userUid,
        amount: tokenAmount(operation.amount),
        to_address: operation.address,
      };
    case "withdraw":
      return { uid: operation.id, to_address: operation.address };
  }
}

export function rewardEvent(input: {
  project: Project;
  reward: OriginalReward;
  operation: RewardOperation;
  chainId: number | null;
  txHash: string | null;
  actionId: string;
  at: number;
}): NewEvent {
  const { project, reward, operation, at } = input;
  const { type, txType } = REWARD_EVENTS[operation.kind];
  const id = newId();
  const data = {
    app: appOf(project),
    reward: rewardSummary(reward),
    [operation.kind]: operationData(operation),
    transaction_log: {
      transaction_hash: input.txHash,
      type: txType,
      chain_id: input.chainId,
      chain: reward.chain,
    },
  };
  return {
    id,
    projectId: project.id,
    type,
    actionId: input.actionId,
    createdAt: at,
    payload: buildEnvelope({ id, type, data, timestamp: at }),
  };
}

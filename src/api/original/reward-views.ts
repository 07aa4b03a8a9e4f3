import type { ChainInfo } from "../../core/chain/chain-types.js";
import type { OriginalReward, RewardOperation } from "../../core/interfaces.js";
import { networkOf, originalStatus } from "../../core/original/app.js";
import { tokenAmount } from "../../core/original/reward-events.js";
import { originalTimestamp } from "./views.js";

/** Original's reward object, with what Herald adds (`token_symbol`, `initial_supply`,
 * `is_withdrawn`). `chain` may be null: a chain taken out of HERALD_CHAINS since. */
export function rewardView(
  reward: OriginalReward,
  chain: ChainInfo | null,
  explorerUrl: string,
  withdrawn: boolean,
) {
  return {
    uid: reward.id,
    name: reward.name,
    status: reward.status,
    token_type: "ERC20",
    token_name: reward.tokenName,
    token_symbol: reward.tokenSymbol,
    created_at: originalTimestamp(reward.createdAt),
    contract_address: reward.contractAddress,
    withdraw_receiver: reward.withdrawReceiver,
    description: reward.description,
    chain: reward.chain,
    chain_id: chain?.chainId ?? null,
    network: networkOf(reward.chain),
    explorer_url: explorerUrl,
    initial_supply: tokenAmount(reward.initialSupply)!,
    is_withdrawn: withdrawn,
  };
}

/** An allocation, claim or withdraw as Original's API shows it. */
export function rewardOperationView(operation: RewardOperation) {
  const base = {
    uid: operation.id,
    status: originalStatus(operation.status),
    reward_uid: operation.rewardId,
  };
  const created_at = originalTimestamp(operation.createdAt);
  switch (operation.kind) {
    case "allocation":
      return {
        ...base,
        to_user_uid: operation.userUid,
        amount: tokenAmount(operation.amount),
        nonce: operation.nonce,
        created_at,
      };
    case "claim":
      return {
        ...base,
        from_user_uid: operation.userUid,
        to_address: operation.address,
        amount: tokenAmount(operation.amount),
        created_at,
      };
    case "withdraw":
      return { ...base, to_address: operation.address, created_at };
  }
}

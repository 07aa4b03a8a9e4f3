import { useId, useState } from "react";
import { InlineError } from "../../components/InlineError";
import { LoadMore } from "../../components/LoadMore";
import { StatusBadge } from "../../components/StatusBadge";
import { useApi } from "../../api-context";
import { formatDateTime } from "../../format";
import { usePagedList } from "../../hooks/usePagedList";
import type { OriginalRewardSummary } from "../../types";
import { RewardOperations } from "./RewardOperations";

const COLUMNS = 9;

interface RewardRowProps {
  reward: OriginalRewardSummary;
  selected: boolean;
  operationsId: string;
  onToggle: () => void;
}

function RewardRow({ reward, selected, operationsId, onToggle }: RewardRowProps) {
  return (
    <tr
      data-testid="original-reward-row"
      data-reward-uid={reward.uid}
      className={selected ? "selected-row" : undefined}
    >
      <td>
        {reward.name}
        <div className="hint wrap">{reward.uid}</div>
      </td>
      <td>
        {reward.tokenName}
        <div className="hint">{reward.tokenSymbol}</div>
      </td>
      <td>{reward.chain}</td>
      <td>
        <StatusBadge status={reward.status} />
      </td>
      {/* A decimal string, shown as Herald gives it: never through a float. */}
      <td className="wrap" data-testid="reward-initial-supply">
        {reward.initialSupply} {reward.tokenSymbol}
      </td>
      <td className="wrap">
        {reward.contractAddress ? (
          <code>{reward.contractAddress}</code>
        ) : reward.status === "failed" ? (
          "None"
        ) : (
          "Not yet"
        )}
      </td>
      <td>{reward.withdrawn ? "Yes" : "No"}</td>
      <td>
        <time dateTime={reward.createdAt}>{formatDateTime(reward.createdAt)}</time>
      </td>
      <td className="row-actions">
        <button
          type="button"
          className="button small secondary"
          aria-expanded={selected}
          aria-controls={selected ? operationsId : undefined}
          onClick={onToggle}
          data-testid="toggle-reward-operations"
        >
          {selected ? "Hide operations" : "Operations"}
          <span className="visually-hidden"> of {reward.name}</span>
        </button>
      </td>
    </tr>
  );
}

/** The project's rewards (each a rewards contract); one chosen shows its operations. */
export function RewardsSection() {
  const api = useApi();
  const operationsId = useId();
  const rewards = usePagedList<OriginalRewardSummary>(api.listOriginalRewards, 25, "rewards");
  const [selectedUid, setSelectedUid] = useState<string | null>(null);
  const selected = rewards.items?.find((reward) => reward.uid === selectedUid);

  return (
    <section aria-labelledby="original-rewards">
      <h2 id="original-rewards">Rewards</h2>
      <InlineError message={rewards.error && `The rewards could not be loaded: ${rewards.error}`} />
      <div className="table-scroll" role="region" aria-label="Rewards table" tabIndex={0}>
        <table data-testid="original-rewards-table">
          <caption className="visually-hidden">Original rewards</caption>
          <thead>
            <tr>
              <th scope="col">Reward</th>
              <th scope="col">Token</th>
              <th scope="col">Chain</th>
              <th scope="col">Status</th>
              <th scope="col">Pool at deployment</th>
              <th scope="col">Contract</th>
              <th scope="col">Withdrawn</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rewards.items?.map((reward) => (
              <RewardRow
                key={reward.uid}
                reward={reward}
                selected={reward.uid === selectedUid}
                operationsId={operationsId}
                onToggle={() =>
                  setSelectedUid((current) => (current === reward.uid ? null : reward.uid))
                }
              />
            ))}
            {rewards.items?.length === 0 && (
              <tr>
                <td colSpan={COLUMNS} className="empty">
                  No rewards yet: <code>POST /original/v1/reward</code> deploys one.
                </td>
              </tr>
            )}
            {!rewards.items && !rewards.error && (
              <tr>
                <td colSpan={COLUMNS} className="empty">
                  Loading rewards…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {rewards.nextCursor && (
        <LoadMore onClick={rewards.loadMore} loading={rewards.loading} error={rewards.moreError} />
      )}
      {selected ? (
        <RewardOperations key={selected.uid} id={operationsId} reward={selected} />
      ) : (
        rewards.items &&
        rewards.items.length > 0 && (
          <p className="hint">
            A reward’s “Operations” shows its allocations, claims and withdraws.
          </p>
        )
      )}
    </section>
  );
}

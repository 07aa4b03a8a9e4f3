import { useId, useState } from "react";
import { InlineError } from "../../components/InlineError";
import { StatusBadge } from "../../components/StatusBadge";
import { useApi } from "../../api-context";
import { formatDateTime } from "../../format";
import { useLiveQuery } from "../../hooks/useLiveQuery";
import { Link } from "../../router";
import type {
  OriginalRewardSummary,
  RewardOperationKind,
  RewardOperationSummary,
} from "../../types";

const KINDS: { kind: RewardOperationKind; label: string }[] = [
  { kind: "allocation", label: "Allocations" },
  { kind: "claim", label: "Claims" },
  { kind: "withdraw", label: "Withdraws" },
];

const COLUMNS = 7;

function OperationRow({ operation }: { operation: RewardOperationSummary }) {
  return (
    <tr data-testid="reward-operation-row" data-operation-uid={operation.uid}>
      <td>
        <time dateTime={operation.createdAt}>{formatDateTime(operation.createdAt)}</time>
      </td>
      <td>
        <StatusBadge status={operation.status} />
      </td>
      <td className="wrap">{operation.userUid ?? "—"}</td>
      <td className="wrap">
        <code>{operation.address}</code>
      </td>
      {/* A decimal string, shown as Herald gives it: never through a float. */}
      <td className="wrap" data-testid="reward-operation-amount">
        {operation.amount ?? (operation.kind === "withdraw" ? "Rest of the pool" : "—")}
      </td>
      <td className="wrap">{operation.nonce ?? "—"}</td>
      <td className="wrap">
        <Link to={`/actions/${encodeURIComponent(operation.actionId)}`}>{operation.actionId}</Link>
      </td>
    </tr>
  );
}

interface OperationsTableProps {
  reward: OriginalRewardSummary;
  kind: RewardOperationKind;
  label: string;
}

/** One kind of a reward's operations; mounted afresh per kind, so it never shows another's. */
function OperationsTable({ reward, kind, label }: OperationsTableProps) {
  const api = useApi();
  const operations = useLiveQuery(`${reward.uid}:${kind}`, (signal) =>
    api.listOriginalRewardOperations(reward.uid, kind, signal),
  );
  const rows = operations.data?.data;
  const what = label.toLowerCase();

  return (
    <>
      <div className="filters">
        <p className="hint">Newest first, the latest 1,000 at most.</p>
        <button
          type="button"
          className="button small secondary"
          onClick={operations.reload}
          aria-disabled={operations.loading || undefined}
        >
          Refresh
        </button>
      </div>
      <InlineError
        message={operations.error && `The ${what} could not be loaded: ${operations.error}`}
      />
      <div
        className="table-scroll"
        role="region"
        aria-label={`${label} table`}
        tabIndex={0}
        aria-busy={operations.loading}
      >
        <table data-testid="reward-operations-table" data-kind={kind}>
          <caption className="visually-hidden">
            {label} of {reward.name}, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
              <th scope="col">User</th>
              <th scope="col">Address</th>
              <th scope="col">Amount ({reward.tokenSymbol})</th>
              <th scope="col">Nonce</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {rows?.map((operation) => (
              <OperationRow key={operation.uid} operation={operation} />
            ))}
            {rows?.length === 0 && (
              <tr>
                <td colSpan={COLUMNS} className="empty">
                  No {what} for this reward yet.
                </td>
              </tr>
            )}
            {!rows && !operations.error && (
              <tr>
                <td colSpan={COLUMNS} className="empty">
                  Loading {what}…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

interface RewardOperationsProps {
  id: string;
  reward: OriginalRewardSummary;
}

/** A reward's allocations, claims or withdraws, one kind at a time. */
export function RewardOperations({ id, reward }: RewardOperationsProps) {
  const fieldId = useId();
  const [kind, setKind] = useState<RewardOperationKind>("allocation");
  const label = KINDS.find((k) => k.kind === kind)?.label ?? kind;

  return (
    <section
      className="panel reward-operations"
      id={id}
      aria-labelledby={`${id}-heading`}
      data-testid="reward-operations"
    >
      <h3 id={`${id}-heading`}>Operations of {reward.name}</h3>
      <fieldset className="segmented">
        <legend className="visually-hidden">Show</legend>
        {KINDS.map((k) => (
          <span key={k.kind}>
            <input
              type="radio"
              id={`${fieldId}-${k.kind}`}
              name={`${fieldId}-kind`}
              checked={kind === k.kind}
              onChange={() => setKind(k.kind)}
            />
            <label htmlFor={`${fieldId}-${k.kind}`}>{k.label}</label>
          </span>
        ))}
      </fieldset>
      <OperationsTable key={kind} reward={reward} kind={kind} label={label} />
    </section>
  );
}

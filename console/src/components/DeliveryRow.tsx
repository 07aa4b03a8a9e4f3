import { useState } from "react";
import { errorMessage } from "../api";
import { useApi } from "../api-context";
import { formatDateTime } from "../format";
import type { Delivery } from "../types";
import { DeliveryAttempts } from "./DeliveryAttempts";
import { InlineError } from "./InlineError";
import { StatusBadge } from "./StatusBadge";

interface DeliveryRowProps {
  delivery: Delivery;
  expanded: boolean;
  onToggle: () => void;
  onResent: () => void;
  columns: number;
}

/** One delivery; expands to its attempts; a failed one has "Resend". */
export function DeliveryRow({ delivery, expanded, onToggle, onResent, columns }: DeliveryRowProps) {
  const api = useApi();
  const [resending, setResending] = useState(false);
  const [resendError, setResendError] = useState<string | null>(null);
  // The row's updatedAt when resent: until Herald picks it up (or while it retries), the
  // button gives way to a note; if it fails again, the button comes back.
  const [resentFor, setResentFor] = useState<string | null>(null);
  const awaitingResend =
    resentFor !== null &&
    (delivery.status === "pending" ||
      delivery.status === "paused" ||
      delivery.updatedAt === resentFor);
  const detailsId = `delivery-${delivery.id}-attempts`;

  const resend = async () => {
    if (resending) return;
    setResending(true);
    setResendError(null);
    try {
      await api.resendEvent(delivery.eventId, delivery.endpointId);
      setResentFor(delivery.updatedAt);
      onResent();
    } catch (failure) {
      setResendError(`Not resent: ${errorMessage(failure)}`);
    } finally {
      setResending(false);
    }
  };

  const when = delivery.completedAt ?? delivery.nextAttemptAt;
  return (
    <>
      <tr
        data-testid="delivery-row"
        data-delivery-id={delivery.id}
        data-event-id={delivery.eventId}
        data-status={delivery.status}
      >
        <td>
          <time dateTime={delivery.createdAt}>{formatDateTime(delivery.createdAt)}</time>
        </td>
        <td>
          <code>{delivery.eventType}</code>
        </td>
        <td>
          <StatusBadge status={delivery.status} testId="delivery-status" />
        </td>
        <td data-testid="delivery-attempt-count">{delivery.attemptCount}</td>
        <td data-testid="delivery-status-code">{delivery.lastStatusCode ?? "—"}</td>
        <td>
          {when ? (
            <>
              <span className="visually-hidden">
                {delivery.completedAt ? "Completed " : "Next attempt "}
              </span>
              <time dateTime={when}>{formatDateTime(when)}</time>
            </>
          ) : (
            "—"
          )}
        </td>
        <td className="row-actions">
          <button
            type="button"
            className="button small secondary"
            aria-expanded={expanded}
            aria-controls={detailsId}
            onClick={onToggle}
            data-testid="toggle-attempts"
          >
            {expanded ? "Hide attempts" : "Attempts"}
          </button>
          {delivery.status === "failed" && !awaitingResend && (
            <button
              type="button"
              className="button small"
              onClick={resend}
              aria-disabled={resending || undefined}
              data-testid="resend-delivery"
            >
              {resending ? "Resending…" : "Resend"}
            </button>
          )}
          {awaitingResend && (
            <span className="hint" role="status">
              Queued again
            </span>
          )}
          <InlineError message={resendError} />
        </td>
      </tr>
      {expanded && (
        <tr className="details-row" id={detailsId}>
          <td colSpan={columns}>
            <DeliveryAttempts delivery={delivery} />
          </td>
        </tr>
      )}
    </>
  );
}

import { useApi } from "../api-context";
import { formatDateTime, formatMs } from "../format";
import { useLiveQuery } from "../hooks/useLiveQuery";
import type { Delivery } from "../types";
import { InlineError } from "./InlineError";
import { StatusBadge } from "./StatusBadge";

/** Every attempt of one delivery: when, outcome, status code, latency, error, response body. */
export function DeliveryAttempts({ delivery }: { delivery: Delivery }) {
  const api = useApi();
  // A new attempt changes the row's count or status (seen by the table's polling): reload then.
  const key = `${delivery.id}:${delivery.attemptCount}:${delivery.status}`;
  const { data, error, loading } = useLiveQuery(key, (signal) =>
    api.listAttempts(delivery.id, signal),
  );
  const attempts = data?.data;

  return (
    <div className="attempts" data-testid="delivery-attempts" aria-busy={loading}>
      <dl className="summary compact">
        <div>
          <dt>Event ID</dt>
          <dd>
            <code className="wrap">{delivery.eventId}</code>
          </dd>
        </div>
        <div>
          <dt>Delivery ID</dt>
          <dd>
            <code className="wrap">{delivery.id}</code>
          </dd>
        </div>
        {delivery.nextAttemptAt && (
          <div>
            <dt>Next attempt</dt>
            <dd>{formatDateTime(delivery.nextAttemptAt)}</dd>
          </div>
        )}
      </dl>
      <InlineError message={error && `The attempts could not be loaded: ${error}`} />
      {attempts && attempts.length === 0 && (
        <p className="hint">No attempt yet: Herald delivers it shortly.</p>
      )}
      {attempts && attempts.length > 0 && (
        <ol className="attempt-list">
          {attempts.map((attempt) => (
            <li key={attempt.id} className="attempt" data-testid="attempt">
              <h4>
                Attempt {attempt.number} <StatusBadge status={attempt.outcome} />
              </h4>
              <dl className="summary compact">
                <div>
                  <dt>Started</dt>
                  <dd>
                    <time dateTime={attempt.startedAt}>{formatDateTime(attempt.startedAt)}</time>
                  </dd>
                </div>
                <div>
                  <dt>Status code</dt>
                  <dd data-testid="attempt-status-code">{attempt.statusCode ?? "none"}</dd>
                </div>
                <div>
                  <dt>Latency</dt>
                  <dd data-testid="attempt-latency">{formatMs(attempt.durationMs)}</dd>
                </div>
              </dl>
              {attempt.error && (
                <p className="attempt-error">
                  <strong>Error:</strong> {attempt.error}
                </p>
              )}
              <p className="label">Response body</p>
              {attempt.responseBody ? (
                <pre tabIndex={0} data-testid="attempt-response-body">
                  {attempt.responseBody}
                </pre>
              ) : (
                <p className="hint">(empty)</p>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

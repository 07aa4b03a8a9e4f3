import { useState } from "react";
import { errorMessage } from "../api";
import { useApi } from "../api-context";
import { ActivitySwitch } from "../components/ActivitySwitch";
import { BulkResend } from "../components/BulkResend";
import { ConfirmButton } from "../components/ConfirmButton";
import { DeliveriesTable } from "../components/DeliveriesTable";
import { DestinationSummary } from "../components/DestinationSummary";
import { EventTypesEditor } from "../components/EventTypesEditor";
import { InlineError } from "../components/InlineError";
import { PageHeader } from "../components/PageHeader";
import { SecretPanel } from "../components/SecretPanel";
import { TestEventForm } from "../components/TestEventForm";
import { formatDateTime } from "../format";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useLiveQuery } from "../hooks/useLiveQuery";
import { Link, navigate } from "../router";

const FORMAT_LABELS = {
  auto: "Each platform's own (Original's events in Original's body)",
  crossmint: "Crossmint's envelope for every event",
  original: "Original's body for every event",
} as const;
import type { Endpoint } from "../types";

interface EndpointPageProps {
  endpointId: string;
  /** How often the deliveries' first page refreshes. */
  pollMs?: number;
}

/** One endpoint: settings, activity switch, secret, test event, deliveries. */
export function EndpointPage({ endpointId, pollMs }: EndpointPageProps) {
  const api = useApi();
  // Re-read now and then: Herald itself may turn the endpoint off (410, days of failures).
  const query = useLiveQuery(endpointId, (signal) => api.getEndpoint(endpointId, signal), {
    intervalMs: 15_000,
  });
  const [changed, setChanged] = useState<Endpoint | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  // Whichever is newer: the last read or the answer to our own change.
  const endpoint =
    changed &&
    changed.id === endpointId &&
    (!query.data || changed.updatedAt >= query.data.updatedAt)
      ? changed
      : query.data;
  const title = endpoint ? endpoint.description || endpoint.url : "Endpoint";
  useDocumentTitle(title);
  const bump = () => setRefresh((n) => n + 1);

  if (!endpoint) {
    return (
      <>
        <PageHeader title="Endpoint" />
        {query.error ? (
          <>
            <InlineError
              message={
                query.errorStatus === 404
                  ? "No endpoint with this id in this project."
                  : `The endpoint could not be loaded: ${query.error}`
              }
            />
            <Link to="/endpoints">Back to the endpoints</Link>
          </>
        ) : (
          <p className="hint">Loading…</p>
        )}
      </>
    );
  }

  const remove = async () => {
    setDeleting(true);
    setDeleteError(null);
    try {
      await api.deleteEndpoint(endpoint.id);
      navigate("/endpoints");
    } catch (failure) {
      setDeleteError(`The endpoint was not deleted: ${errorMessage(failure)}`);
      setDeleting(false);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to="/endpoints">
          <span aria-hidden="true">‹ </span>All endpoints
        </Link>
      </p>
      <PageHeader title={<span className="wrap">{title}</span>} />
      <InlineError message={query.error && `Could not refresh this endpoint: ${query.error}`} />
      <section className="panel" aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <ActivitySwitch endpoint={endpoint} onChanged={setChanged} />
        <DestinationSummary endpoint={endpoint} />
        <dl className="summary">
          {endpoint.description && (
            <div>
              <dt>Description</dt>
              <dd>{endpoint.description}</dd>
            </div>
          )}
          <div>
            <dt>Rate limit</dt>
            <dd>{endpoint.rateLimit === null ? "None" : `${endpoint.rateLimit} per second`}</dd>
          </div>
          <div>
            <dt>Message body</dt>
            <dd>{FORMAT_LABELS[endpoint.format]}</dd>
          </div>
          {endpoint.failingSince && (
            <div>
              <dt>Failing since</dt>
              <dd>{formatDateTime(endpoint.failingSince)}</dd>
            </div>
          )}
          <div>
            <dt>Created</dt>
            <dd>{formatDateTime(endpoint.createdAt)}</dd>
          </div>
          <div>
            <dt>Endpoint ID</dt>
            <dd>
              <code className="wrap">{endpoint.id}</code>
            </dd>
          </div>
        </dl>
        <EventTypesEditor key={endpoint.updatedAt} endpoint={endpoint} onChanged={setChanged} />
      </section>
      <SecretPanel
        endpointId={endpoint.id}
        signing={endpoint.signing}
        publicKey={endpoint.publicKey ?? null}
      />
      <TestEventForm endpointId={endpoint.id} subscribed={endpoint.eventTypes} onSent={bump} />
      <section className="panel" aria-labelledby="resend-heading">
        <h2 id="resend-heading">Resend failed deliveries</h2>
        <BulkResend endpointId={endpoint.id} onResent={bump} />
      </section>
      <DeliveriesTable endpointId={endpoint.id} refreshSignal={refresh} pollMs={pollMs} />
      <section className="panel danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete endpoint</h2>
        <ConfirmButton
          label="Delete endpoint"
          question="Delete this endpoint and all its deliveries? This cannot be undone."
          confirmLabel="Yes, delete it"
          onConfirm={remove}
          busy={deleting}
          danger
          testId="delete-endpoint"
        />
        <InlineError message={deleteError} />
      </section>
    </>
  );
}

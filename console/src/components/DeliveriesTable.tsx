import { useId, useState } from "react";
import { useApi } from "../api-context";
import { formatDateTime } from "../format";
import { useEventTypes } from "../hooks/useEventTypes";
import { useLiveQuery } from "../hooks/useLiveQuery";
import type { DeliveryStatus } from "../types";
import { DeliveryRow } from "./DeliveryRow";
import { InlineError } from "./InlineError";

const STATUSES: Array<{ value: DeliveryStatus | ""; label: string }> = [
  { value: "", label: "Any status" },
  { value: "pending", label: "Pending" },
  { value: "succeeded", label: "Succeeded" },
  { value: "failed", label: "Failed" },
  { value: "paused", label: "Paused" },
];

interface DeliveriesTableProps {
  endpointId: string;
  /** Changing it reloads the table (after a test send or a bulk resend). */
  refreshSignal?: number;
  pollMs?: number;
  pageSize?: number;
}

/**
 * Deliveries newest first, one page at a time from Herald's cursor pages: never more than
 * `pageSize` rows in memory, however many deliveries the endpoint has. Only the first page
 * polls; older pages are stable (their cursor fixes where they start).
 */
export function DeliveriesTable({
  endpointId,
  refreshSignal = 0,
  pollMs = 2000,
  pageSize = 50,
}: DeliveriesTableProps) {
  const api = useApi();
  const id = useId();
  const { eventTypes } = useEventTypes();
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const [type, setType] = useState("");
  // Cursors of the pages after the first one, as visited: "Newer" pops, "Older" pushes.
  const [cursors, setCursors] = useState<string[]>([]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const cursor = cursors[cursors.length - 1];
  const firstPage = cursor === undefined;

  const key = [endpointId, status, type, cursor ?? "", refreshSignal].join("|");
  const { data, error, loading, reload } = useLiveQuery(
    key,
    (signal) =>
      api.listDeliveries(
        endpointId,
        { status: status || undefined, type: type || undefined, limit: pageSize, cursor },
        signal,
      ),
    { intervalMs: pollMs, live: firstPage },
  );

  const setFilter = (apply: () => void) => {
    apply();
    setCursors([]);
  };
  const toggle = (deliveryId: string) =>
    setExpanded((open) => {
      const next = new Set(open);
      if (!next.delete(deliveryId)) next.add(deliveryId);
      return next;
    });

  // Filter choices: the catalog, plus any other type this endpoint has received.
  const typeNames = new Set(eventTypes?.map((t) => t.name));
  for (const d of data?.data ?? []) typeNames.add(d.eventType);
  if (type) typeNames.add(type);
  const rows = data?.data ?? [];
  const filtered = status !== "" || type !== "";

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Deliveries</h2>
      <div className="filters" role="group" aria-label="Filter deliveries">
        <div className="field">
          <label htmlFor={`${id}-status`}>Status</label>
          <select
            id={`${id}-status`}
            value={status}
            data-testid="deliveries-status-filter"
            onChange={(e) => setFilter(() => setStatus(e.target.value as DeliveryStatus | ""))}
          >
            {STATUSES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-type`}>Event type</label>
          <select
            id={`${id}-type`}
            value={type}
            data-testid="deliveries-type-filter"
            onChange={(e) => setFilter(() => setType(e.target.value))}
          >
            <option value="">Any type</option>
            {[...typeNames].sort().map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <p className="hint live-note" aria-live="polite">
          {firstPage
            ? "Updates live."
            : "Live updates are paused on older pages: go back to the newest page to see new deliveries."}
        </p>
      </div>
      <InlineError message={error && `The deliveries could not be loaded: ${error}`} />
      <div
        className="table-scroll"
        role="region"
        aria-label="Deliveries table"
        tabIndex={0}
        aria-busy={loading}
      >
        <table className="deliveries" data-testid="deliveries-table">
          <caption className="visually-hidden">
            Deliveries to this endpoint, newest first
            {filtered ? ", filtered" : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Event type</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last status code</th>
              <th scope="col">Completed / next attempt</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((delivery) => (
              <DeliveryRow
                key={delivery.id}
                delivery={delivery}
                expanded={expanded.has(delivery.id)}
                onToggle={() => toggle(delivery.id)}
                onResent={reload}
                columns={7}
              />
            ))}
            {data && rows.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  {filtered
                    ? "No deliveries match these filters."
                    : firstPage
                      ? "No deliveries yet. Send a test event to see one here."
                      : "No older deliveries."}
                </td>
              </tr>
            )}
            {!data && !error && (
              <tr>
                <td colSpan={7} className="empty">
                  Loading deliveries…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label="Deliveries pages">
        <button
          type="button"
          className="button secondary"
          disabled={firstPage}
          onClick={() => setCursors((c) => c.slice(0, -1))}
          data-testid="deliveries-newer"
        >
          Newer
        </button>
        <span className="hint">
          Page {cursors.length + 1}
          {rows[0] ? ` · from ${formatDateTime(rows[0].createdAt)}` : ""}
        </span>
        <button
          type="button"
          className="button secondary"
          disabled={!data?.nextCursor}
          onClick={() => {
            const next = data?.nextCursor;
            if (next) setCursors((c) => [...c, next]);
          }}
          data-testid="deliveries-older"
        >
          Older
        </button>
      </nav>
    </section>
  );
}

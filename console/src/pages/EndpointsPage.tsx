import { InlineError } from "../components/InlineError";
import { LoadMore } from "../components/LoadMore";
import { PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/StatusBadge";
import { DESTINATION_LABELS, formatDateTime } from "../format";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useEndpointList } from "../hooks/useEndpointList";
import { Link } from "../router";

/** Every endpoint of the project, with "Add endpoint". */
export function EndpointsPage() {
  useDocumentTitle("Endpoints");
  const { endpoints, nextCursor, error, moreError, loading, loadMore } = useEndpointList(25);

  return (
    <>
      <PageHeader title="Endpoints">
        <Link to="/endpoints/new" className="button" data-testid="add-endpoint">
          Add endpoint
        </Link>
      </PageHeader>
      <InlineError message={error && `The endpoints could not be loaded: ${error}`} />
      {endpoints && endpoints.length === 0 ? (
        <div className="panel empty-state">
          <p>
            No endpoints yet. An endpoint is where Herald delivers events: an HTTPS URL, an Amazon
            SQS queue or a RabbitMQ exchange.
          </p>
        </div>
      ) : (
        <div className="table-scroll" role="region" aria-label="Endpoints table" tabIndex={0}>
          <table data-testid="endpoints-table">
            <caption className="visually-hidden">Endpoints</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Destination</th>
                <th scope="col">Event types</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {endpoints?.map((endpoint) => (
                <tr key={endpoint.id} data-testid="endpoint-row" data-endpoint-id={endpoint.id}>
                  <td>
                    <Link to={`/endpoints/${endpoint.id}`}>
                      {endpoint.description || endpoint.url}
                    </Link>
                    {endpoint.description && <div className="hint wrap">{endpoint.url}</div>}
                  </td>
                  <td>
                    {DESTINATION_LABELS[endpoint.destination.type] ?? endpoint.destination.type}
                  </td>
                  <td>
                    {endpoint.eventTypes === null
                      ? "All"
                      : endpoint.eventTypes.length <= 2
                        ? endpoint.eventTypes.join(", ")
                        : `${endpoint.eventTypes.length} types`}
                  </td>
                  <td>
                    <StatusBadge status={endpoint.enabled ? "active" : "inactive"} />
                  </td>
                  <td>
                    <time dateTime={endpoint.createdAt}>{formatDateTime(endpoint.createdAt)}</time>
                  </td>
                </tr>
              ))}
              {!endpoints && !error && (
                <tr>
                  <td colSpan={5} className="empty">
                    Loading endpoints…
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && <LoadMore onClick={loadMore} loading={loading} error={moreError} />}
    </>
  );
}

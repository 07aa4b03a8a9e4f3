import { EndpointStatsCard } from "../components/EndpointStatsCard";
import { InlineError } from "../components/InlineError";
import { LoadMore } from "../components/LoadMore";
import { PageHeader } from "../components/PageHeader";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { useEndpointList } from "../hooks/useEndpointList";
import { Link } from "../router";

/** The landing page: each endpoint's success rate and latency, refreshed every ~10 s. */
export function OverviewPage({ refreshMs }: { refreshMs?: number }) {
  useDocumentTitle("Overview");
  const { endpoints, nextCursor, error, moreError, loading, loadMore } = useEndpointList(10);

  return (
    <>
      <PageHeader title="Overview">
        <Link to="/endpoints/new" className="button">
          Add endpoint
        </Link>
      </PageHeader>
      <p className="hint">
        Delivery attempts per endpoint over the last hour and the last day. Updates every 10
        seconds.
      </p>
      <InlineError message={error && `The endpoints could not be loaded: ${error}`} />
      {endpoints && endpoints.length === 0 && (
        <div className="panel empty-state">
          <p>No endpoints yet. Add one to start receiving webhooks.</p>
          <Link to="/endpoints/new" className="button">
            Add your first endpoint
          </Link>
        </div>
      )}
      {!endpoints && !error && <p className="hint">Loading endpoints…</p>}
      <div className="cards">
        {endpoints?.map((endpoint) => (
          <EndpointStatsCard key={endpoint.id} endpoint={endpoint} refreshMs={refreshMs} />
        ))}
      </div>
      {nextCursor && (
        <LoadMore
          onClick={loadMore}
          loading={loading}
          error={moreError}
          label="Load more endpoints"
        />
      )}
    </>
  );
}

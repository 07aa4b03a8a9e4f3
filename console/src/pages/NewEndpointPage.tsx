import { useEffect, useRef, useState } from "react";
import { CopyButton } from "../components/CopyButton";
import { EndpointForm } from "../components/EndpointForm";
import { PageHeader } from "../components/PageHeader";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { Link } from "../router";
import type { EndpointWithSecret } from "../types";

/** "Add endpoint": the form, then the new endpoint's secret, shown this once. */
export function NewEndpointPage() {
  useDocumentTitle("Add endpoint");
  const [created, setCreated] = useState<EndpointWithSecret | null>(null);
  return (
    <>
      <PageHeader title="Add endpoint" />
      {created ? (
        <Created endpoint={created} onAnother={() => setCreated(null)} />
      ) : (
        <EndpointForm onCreated={setCreated} />
      )}
    </>
  );
}

function Created({ endpoint, onAnother }: { endpoint: EndpointWithSecret; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The form is gone: put focus (and the screen reader) on what replaced it.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section
      className="panel success"
      aria-labelledby="created-heading"
      data-testid="endpoint-created"
    >
      <h2 id="created-heading" ref={heading} tabIndex={-1}>
        Endpoint created
      </h2>
      <p>
        Herald now delivers {endpoint.eventTypes === null ? "every event" : "the chosen events"} to{" "}
        <code className="wrap">{endpoint.url}</code>, signed with this secret. Copy it into your
        receiver now; later, the endpoint's page can reveal it again.
      </p>
      <div className="secret-row">
        <code className="secret" data-testid="created-secret">
          {endpoint.secret}
        </code>
        <CopyButton text={endpoint.secret} testId="created-secret-copy" />
      </div>
      <div className="button-row">
        <Link to={`/endpoints/${endpoint.id}`} className="button" data-testid="open-endpoint">
          Open the endpoint
        </Link>
        <button type="button" className="button secondary" onClick={onAnother}>
          Add another endpoint
        </button>
      </div>
    </section>
  );
}

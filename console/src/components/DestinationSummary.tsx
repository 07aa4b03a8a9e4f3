import { DESTINATION_LABELS } from "../format";
import type { Endpoint } from "../types";

// What an endpoint delivers to, as the API shows it (credentials already masked by Herald).

const FIELD_LABELS: Record<string, string> = {
  url: "URL",
  queueUrl: "Queue URL",
  region: "Region",
  accessKeyId: "Access key ID",
  secretAccessKey: "Secret access key",
  endpoint: "SQS endpoint override",
  messageGroup: "Message group",
  exchange: "Exchange",
  routingKey: "Routing key",
};

function show(value: unknown): string {
  if (value === "") return "(empty)";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function DestinationSummary({ endpoint }: { endpoint: Endpoint }) {
  const { type, ...settings } = endpoint.destination;
  return (
    <dl className="summary" data-testid="destination-summary">
      <div>
        <dt>Destination</dt>
        <dd>{DESTINATION_LABELS[type] ?? type}</dd>
      </div>
      <div>
        <dt>Address</dt>
        <dd>
          <code className="wrap">{endpoint.url}</code>
        </dd>
      </div>
      {Object.entries(settings)
        .filter(([field, value]) => !(type === "https" && field === "url") && value !== undefined)
        .map(([field, value]) => (
          <div key={field}>
            <dt>{FIELD_LABELS[field] ?? field}</dt>
            <dd>
              <code className="wrap">{show(value)}</code>
            </dd>
          </div>
        ))}
    </dl>
  );
}

import type { DestinationType } from "../types";
import { InlineError } from "./InlineError";

// The settings of each destination type, as labelled fields with help text. Names match the
// API's `destination` fields so that an API error naming a field lands under that field.

interface FieldDef {
  name: string;
  label: string;
  help: string;
  optional?: boolean;
  input?: "url" | "password" | "text";
  placeholder?: string;
  options?: Array<{ value: string; label: string }>;
}

export const DESTINATION_FIELDS: Record<DestinationType, FieldDef[]> = {
  https: [
    {
      name: "url",
      label: "Endpoint URL",
      input: "url",
      placeholder: "https://example.com/webhooks",
      help: "Herald sends a signed POST with a JSON body to this https:// URL for every event. Plain http:// only works for hosts your operator allowed.",
    },
  ],
  sqs: [
    {
      name: "queueUrl",
      label: "Queue URL",
      input: "url",
      placeholder: "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
      help: "The queue's URL from the AWS console. A name ending in .fifo is a FIFO queue: the event id becomes its deduplication id.",
    },
    {
      name: "region",
      label: "Region",
      placeholder: "us-east-1",
      help: "The AWS region of the queue; it must match the queue URL.",
    },
    {
      name: "accessKeyId",
      label: "Access key ID",
      placeholder: "AKIAIOSFODNN7EXAMPLE",
      help: "Of an IAM identity allowed sqs:SendMessage on this queue. Shown masked afterwards.",
    },
    {
      name: "secretAccessKey",
      label: "Secret access key",
      input: "password",
      help: "Stored encrypted and never shown again.",
    },
    {
      name: "endpoint",
      label: "SQS endpoint override",
      optional: true,
      input: "url",
      placeholder: "http://localhost:4566",
      help: "Only for an SQS-compatible service instead of AWS (LocalStack, ElasticMQ). Leave empty for AWS.",
    },
    {
      name: "messageGroup",
      label: "Message group",
      optional: true,
      help: "FIFO queues only: what stays in order. Leave on the default for a standard queue.",
      options: [
        { value: "", label: "Default (one group per endpoint)" },
        { value: "endpoint", label: "Endpoint: all messages in one order" },
        { value: "collection", label: "Collection: in order per NFT collection" },
        { value: "eventType", label: "Event type: in order per event type" },
      ],
    },
  ],
  amqp: [
    {
      name: "url",
      label: "Broker URL",
      input: "url",
      placeholder: "amqps://user@mq.example.com:5671/vhost",
      help: "amqp:// or amqps:// (TLS) with the user, port and virtual host; the password goes in its own field below.",
    },
    {
      name: "password",
      label: "Broker password",
      input: "password",
      optional: true,
      help: "Kept out of sight while you type; Herald stores it encrypted and never shows it again.",
    },
    {
      name: "exchange",
      label: "Exchange",
      optional: true,
      placeholder: "herald.webhooks",
      help: "The exchange to publish to; it must exist. Leave empty for the default exchange, which delivers to the queue named by the routing key.",
    },
    {
      name: "routingKey",
      label: "Routing key",
      optional: true,
      help: "Leave empty to use the event type (e.g. nfts.create.succeeded), so a topic exchange can route by it.",
    },
  ],
};

export const DESTINATION_CHOICES: Array<{ type: DestinationType; label: string; help: string }> = [
  { type: "https", label: "HTTPS", help: "A URL of your server" },
  { type: "sqs", label: "Amazon SQS", help: "A queue in your AWS account" },
  { type: "amqp", label: "RabbitMQ", help: "An exchange on your AMQP 0-9-1 broker" },
];

interface DestinationFieldsProps {
  type: DestinationType;
  values: Record<string, string>;
  errors: Record<string, string>;
  onTypeChange: (type: DestinationType) => void;
  onChange: (field: string, value: string) => void;
  idPrefix: string;
}

export function DestinationFields({
  type,
  values,
  errors,
  onTypeChange,
  onChange,
  idPrefix,
}: DestinationFieldsProps) {
  return (
    <>
      <fieldset className="radio-cards">
        <legend>Destination</legend>
        {DESTINATION_CHOICES.map((choice) => {
          const id = `${idPrefix}-type-${choice.type}`;
          return (
            <div className="radio-card" key={choice.type}>
              <input
                type="radio"
                id={id}
                name={`${idPrefix}-destination-type`}
                value={choice.type}
                checked={type === choice.type}
                onChange={() => onTypeChange(choice.type)}
                aria-describedby={`${id}-help`}
              />
              <label htmlFor={id}>{choice.label}</label>
              <span className="hint" id={`${id}-help`}>
                {choice.help}
              </span>
            </div>
          );
        })}
      </fieldset>
      <div className="field-group" data-testid={`destination-fields-${type}`}>
        {DESTINATION_FIELDS[type].map((field) => {
          const id = `${idPrefix}-${type}-${field.name}`;
          const error = errors[field.name];
          const describedBy = `${id}-help${error ? ` ${id}-error` : ""}`;
          const common = {
            id,
            name: field.name,
            value: values[field.name] ?? "",
            "aria-describedby": describedBy,
            "aria-invalid": error ? true : undefined,
            "aria-required": field.optional ? undefined : true,
          };
          return (
            <div className="field" key={id}>
              <label htmlFor={id}>
                {field.label}
                {field.optional ? <span className="optional"> (optional)</span> : null}
              </label>
              {field.options ? (
                <select {...common} onChange={(e) => onChange(field.name, e.target.value)}>
                  {field.options.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  {...common}
                  type={field.input ?? "text"}
                  placeholder={field.placeholder}
                  autoComplete={field.input === "password" ? "new-password" : "off"}
                  spellCheck={false}
                  onChange={(e) => onChange(field.name, e.target.value)}
                />
              )}
              <p className="hint" id={`${id}-help`}>
                {field.help}
              </p>
              <InlineError id={`${id}-error`} message={error} />
            </div>
          );
        })}
      </div>
    </>
  );
}

import { useId, useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../api";
import { useApi } from "../api-context";
import type { DestinationType, EndpointWithSecret } from "../types";
import { DESTINATION_FIELDS, DestinationFields } from "./DestinationFields";
import {
  checkDestination,
  destinationBody,
  fieldOfMessage,
  type FieldErrors,
  type FieldValues,
} from "./endpoint-input";
import { EventTypePicker } from "./EventTypePicker";
import { InlineError } from "./InlineError";

/** Adds an endpoint: destination, event types, description, rate limit. */
export function EndpointForm({ onCreated }: { onCreated: (endpoint: EndpointWithSecret) => void }) {
  const api = useApi();
  const id = useId();
  const [type, setType] = useState<DestinationType>("https");
  // One set of values per destination type, so switching back and forth loses nothing.
  const [values, setValues] = useState<Record<DestinationType, FieldValues>>({
    https: {},
    sqs: {},
    amqp: {},
  });
  const [eventTypes, setEventTypes] = useState<string[] | null>(null);
  const [description, setDescription] = useState("");
  const [rateLimit, setRateLimit] = useState("");
  const [format, setFormat] = useState<"auto" | "crossmint" | "original">("auto");
  const [enabled, setEnabled] = useState(true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const validate = (): FieldErrors => {
    const found = checkDestination(type, values[type]);
    if (eventTypes !== null && eventTypes.length === 0) {
      found.eventTypes = "Choose at least one event type, or pick All event types.";
    }
    if (rateLimit.trim() && !(Number(rateLimit) > 0)) {
      found.rateLimit = "The rate limit is a number of deliveries per second above 0.";
    }
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const found = validate();
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      setFormError("The endpoint was not created: correct the fields marked above.");
      return;
    }
    setSaving(true);
    try {
      const created = await api.createEndpoint({
        ...destinationBody(type, values[type]),
        ...(eventTypes !== null ? { eventTypes } : {}),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(rateLimit.trim() ? { rateLimit: Number(rateLimit) } : {}),
        ...(format !== "auto" ? { format } : {}),
        enabled,
      });
      onCreated(created);
    } catch (failure) {
      const message = errorMessage(failure);
      const fieldNames = DESTINATION_FIELDS[type].map((f) => f.name);
      const field = failure instanceof ApiError ? fieldOfMessage(message, fieldNames) : null;
      if (field) {
        setErrors({ [field]: message });
        setFormError("The endpoint was not created: see the message under the field above.");
      } else {
        setFormError(`The endpoint was not created: ${message}`);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate aria-describedby={`${id}-form-error`}>
      <DestinationFields
        idPrefix={id}
        type={type}
        values={values[type]}
        errors={errors}
        onTypeChange={(next) => {
          setType(next);
          setErrors({});
        }}
        onChange={(field, value) =>
          setValues((all) => ({ ...all, [type]: { ...all[type], [field]: value } }))
        }
      />
      <EventTypePicker value={eventTypes} onChange={setEventTypes} error={errors.eventTypes} />
      <div className="field">
        <label htmlFor={`${id}-description`}>
          Description<span className="optional"> (optional)</span>
        </label>
        <input
          id={`${id}-description`}
          value={description}
          maxLength={1000}
          onChange={(e) => setDescription(e.target.value)}
          aria-describedby={`${id}-description-help`}
          aria-invalid={errors.description ? true : undefined}
        />
        <p className="hint" id={`${id}-description-help`}>
          A name for people, e.g. “Production mint notifications”.
        </p>
        <InlineError message={errors.description} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-rate`}>
          Rate limit<span className="optional"> (optional)</span>
        </label>
        <input
          id={`${id}-rate`}
          type="number"
          inputMode="decimal"
          min="0"
          step="any"
          value={rateLimit}
          onChange={(e) => setRateLimit(e.target.value)}
          aria-describedby={`${id}-rate-help`}
          aria-invalid={errors.rateLimit ? true : undefined}
        />
        <p className="hint" id={`${id}-rate-help`}>
          Deliveries per second at most. Empty for no limit.
        </p>
        <InlineError message={errors.rateLimit} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-format`}>Message body</label>
        <select
          id={`${id}-format`}
          value={format}
          onChange={(e) => setFormat(e.target.value as typeof format)}
          aria-describedby={`${id}-format-help`}
        >
          <option value="auto">Each platform's own (default)</option>
          <option value="crossmint">Crossmint's envelope for every event</option>
          <option value="original">Original's body for every event</option>
        </select>
        <p className="hint" id={`${id}-format-help`}>
          By default Original's events (asset.*, reward.*, wallet.created) arrive in Original's body
          and the others in Crossmint's envelope.
        </p>
      </div>
      <div className="check">
        <input
          id={`${id}-enabled`}
          type="checkbox"
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        <label htmlFor={`${id}-enabled`}>Active from the start</label>
      </div>
      <div className="form-actions">
        <button
          type="submit"
          className="button"
          aria-disabled={saving || undefined}
          data-testid="create-endpoint"
        >
          {saving ? "Creating…" : "Create endpoint"}
        </button>
        <InlineError id={`${id}-form-error`} message={formError} />
      </div>
    </form>
  );
}

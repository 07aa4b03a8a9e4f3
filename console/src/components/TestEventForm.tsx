import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "../api";
import { useApi } from "../api-context";
import { useEventTypes } from "../hooks/useEventTypes";
import { InlineError } from "./InlineError";

interface TestEventFormProps {
  endpointId: string;
  /** The endpoint's subscription: its types come first in the picker. */
  subscribed: string[] | null;
  onSent: () => void;
}

/** Sends the catalog's example of one event type through the real destination. */
export function TestEventForm({ endpointId, subscribed, onSent }: TestEventFormProps) {
  const api = useApi();
  const id = useId();
  const { eventTypes, error: catalogError } = useEventTypes();
  const [eventType, setEventType] = useState("");
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const names = eventTypes?.map((t) => t.name) ?? [];
  const preferred = names.filter((n) => subscribed?.includes(n));
  const ordered = [...preferred, ...names.filter((n) => !preferred.includes(n))];

  // Until the user picks, the first type the endpoint actually receives.
  const selected = eventType || ordered[0] || "";

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    setSending(true);
    setError(null);
    setResult(null);
    try {
      const answer = await api.sendTestEvent(endpointId, selected);
      setResult(
        `Test event ${answer.type} sent (event ${answer.eventId}). Its delivery appears in the table below.`,
      );
      onSent();
    } catch (failure) {
      setError(`The test event was not sent: ${errorMessage(failure)}`);
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Send a test event</h2>
      <form className="inline-form" onSubmit={send}>
        <div className="field">
          <label htmlFor={`${id}-type`}>Test event type</label>
          <select
            id={`${id}-type`}
            value={selected}
            onChange={(e) => setEventType(e.target.value)}
            disabled={!eventTypes}
            data-testid="test-event-type"
            aria-describedby={`${id}-help`}
          >
            {preferred.length > 0 ? (
              <>
                <optgroup label="Types this endpoint receives">
                  {preferred.map((name) => (
                    <option key={name}>{name}</option>
                  ))}
                </optgroup>
                <optgroup label="Other types">
                  {ordered.slice(preferred.length).map((name) => (
                    <option key={name}>{name}</option>
                  ))}
                </optgroup>
              </>
            ) : (
              ordered.map((name) => <option key={name}>{name}</option>)
            )}
          </select>
        </div>
        <button
          type="submit"
          className="button"
          disabled={!selected}
          aria-disabled={sending || undefined}
          data-testid="send-test-event"
        >
          {sending ? "Sending…" : "Send test event"}
        </button>
      </form>
      <p className="hint" id={`${id}-help`}>
        Sends the catalog's example payload of this type, signed, to this endpoint only.
      </p>
      <InlineError
        message={catalogError && `The event catalog could not be loaded: ${catalogError}`}
      />
      <InlineError message={error} />
      {result && (
        <p className="notice" role="status" data-testid="test-event-result">
          {result}
        </p>
      )}
    </section>
  );
}

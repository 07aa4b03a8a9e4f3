import { useState } from "react";
import { errorMessage } from "../api";
import { useApi } from "../api-context";
import type { Endpoint } from "../types";
import { EventTypePicker } from "./EventTypePicker";
import { InlineError } from "./InlineError";

interface EventTypesEditorProps {
  endpoint: Endpoint;
  onChanged: (endpoint: Endpoint) => void;
}

/** The endpoint's subscription, and changing it (PATCH {eventTypes}; null is all). */
export function EventTypesEditor({ endpoint, onChanged }: EventTypesEditorProps) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<string[] | null>(endpoint.eventTypes);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    if (saving) return;
    if (draft !== null && draft.length === 0) {
      setError("Choose at least one event type, or pick All event types.");
      return;
    }
    setSaving(true);
    setError(null);
    try {
      onChanged(await api.updateEndpoint(endpoint.id, { eventTypes: draft }));
      setEditing(false);
    } catch (failure) {
      setError(`The event types were not changed: ${errorMessage(failure)}`);
    } finally {
      setSaving(false);
    }
  };

  if (!editing) {
    return (
      <div className="event-types-view">
        <h3>Event types</h3>
        {endpoint.eventTypes === null ? (
          <p data-testid="endpoint-event-types">All event types</p>
        ) : (
          <ul className="tag-list" data-testid="endpoint-event-types">
            {endpoint.eventTypes.map((name) => (
              <li key={name}>
                <code>{name}</code>
              </li>
            ))}
          </ul>
        )}
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            setDraft(endpoint.eventTypes);
            setError(null);
            setEditing(true);
          }}
        >
          Change event types
        </button>
      </div>
    );
  }
  return (
    <div className="stack">
      <EventTypePicker value={draft} onChange={setDraft} />
      <div className="form-actions">
        <button type="button" className="button" onClick={save} aria-disabled={saving || undefined}>
          {saving ? "Saving…" : "Save event types"}
        </button>
        <button type="button" className="button secondary" onClick={() => setEditing(false)}>
          Cancel
        </button>
        <InlineError message={error} />
      </div>
    </div>
  );
}

import { useState } from "react";
import { errorMessage } from "../api";
import { useApi } from "../api-context";
import type { Endpoint } from "../types";
import { InlineError } from "./InlineError";
import { Switch } from "./Switch";

interface ActivitySwitchProps {
  endpoint: Endpoint;
  onChanged: (endpoint: Endpoint) => void;
}

/** The activity switch: PATCH {enabled}; shows what Herald answered, not what was clicked. */
export function ActivitySwitch({ endpoint, onChanged }: ActivitySwitchProps) {
  const api = useApi();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const change = async (enabled: boolean) => {
    setSaving(true);
    setError(null);
    try {
      onChanged(await api.updateEndpoint(endpoint.id, { enabled }));
    } catch (failure) {
      setError(`Could not turn the endpoint ${enabled ? "on" : "off"}: ${errorMessage(failure)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="activity">
      <Switch
        label="Active"
        checked={endpoint.enabled}
        onChange={change}
        busy={saving}
        describedBy="activity-help"
        testId="activity-switch"
      />
      <p className="hint" id="activity-help">
        {endpoint.enabled
          ? "Herald delivers new events to this endpoint."
          : "Herald sends nothing new while it is off; deliveries already waiting are paused until it is on again."}
        {!endpoint.enabled && endpoint.disabledReason
          ? ` Herald turned it off: ${endpoint.disabledReason}.`
          : ""}
      </p>
      <InlineError message={error} />
    </div>
  );
}

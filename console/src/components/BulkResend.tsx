import { useId, useState, type FormEvent } from "react";
import { errorMessage } from "../api";
import { useApi } from "../api-context";
import { fromDateTimeLocal, plural, toDateTimeLocal } from "../format";
import { InlineError } from "./InlineError";

const DAY_MS = 86_400_000;

/** Resends every failed delivery of this endpoint since a moment (default: a day ago). */
export function BulkResend({ endpointId, onResent }: { endpointId: string; onResent: () => void }) {
  const api = useApi();
  const id = useId();
  const [since, setSince] = useState(() => toDateTimeLocal(new Date(Date.now() - DAY_MS)));
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    setResult(null);
    setError(null);
    const iso = fromDateTimeLocal(since);
    if (!iso) {
      setError("Enter a date and time, e.g. yesterday at 09:00.");
      return;
    }
    setSending(true);
    try {
      const { resent } = await api.resendFailed(endpointId, iso);
      setResult(
        `${plural(resent, "delivery", "deliveries")} queued again` +
          (resent === 0 ? ": none failed since then." : "."),
      );
      onResent();
    } catch (failure) {
      setError(`Nothing was resent: ${errorMessage(failure)}`);
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="inline-form bulk-resend" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-since`}>Resend failed deliveries since</label>
        <input
          id={`${id}-since`}
          type="datetime-local"
          value={since}
          onChange={(e) => setSince(e.target.value)}
          aria-describedby={`${id}-help`}
          data-testid="bulk-resend-since"
        />
      </div>
      <button
        type="submit"
        className="button secondary"
        aria-disabled={sending || undefined}
        data-testid="bulk-resend"
      >
        {sending ? "Resending…" : "Resend failed"}
      </button>
      <p className="hint" id={`${id}-help`}>
        In your time zone. Every failed delivery created since then is attempted again with the same
        event id.
      </p>
      <InlineError message={error} />
      {result && (
        <p className="notice" role="status" data-testid="bulk-resend-result">
          {result}
        </p>
      )}
    </form>
  );
}

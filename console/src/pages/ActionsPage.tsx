import { useEffect, useId, useState, type FormEvent } from "react";
import { useApi } from "../api-context";
import { ActionTimeline } from "../components/ActionTimeline";
import { InlineError } from "../components/InlineError";
import { PageHeader } from "../components/PageHeader";
import { StatusBadge } from "../components/StatusBadge";
import { prettyJson } from "../format";
import { useActionLifecycle } from "../hooks/useActionLifecycle";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { navigate } from "../router";

interface ActionsPageProps {
  /** From the address: /actions/{id}. */
  actionId?: string;
  waitSeconds?: number;
  retryMs?: number;
}

/** Look up an action by id and watch its lifecycle live. */
export function ActionsPage({ actionId, waitSeconds, retryMs }: ActionsPageProps) {
  useDocumentTitle(actionId ? `Action ${actionId}` : "Actions");
  const api = useApi();
  const id = useId();
  const [input, setInput] = useState(actionId ?? "");
  const [inputError, setInputError] = useState<string | null>(null);
  // Back and forward change the id in the address: the field follows.
  useEffect(() => setInput(actionId ?? ""), [actionId]);
  const { action, error, watching, completedSeenAt } = useActionLifecycle(api, actionId, {
    waitSeconds,
    retryMs,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const wanted = input.trim();
    if (!wanted) {
      setInputError("Enter an action id, e.g. from the answer to a mint.");
      return;
    }
    setInputError(null);
    navigate(`/actions/${encodeURIComponent(wanted)}`, { keepFocus: true });
  };

  const lookupError =
    inputError ??
    (error?.status === 404
      ? "No action with this id in this project."
      : error && !action
        ? `The action could not be loaded: ${error.message}`
        : null);

  return (
    <>
      <PageHeader title="Actions" />
      <p className="hint">
        Every asynchronous operation (a collection, a mint, an edit, a burn, a transfer, a wallet)
        is an action. Its status updates here as it happens.
      </p>
      <form className="inline-form" onSubmit={submit} noValidate>
        <div className="field grow">
          <label htmlFor={`${id}-action`}>Action id</label>
          <input
            id={`${id}-action`}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={lookupError ? true : undefined}
            aria-describedby={lookupError ? `${id}-error` : undefined}
            data-testid="action-id"
          />
        </div>
        <button type="submit" className="button" data-testid="action-lookup">
          Look up
        </button>
      </form>
      <InlineError id={`${id}-error`} message={lookupError} />
      {actionId && !action && !error && <p className="hint">Looking up {actionId}…</p>}
      {action && (
        <section className="panel" aria-labelledby={`${id}-heading`} data-testid="action-detail">
          <h2 id={`${id}-heading`}>
            <code>{action.action}</code>{" "}
            <span role="status" aria-live="polite">
              <StatusBadge status={action.status} testId="action-status" />
            </span>
          </h2>
          <p className="hint wrap">
            <code>{action.actionId}</code>
            {watching && " · watching for changes"}
          </p>
          {error && <InlineError message={`Lost contact with Herald: ${error.message}`} />}
          <ActionTimeline action={action} completedSeenAt={completedSeenAt} />
          {action.resource && (
            <p>
              Resource: <code className="wrap">{action.resource}</code>
            </p>
          )}
          <h3>Data</h3>
          <pre tabIndex={0} data-testid="action-data">
            {prettyJson(action.data)}
          </pre>
        </section>
      )}
    </>
  );
}

import { useId, useState, type FormEvent } from "react";
import { errorMessage, verifyApiKey } from "../api";
import { useDocumentTitle } from "../hooks/useDocumentTitle";
import { InlineError } from "../components/InlineError";

interface SignInPageProps {
  onSignedIn: (apiKey: string) => void;
  /** Why the user is here again, e.g. the key stopped working. */
  notice?: string | null;
}

/** Paste a project API key; Herald checks it before the console keeps it. */
export function SignInPage({ onSignedIn, notice }: SignInPageProps) {
  useDocumentTitle("Sign in");
  const id = useId();
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (checking) return;
    const key = apiKey.trim();
    if (!key) {
      setError("Paste your project's API key.");
      return;
    }
    setChecking(true);
    setError(null);
    try {
      await verifyApiKey(key);
      onSignedIn(key);
    } catch (failure) {
      setError(errorMessage(failure));
      setChecking(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-box">
        <h1>Herald console</h1>
        <p>Sign in with a project API key to manage its webhook endpoints.</p>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <form onSubmit={submit} noValidate className="stack">
          <div className="field">
            <label htmlFor={`${id}-key`}>API key</label>
            <input
              id={`${id}-key`}
              type="password"
              value={apiKey}
              onChange={(e) => setApiKey(e.target.value)}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              aria-invalid={error ? true : undefined}
              aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
              data-testid="api-key"
            />
            <p className="hint" id={`${id}-help`}>
              Herald prints the default project's key on its first start;{" "}
              <code>herald keys create &lt;project&gt;</code> makes another. It is kept in this tab
              only.
            </p>
            <InlineError id={`${id}-error`} message={error} />
          </div>
          <button
            type="submit"
            className="button"
            aria-disabled={checking || undefined}
            data-testid="sign-in"
          >
            {checking ? "Checking…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}

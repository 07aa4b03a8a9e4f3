import { InlineError } from "./InlineError";

/** "Load more" under a list with a further page: the next page's error shows beside it. */
export function LoadMore({
  onClick,
  loading,
  error,
  label = "Load more",
}: {
  onClick: () => void;
  loading: boolean;
  error: string | null | undefined;
  label?: string;
}) {
  return (
    <div className="form-actions">
      <button
        type="button"
        className="button secondary"
        onClick={onClick}
        aria-disabled={loading || undefined}
      >
        {loading ? "Loading…" : label}
      </button>
      <InlineError message={error} />
    </div>
  );
}

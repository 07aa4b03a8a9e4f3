// An API or input error, in words, placed right next to the control that caused it.
// role="alert" makes screen readers announce it when it appears.
export function InlineError({ id, message }: { id?: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="inline-error" role="alert" id={id}>
      {message}
    </p>
  );
}

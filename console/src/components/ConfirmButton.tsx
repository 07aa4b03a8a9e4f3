import { useEffect, useRef, useState, type ReactNode } from "react";

interface ConfirmButtonProps {
  label: string;
  /** What will happen, asked before doing it. */
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void> | void;
  busy?: boolean;
  danger?: boolean;
  testId?: string;
}

/**
 * A button that asks first, inline (no modal to trap focus in, nothing blocking like
 * window.confirm): the question appears in place with "confirm" and "Cancel".
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  busy,
  danger,
  testId,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  // When the question closes, focus returns to the button that opened it.
  useEffect(() => {
    if (wasAsking.current && !asking) trigger.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button
        ref={trigger}
        type="button"
        className={danger ? "button danger" : "button secondary"}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={label}>
      <p>{question}</p>
      <div className="button-row">
        <button
          type="button"
          className={danger ? "button danger" : "button"}
          aria-disabled={busy || undefined}
          autoFocus
          data-testid={testId ? `${testId}-confirm` : undefined}
          onClick={async () => {
            if (busy) return;
            await onConfirm();
            setAsking(false);
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button secondary" onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

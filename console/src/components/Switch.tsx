import { useId } from "react";

interface SwitchProps {
  label: string;
  checked: boolean;
  onChange: (next: boolean) => void;
  disabled?: boolean;
  busy?: boolean;
  describedBy?: string;
  testId?: string;
}

/** An on/off switch: a button with role="switch", named by its visible label. */
export function Switch({
  label,
  checked,
  onChange,
  disabled,
  busy,
  describedBy,
  testId,
}: SwitchProps) {
  const labelId = useId();
  return (
    <span className="switch-field">
      <span id={labelId} className="switch-label">
        {label}
      </span>
      <button
        type="button"
        role="switch"
        className="switch"
        aria-checked={checked}
        aria-labelledby={labelId}
        aria-describedby={describedBy}
        aria-busy={busy || undefined}
        // Not `disabled` while busy: that would drop keyboard focus to <body>.
        aria-disabled={busy || disabled || undefined}
        data-testid={testId}
        onClick={() => {
          if (!busy && !disabled) onChange(!checked);
        }}
      >
        <span className="switch-track" aria-hidden="true">
          <span className="switch-thumb" />
        </span>
        {/* The state in words, so it does not rest on the thumb's position or colour. */}
        <span className="switch-state">{checked ? "On" : "Off"}</span>
      </button>
    </span>
  );
}

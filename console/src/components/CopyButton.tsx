import { useState } from "react";
import { errorMessage } from "../api";

interface CopyButtonProps {
  /** The text, or a function fetching it (e.g. a secret not revealed yet). */
  text: string | (() => Promise<string>);
  label?: string;
  testId?: string;
}

/**
 * The Clipboard API exists only in secure contexts (https, localhost); a console opened as
 * http://herald.internal:8080 falls back to the older copy command on a hidden text area.
 */
async function writeToClipboard(value: string): Promise<void> {
  if (navigator.clipboard) return navigator.clipboard.writeText(value);
  const area = document.createElement("textarea");
  area.value = value;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("this browser does not allow it here; select the text and copy it");
}

/** Copies to the clipboard and says so next to the button, or says why it could not. */
export function CopyButton({ text, label = "Copy", testId }: CopyButtonProps) {
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const copy = async () => {
    try {
      const value = typeof text === "string" ? text : await text();
      await writeToClipboard(value);
      setResult({ ok: true, message: "Copied to the clipboard." });
    } catch (failure) {
      setResult({ ok: false, message: `Could not copy: ${errorMessage(failure)}` });
    }
  };
  return (
    <span className="copy-button">
      <button type="button" className="button secondary" onClick={copy} data-testid={testId}>
        {label}
      </button>
      <span className={result && !result.ok ? "inline-error" : "hint"} role="status">
        {result?.message}
      </span>
    </span>
  );
}

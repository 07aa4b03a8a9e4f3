import { useState } from "react";
import { errorMessage } from "../api";
import { useApi } from "../api-context";
import { ConfirmButton } from "./ConfirmButton";
import { CopyButton } from "./CopyButton";
import { InlineError } from "./InlineError";

const MASK = "whsec_••••••••••••••••••••••••";

/** The signing secret: hidden until revealed, copyable, rotatable. */
export function SecretPanel({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const [secret, setSecret] = useState<string | null>(null);
  const [shown, setShown] = useState(false);
  const [revealError, setRevealError] = useState<string | null>(null);
  const [rotateError, setRotateError] = useState<string | null>(null);
  const [rotating, setRotating] = useState(false);
  const [rotatedAt, setRotatedAt] = useState<Date | null>(null);

  const fetchSecret = async (): Promise<string> => {
    if (secret !== null) return secret;
    const answer = await api.getSecret(endpointId);
    setSecret(answer.secret);
    return answer.secret;
  };

  const toggle = async () => {
    setRevealError(null);
    if (shown) {
      setShown(false);
      return;
    }
    try {
      await fetchSecret();
      setShown(true);
    } catch (failure) {
      setRevealError(`The secret could not be revealed: ${errorMessage(failure)}`);
    }
  };

  const rotate = async () => {
    setRotating(true);
    setRotateError(null);
    try {
      const answer = await api.rotateSecret(endpointId);
      setSecret(answer.secret);
      setShown(true);
      setRotatedAt(new Date());
    } catch (failure) {
      setRotateError(`The secret was not rotated: ${errorMessage(failure)}`);
    } finally {
      setRotating(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="secret-heading">
      <h2 id="secret-heading">Signing secret</h2>
      <p className="hint">
        Receivers verify each webhook's <code>webhook-signature</code> with this secret (Standard
        Webhooks and Svix libraries accept it as is).
      </p>
      <div className="secret-row">
        <code className="secret" data-testid="secret-value" id="secret-value" aria-live="polite">
          {shown && secret !== null ? secret : MASK}
        </code>
        <button
          type="button"
          className="button secondary"
          onClick={toggle}
          aria-controls="secret-value"
          data-testid="secret-reveal"
        >
          {shown ? "Hide" : "Reveal"}
        </button>
        <CopyButton text={fetchSecret} testId="secret-copy" />
      </div>
      <InlineError message={revealError} />
      <div className="rotate">
        <ConfirmButton
          label="Rotate secret"
          question={
            <>
              Rotate the signing secret? Herald signs with a new secret from now on; the current one
              keeps signing alongside it for 24 hours, so receivers can switch without missing a
              webhook.
            </>
          }
          confirmLabel="Rotate now"
          busy={rotating}
          onConfirm={rotate}
          testId="secret-rotate"
        />
        <InlineError message={rotateError} />
        {rotatedAt && (
          <p className="notice" role="status" data-testid="secret-rotated">
            New secret in use since {rotatedAt.toLocaleTimeString()}. The previous secret keeps
            signing too for 24 hours: update your receivers before then.
          </p>
        )}
      </div>
    </section>
  );
}

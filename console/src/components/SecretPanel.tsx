import { useState } from "react";
import { errorMessage } from "../api";
import { useApi } from "../api-context";
import { ConfirmButton } from "./ConfirmButton";
import { CopyButton } from "./CopyButton";
import { InlineError } from "./InlineError";
import type { Endpoint } from "../types";

const MASKS = {
  hmac: "whsec_••••••••••••••••••••••••",
  ed25519: "whsk_••••••••••••••••••••••••",
} as const;

interface SecretPanelProps {
  endpointId: string;
  /** hmac: one shared `whsec_` secret; ed25519: a `whsk_` secret key and its public key. */
  signing?: Endpoint["signing"];
  /** ed25519: the `whpk_` key receivers verify with, always shown. */
  publicKey?: string | null;
}

/**
 * The signing secret: hidden until revealed, copyable, rotatable. An ed25519 endpoint also
 * shows its public key, which receivers need instead of the secret.
 */
export function SecretPanel({ endpointId, signing = "hmac", publicKey = null }: SecretPanelProps) {
  const api = useApi();
  const ed25519 = signing === "ed25519";
  const [rotatedPublicKey, setRotatedPublicKey] = useState<string | null>(null);
  const shownPublicKey = rotatedPublicKey ?? publicKey;
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
      if (answer.publicKey) setRotatedPublicKey(answer.publicKey);
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
      <h2 id="secret-heading">{ed25519 ? "Signing keys (ed25519)" : "Signing secret"}</h2>
      {ed25519 ? (
        <>
          <p className="hint">
            Receivers verify each webhook's <code>v1a</code> signature in{" "}
            <code>webhook-signature</code> with this public key (Standard Webhooks ed25519). It is
            not secret: share it with whoever receives the webhooks.
          </p>
          <div className="secret-row">
            <code className="secret" data-testid="public-key" aria-label="Public key">
              {shownPublicKey ?? "not known yet"}
            </code>
            {shownPublicKey && <CopyButton text={shownPublicKey} testId="public-key-copy" />}
          </div>
          <p className="hint">The secret key signs; it never needs to leave Herald.</p>
        </>
      ) : (
        <p className="hint">
          Receivers verify each webhook's <code>webhook-signature</code> with this secret (Standard
          Webhooks and Svix libraries accept it as is).
        </p>
      )}
      <div className="secret-row">
        <code className="secret" data-testid="secret-value" id="secret-value" aria-live="polite">
          {shown && secret !== null ? secret : MASKS[signing]}
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
          label={ed25519 ? "Rotate keys" : "Rotate secret"}
          question={
            ed25519 ? (
              <>
                Rotate the signing keys? Herald signs with a new key pair from now on; the current
                key keeps signing alongside it for 24 hours, so receivers can add the new public key
                without missing a webhook.
              </>
            ) : (
              <>
                Rotate the signing secret? Herald signs with a new secret from now on; the current
                one keeps signing alongside it for 24 hours, so receivers can switch without missing
                a webhook.
              </>
            )
          }
          confirmLabel="Rotate now"
          busy={rotating}
          onConfirm={rotate}
          testId="secret-rotate"
        />
        <InlineError message={rotateError} />
        {rotatedAt && (
          <p className="notice" role="status" data-testid="secret-rotated">
            {ed25519 ? "New key pair" : "New secret"} in use since {rotatedAt.toLocaleTimeString()}.
            The previous {ed25519 ? "key" : "secret"} keeps signing too for 24 hours: update your
            receivers before then.
          </p>
        )}
      </div>
    </section>
  );
}

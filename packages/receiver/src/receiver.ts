// Handling a webhook request, framework-neutral: verify → 400 if not genuine → claim the id →
// run the application's handler → 2xx once done (or at once in `ack-first` mode), 5xx when it
// failed so the sender retries. The adapters turn this into each framework's request/response.
import type { RawBody } from "./keys.js";
import { MemoryStore } from "./stores/memory.js";
import type { DedupStore } from "./stores/types.js";
import {
  WebhookVerificationError,
  WebhookVerifier,
  type HeaderSource,
  type VerifierOptions,
} from "./verify.js";

/** A verified webhook, as the handler gets it. */
export interface ReceivedWebhook<P = unknown> {
  /** `webhook-id`: the same on every delivery of one event. */
  id: string;
  /** `webhook-timestamp`, Unix seconds. */
  timestamp: number;
  /** `payload.type` when the payload is an object with a string `type`. */
  type: string | undefined;
  /** The parsed JSON body. */
  payload: P;
  /** The body as received (UTF-8). */
  rawBody: string;
  headers: HeaderSource;
  /** Which signature matched: `v1` (whsec_) or `v1a` (ed25519). */
  scheme: "v1" | "v1a";
  /** Aborted when the deadline passes (default mode); never in `ack-first` mode. */
  signal: AbortSignal;
}

export type WebhookHandler<P = unknown> = (webhook: ReceivedWebhook<P>) => unknown;

export interface ReceiverOptions<P = unknown> extends VerifierOptions {
  /** The application's work for one webhook; throw (or reject) to have it delivered again. */
  handler: WebhookHandler<P>;
  /**
   * De-duplication on the webhook id; default an in-memory store (one process). `null`: none
   * (the handler must then be idempotent itself).
   */
  store?: DedupStore | null;
  /**
   * `wait` (default): answer 200 once the handler is done, 500 if it threw, 503 if it is still
   * running at `deadlineMs`. `ack-first`: answer 200 as soon as the webhook is verified and
   * claimed, and run the handler afterwards; its failures go to `onError` (the sender will not
   * retry: a failed handler's claim is released, so only a later resend runs it again).
   */
  mode?: "wait" | "ack-first";
  /** `wait` mode: how long the handler may run before the answer is 503; default 10 000 ms. */
  deadlineMs?: number;
  /**
   * How long a claim outlives a handler that never finished (a crashed process): after it a
   * retry runs the webhook again. Default 60 000 ms, and at least `deadlineMs`.
   */
  claimTtlMs?: number;
  /** How long a handled id is remembered; default 72 h (beyond the senders' retry schedules). */
  retainMs?: number;
  /** Handler failures (both modes) and store failures; default `console.error`. */
  onError?: (error: unknown, webhook: ReceivedWebhook<P> | undefined) => void;
  /**
   * `ack-first` on a serverless platform: keeps the function alive for the background work
   * (Next.js `after`, Vercel's `waitUntil`, Cloudflare's `ctx.waitUntil`).
   */
  waitUntil?: (work: Promise<unknown>) => void;
  /** Larger bodies are answered 413 by the adapters; default 1 MiB. */
  maxBodyBytes?: number;
}

/** What to answer: always a JSON body. */
export interface ReceiverResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = { "content-type": "application/json; charset=utf-8" };

export function jsonResponse(
  status: number,
  body: object,
  headers: Record<string, string> = {},
): ReceiverResponse {
  return { status, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

/** An error answer, `{error, message}`. */
export function errorResponse(
  status: number,
  error: string,
  message: string,
  headers?: Record<string, string>,
): ReceiverResponse {
  return jsonResponse(status, { error, message }, headers);
}

const RECEIVED = jsonResponse(200, { received: true });
const DUPLICATE = jsonResponse(200, { received: true, duplicate: true });
/** Retry soon: another delivery of this id is being handled (or ran past the deadline). */
const RETRY_AFTER = { "retry-after": "5" };

const NEVER = new AbortController().signal;

export class WebhookReceiver<P = unknown> {
  readonly verifier: WebhookVerifier;
  readonly store: DedupStore | null;
  readonly mode: "wait" | "ack-first";
  readonly maxBodyBytes: number;
  private readonly handler: WebhookHandler<P>;
  private readonly deadlineMs: number;
  private readonly claimTtlMs: number;
  private readonly retainMs: number;
  private readonly onError: (error: unknown, webhook: ReceivedWebhook<P> | undefined) => void;
  private readonly waitUntil: ((work: Promise<unknown>) => void) | undefined;
  private readonly background = new Set<Promise<void>>();

  constructor(options: ReceiverOptions<P>) {
    if (typeof options.handler !== "function") throw new TypeError("handler must be a function");
    this.verifier = new WebhookVerifier(options);
    this.handler = options.handler;
    this.store = options.store === undefined ? new MemoryStore() : options.store;
    this.mode = options.mode ?? "wait";
    if (this.mode !== "wait" && this.mode !== "ack-first")
      throw new TypeError(`mode is "wait" or "ack-first", not ${String(this.mode)}`);
    this.deadlineMs = options.deadlineMs ?? 10_000;
    this.claimTtlMs = Math.max(options.claimTtlMs ?? 60_000, this.deadlineMs);
    this.retainMs = options.retainMs ?? 72 * 3600_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.onError =
      options.onError ??
      ((error, webhook) =>
        console.error(`webhook ${webhook?.id ?? "(unverified)"} failed:`, error));
    this.waitUntil = options.waitUntil;
  }

  /** Handles one request: `body` is the raw body, byte for byte. */
  async receive(headers: HeaderSource, body: RawBody): Promise<ReceiverResponse> {
    let verified;
    try {
      verified = this.verifier.verify(headers, body);
    } catch (error) {
      if (error instanceof WebhookVerificationError)
        return errorResponse(400, error.reason, error.message);
      throw error;
    }
    const rawBody = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
    let payload: P;
    try {
      payload = JSON.parse(rawBody) as P;
    } catch {
      return errorResponse(400, "invalid_json", "the body is not JSON");
    }
    const type = (payload as { type?: unknown } | null)?.type;
    const webhook: ReceivedWebhook<P> = {
      ...verified,
      type: typeof type === "string" ? type : undefined,
      payload,
      rawBody,
      headers,
      signal: NEVER,
    };

    if (this.store) {
      let claim;
      try {
        claim = await this.store.claim(webhook.id, this.claimTtlMs);
      } catch (error) {
        this.report(error, webhook);
        return errorResponse(
          503,
          "store_unavailable",
          "the de-duplication store failed",
          RETRY_AFTER,
        );
      }
      if (claim === "done") return DUPLICATE;
      if (claim === "processing")
        return errorResponse(
          503,
          "in_progress",
          "another delivery of this webhook is being handled",
          RETRY_AFTER,
        );
    }

    if (this.mode === "ack-first") {
      this.track(this.run(webhook).then(() => undefined));
      return RECEIVED;
    }

    const controller = new AbortController();
    webhook.signal = controller.signal;
    const run = this.run(webhook);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), this.deadlineMs);
    });
    const outcome = await Promise.race([run, deadline]);
    clearTimeout(timer);
    if (outcome === "deadline") {
      // The claim stays until the handler settles: a retry meanwhile is told to come back.
      controller.abort(new Error(`the ${this.deadlineMs} ms deadline passed`));
      this.track(run.then(() => undefined));
      return errorResponse(
        503,
        "deadline_exceeded",
        `the handler did not finish within ${this.deadlineMs} ms`,
        RETRY_AFTER,
      );
    }
    return outcome === "ok"
      ? RECEIVED
      : errorResponse(500, "handler_failed", "the webhook could not be handled; retry later");
  }

  /** Resolves once the work started in the background (ack-first, past deadlines) is done. */
  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /** Runs the handler; records the id as done, or releases the claim if it failed. */
  private async run(webhook: ReceivedWebhook<P>): Promise<"ok" | "failed"> {
    try {
      await this.handler(webhook);
    } catch (error) {
      this.report(error, webhook);
      await this.store?.release(webhook.id).catch((e: unknown) => this.report(e, webhook));
      return "failed";
    }
    // Done even if recording it fails: a 5xx would only run it again once the claim expires.
    await this.store
      ?.complete(webhook.id, this.retainMs)
      .catch((e: unknown) => this.report(e, webhook));
    return "ok";
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.report(error, undefined))
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
    this.waitUntil?.(tracked);
  }

  /** `onError`, which must not break the answer or the background work if it throws. */
  private report(error: unknown, webhook: ReceivedWebhook<P> | undefined): void {
    try {
      this.onError(error, webhook);
    } catch {
      // Nothing left to report to.
    }
  }
}

export function createReceiver<P = unknown>(options: ReceiverOptions<P>): WebhookReceiver<P> {
  return new WebhookReceiver(options);
}

/** An adapter takes a receiver or the options to build one. */
export function asReceiver<P>(
  receiverOrOptions: WebhookReceiver<P> | ReceiverOptions<P>,
): WebhookReceiver<P> {
  return receiverOrOptions instanceof WebhookReceiver
    ? receiverOrOptions
    : new WebhookReceiver(receiverOrOptions);
}

// Express (4 and 5): a middleware for the webhook route. It needs the raw body: mount it with
// no body parser before it, or after `express.raw({ type: "*/*" })`.
import type { IncomingMessage, ServerResponse } from "node:http";
import { asReceiver, type ReceiverOptions, type WebhookReceiver } from "../receiver.js";
import { handleNodeRequest } from "./node.js";

/** The part of Express's request this adapter uses. */
export interface ExpressRequestLike extends IncomingMessage {
  body?: unknown;
}

const PARSED =
  "the request body was already parsed (express.json()?): the signature covers the raw bytes. " +
  'Mount express.raw({ type: "*/*" }) on the webhook route, or no body parser before it.';

/**
 * `app.post("/webhooks", expressWebhooks({ secret, handler }))`: answers the request itself
 * (400, 2xx or 5xx); calls `next(error)` only when the app parsed the body before it.
 */
export function expressWebhooks<P = unknown>(
  receiverOrOptions: WebhookReceiver<P> | ReceiverOptions<P>,
): (req: ExpressRequestLike, res: ServerResponse, next: (error?: unknown) => void) => void {
  const receiver = asReceiver(receiverOrOptions);
  return (req, res, next) => {
    let body: Buffer | string | undefined;
    if (Buffer.isBuffer(req.body) || typeof req.body === "string") body = req.body;
    else if (req.readableEnded) {
      // Read by a parser (express.raw with a `type` that did not match leaves it unread).
      next(new Error(PARSED));
      return;
    }
    handleNodeRequest(receiver, req, res, body).catch((error: unknown) => next(error));
  };
}

// Node's http module: `createServer(nodeHandler({...}))`, or as the handler of one route.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  asReceiver,
  errorResponse,
  type ReceiverOptions,
  type ReceiverResponse,
  type WebhookReceiver,
} from "../receiver.js";

/** The body is larger than the receiver accepts. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/** Reads a request's raw body, up to `limit` bytes (else rejects with BodyTooLargeError). */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError(`the body is over ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () =>
      tooLarge
        ? reject(new BodyTooLargeError(`the body is over ${limit} bytes`))
        : resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)),
    );
    req.on("error", reject);
  });
}

export function sendNodeResponse(res: ServerResponse, response: ReceiverResponse): void {
  res.writeHead(response.status, response.headers).end(response.body);
}

const tooLarge = (limit: number) =>
  errorResponse(413, "body_too_large", `the body is over ${limit} bytes`);

/** Answers a request whose raw body is `body` (or read from the request when undefined). */
export async function handleNodeRequest<P>(
  receiver: WebhookReceiver<P>,
  req: IncomingMessage,
  res: ServerResponse,
  body?: Buffer | string,
): Promise<void> {
  if (req.method !== "POST") {
    sendNodeResponse(
      res,
      errorResponse(405, "method_not_allowed", "webhooks are POSTed", { allow: "POST" }),
    );
    return;
  }
  if (body === undefined) {
    try {
      body = await readRawBody(req, receiver.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      sendNodeResponse(res, tooLarge(receiver.maxBodyBytes));
      return;
    }
  } else if (Buffer.byteLength(body) > receiver.maxBodyBytes) {
    sendNodeResponse(res, tooLarge(receiver.maxBodyBytes));
    return;
  }
  sendNodeResponse(res, await receiver.receive(req.headers, body));
}

/**
 * A `(req, res)` handler for `http.createServer` (or a router's route): it reads the raw body
 * itself. Any error of its own is answered 500.
 */
export function nodeHandler<P = unknown>(
  receiverOrOptions: WebhookReceiver<P> | ReceiverOptions<P>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const receiver = asReceiver(receiverOrOptions);
  return async (req, res) => {
    try {
      await handleNodeRequest(receiver, req, res);
    } catch {
      if (!res.headersSent)
        sendNodeResponse(res, errorResponse(500, "internal_error", "the receiver failed"));
    }
  };
}

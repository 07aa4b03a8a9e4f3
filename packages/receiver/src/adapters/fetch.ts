// The fetch API's `(request: Request) => Promise<Response>`: Next.js route handlers
// (`export const POST = fetchHandler({...})`), Hono (`(c) => handler(c.req.raw)`), Bun, Deno,
// Cloudflare Workers.
import {
  asReceiver,
  errorResponse,
  type ReceiverOptions,
  type ReceiverResponse,
  type WebhookReceiver,
} from "../receiver.js";

const toResponse = (r: ReceiverResponse) =>
  new Response(r.body, { status: r.status, headers: r.headers });

export function fetchHandler<P = unknown>(
  receiverOrOptions: WebhookReceiver<P> | ReceiverOptions<P>,
): (request: Request) => Promise<Response> {
  const receiver = asReceiver(receiverOrOptions);
  const limit = receiver.maxBodyBytes;
  const tooLarge = () =>
    toResponse(errorResponse(413, "body_too_large", `the body is over ${limit} bytes`));
  return async (request) => {
    if (request.method !== "POST")
      return toResponse(
        errorResponse(405, "method_not_allowed", "webhooks are POSTed", { allow: "POST" }),
      );
    if (Number(request.headers.get("content-length")) > limit) return tooLarge();
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > limit) return tooLarge();
    return toResponse(await receiver.receive(request.headers, body));
  };
}

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
    const body = await readLimited(request, limit);
    if (body === null) return tooLarge();
    return toResponse(await receiver.receive(request.headers, body));
  };
}

/** The body's bytes, or null (and the rest left unread) once it is over `limit`. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

// Fastify (4 and 5): a plugin that registers the webhook route in its own encapsulated context,
// where every body is kept raw (a Buffer); the application's other routes keep their parsers.
import type { IncomingHttpHeaders } from "node:http";
import {
  asReceiver,
  type ReceiverOptions,
  type ReceiverResponse,
  type WebhookReceiver,
} from "../receiver.js";

/** The parts of Fastify's request and reply the route uses. */
export interface FastifyRequestLike {
  headers: IncomingHttpHeaders;
  body: unknown;
}
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

/**
 * The parts of a Fastify instance the plugin uses. Fastify's own overloads are many: the
 * callbacks are typed `never` here so that any Fastify 4 or 5 instance fits.
 */
export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: "buffer"; bodyLimit?: number },
    parser: never,
  ): void;
  post(path: string, handler: never): unknown;
}

type RawParser = (
  request: unknown,
  body: Buffer,
  done: (error: null, body: Buffer) => void,
) => void;

function send(reply: FastifyReplyLike, response: ReceiverResponse): FastifyReplyLike {
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/**
 * A route handler for a context whose parser keeps the body raw (what `fastifyWebhooks` sets
 * up); for an app that registers the route itself.
 */
export function fastifyRouteHandler<P = unknown>(
  receiverOrOptions: WebhookReceiver<P> | ReceiverOptions<P>,
): (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<FastifyReplyLike> {
  const receiver = asReceiver(receiverOrOptions);
  return async (request, reply) => {
    const body = request.body ?? Buffer.alloc(0);
    if (!Buffer.isBuffer(body) && typeof body !== "string")
      throw new Error("the webhook route needs the raw body: use fastifyWebhooks()");
    return send(reply, await receiver.receive(request.headers, body));
  };
}

export interface FastifyWebhooksOptions {
  /** The route's path; default `/webhooks`. */
  path?: string;
}

/**
 * `app.register(fastifyWebhooks({ secret, handler }, { path: "/webhooks" }))`. Bodies over
 * `maxBodyBytes` are answered 413 by Fastify.
 */
export function fastifyWebhooks<P = unknown>(
  receiverOrOptions: WebhookReceiver<P> | ReceiverOptions<P>,
  options: FastifyWebhooksOptions = {},
): (instance: FastifyInstanceLike) => Promise<void> {
  const receiver = asReceiver(receiverOrOptions);
  const route = fastifyRouteHandler(receiver);
  return async (instance) => {
    // Scoped to this plugin's context (the plugin is not wrapped with fastify-plugin).
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: receiver.maxBodyBytes }, ((
      _request,
      body,
      done,
    ) => done(null, body)) satisfies RawParser as never);
    instance.post(options.path ?? "/webhooks", route as never);
  };
}

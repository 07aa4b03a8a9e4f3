import { Type } from "@sinclair/typebox";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { ServerResponse } from "node:http";
import { invalid } from "../../../core/errors.js";
import { iso } from "../../../core/policy/envelope.js";
import { isValidSubscription } from "../../../core/policy/event-filter.js";
import { isEventId } from "../../../core/webhooks/event-feed.js";
import type { EventService } from "../../../core/webhooks/events.js";
import { errorResponses, parseTime } from "../shared.js";
import { eventView } from "./views.js";

// GET /events/stream: the project's events as server-sent events, oldest first, for
// `herald listen` (docs/listen.md). Read-only: it reads the stored events and never makes a
// delivery. Each message's `id:` is the event id; a client resumes with `Last-Event-ID` (or
// `?after=`), which wins over `?since=` so that a reconnecting EventSource resumes.

const HEARTBEAT_MS = 15_000;
const IDLE_MIN_MS = 50;
const IDLE_MAX_MS = 1_000;
const MAX_TYPES = 50;

export const StreamQuery = Type.Object(
  {
    after: Type.Optional(
      Type.String({
        format: "uuid",
        description: "Resume after this event id (the `Last-Event-ID` header wins over it)",
      }),
    ),
    since: Type.Optional(
      Type.String({
        format: "date-time",
        description: "Start with the events of this time (default: now); ignored when resuming",
      }),
    ),
    types: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: `Comma-separated event types or patterns (\`nfts.*\`), at most ${MAX_TYPES}; default: all`,
      }),
    ),
  },
  { additionalProperties: false },
);

const StreamBody = Type.String({
  description:
    "`text/event-stream`: per event `id: <event id>` and `data: <the Event as JSON>`; first " +
    '`event: project` with `data: {"id": <project id>, "since": <the time it starts at>}`; a `: ping` comment every 15 s',
});

function parseTypes(text: string | undefined): string[] | null {
  if (text === undefined) return null;
  const types = text.split(",").map((t) => t.trim());
  if (types.length > MAX_TYPES) throw invalid(`types: at most ${MAX_TYPES} types`);
  for (const type of types) {
    if (!isValidSubscription(type) || type.length > 100) {
      throw invalid(`types: '${type.slice(0, 100)}' is not an event type or pattern (nfts.*)`);
    }
  }
  return types;
}

function lastEventId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return undefined;
  if (!isEventId(value.trim())) throw invalid("Last-Event-ID must be an event id");
  return value.trim();
}

/** Writes `text`, waiting for the socket to drain when its buffer is full (or `stop`). */
async function send(raw: ServerResponse, text: string, stop: AbortSignal): Promise<void> {
  if (raw.write(text) || stop.aborted) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      raw.off("drain", done);
      stop.removeEventListener("abort", done);
      resolve();
    };
    raw.on("drain", done);
    stop.addEventListener("abort", done, { once: true });
  });
}

export const eventStreamRoutes: FastifyPluginAsyncTypebox<{ events: EventService }> = async (
  app,
  { events },
) => {
  app.get(
    "/events/stream",
    {
      schema: {
        tags: ["Events"],
        operationId: "streamEvents",
        summary: "The project's events as server-sent events, oldest first (read-only)",
        description:
          "What `herald listen` reads. Starts now, at `since`, or after the event `Last-Event-ID`" +
          " / `after` names; filters by `types`. Reading makes no delivery. A resumed stream" +
          " may repeat events of the 10 s before its cursor that it cannot know were seen:" +
          " skip ids already handled.",
        querystring: StreamQuery,
        headers: Type.Object({
          "last-event-id": Type.Optional(
            Type.String({ maxLength: 100, description: "Resume after this event id" }),
          ),
        }),
        response: {
          200: {
            description: "The stream; it ends only when the client or the server goes away",
            content: { "text/event-stream": { schema: StreamBody } },
          },
          400: errorResponses[400],
          401: errorResponses[401],
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const after = lastEventId(request.headers["last-event-id"]) ?? q.after?.toLowerCase();
      const types = parseTypes(q.types);
      const since = q.since ? parseTime(q.since, "since") : undefined;
      const feed = events.feed(request.projectId, { after, since, types });

      reply.hijack();
      const raw = reply.raw;
      // Stop when the client goes away or Herald shuts down (the stream is ended: the client
      // reconnects, to this server or another).
      const closed = new AbortController();
      const abort = () => closed.abort();
      raw.once("close", abort);
      app.shutdownSignal.addEventListener("abort", abort, { once: true });
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      const hello = { id: request.projectId, since: iso(feed.startTime) };
      await send(raw, `event: project\ndata: ${JSON.stringify(hello)}\n\n`, closed.signal);

      let idle = IDLE_MIN_MS;
      let lastWrite = Date.now();
      try {
        while (!closed.signal.aborted) {
          const found = await feed.next();
          for (const event of found) {
            if (closed.signal.aborted) break;
            await send(
              raw,
              `id: ${event.id}\ndata: ${JSON.stringify(eventView(event))}\n\n`,
              closed.signal,
            );
          }
          if (found.length > 0) lastWrite = Date.now();
          if (Date.now() - lastWrite >= HEARTBEAT_MS) {
            await send(raw, ": ping\n\n", closed.signal);
            lastWrite = Date.now();
          }
          if (feed.behind) continue;
          idle = found.length > 0 ? IDLE_MIN_MS : Math.min(idle * 2, IDLE_MAX_MS);
          await feed.wait(idle, closed.signal);
        }
      } catch (error) {
        // The store went away (shutdown) or failed: end the stream; the client reconnects.
        if (!closed.signal.aborted) request.log.warn({ err: error }, "event stream ended");
      } finally {
        app.shutdownSignal.removeEventListener("abort", abort);
        // A client that reads nothing is not waited for: its buffered messages are dropped.
        if (raw.writableNeedDrain) raw.destroy();
        else raw.end();
      }
    },
  );
};

import { request } from "undici";

// The client side of GET /events/stream: one connection, its server-sent events parsed.

export interface StreamedEvent {
  id: string;
  type: string;
  createdAt: string;
  /** The body every destination receives (Crossmint's envelope), parsed. */
  payload: unknown;
}

export type StreamMessage =
  { kind: "project"; id: string; since: string } | { kind: "event"; event: StreamedEvent };

/** The server refused (4xx other than 408/429): reconnecting would not help. */
export class StreamRefused extends Error {}

export interface StreamRequest {
  api: string;
  apiKey: string;
  after: string | null;
  since: string | null;
  types: string[] | null;
  signal: AbortSignal;
}

/** A silent stream (no event, no `: ping` for this long) is taken for a dead connection. */
const SILENCE_MS = 45_000;

export function streamUrl(r: Pick<StreamRequest, "api" | "since" | "types">): string {
  const url = new URL(`${r.api.replace(/\/+$/, "")}/api/2022-06-09/events/stream`);
  if (r.since) url.searchParams.set("since", r.since);
  if (r.types) url.searchParams.set("types", r.types.join(","));
  return url.toString();
}

/** Connects and yields the stream's messages until it ends; throws when it cannot connect. */
export async function* readStream(r: StreamRequest): AsyncGenerator<StreamMessage> {
  const response = await request(streamUrl(r), {
    method: "GET",
    signal: r.signal,
    headersTimeout: 10_000,
    bodyTimeout: SILENCE_MS,
    headers: {
      accept: "text/event-stream",
      "x-api-key": r.apiKey,
      ...(r.after ? { "last-event-id": r.after } : {}),
    },
  });
  if (response.statusCode !== 200) {
    const text = await response.body.text().catch(() => "");
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not JSON: the text as is
    }
    const error = `the server answered ${response.statusCode}: ${message}`;
    const fatal = response.statusCode >= 400 && response.statusCode < 500;
    throw fatal && response.statusCode !== 408 && response.statusCode !== 429
      ? new StreamRefused(error)
      : new Error(error);
  }
  let buffer = "";
  for await (const chunk of response.body) {
    buffer += (chunk as Buffer).toString("utf8").replace(/\r\n?/g, "\n");
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = parseBlock(block);
      if (message) yield message;
    }
  }
}

/** One server-sent event: `event:` and `data:` fields (comments and `id:` need nothing here:
 * the data carries the id). */
function parseBlock(block: string): StreamMessage | null {
  let name = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line.startsWith(":") || line === "") continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return null;
  const parsed = JSON.parse(data.join("\n")) as unknown;
  if (name === "project") {
    const { id, since } = parsed as { id: string; since: string };
    return { kind: "project", id, since };
  }
  if (name === "message") return { kind: "event", event: parsed as StreamedEvent };
  return null;
}

// Operations on Herald timed end to end, from their request to the receipt of their webhook: a
// receiver in the bench's process, an endpoint subscribed to the one event type, a warm-up
// outside the measurement, then the timed requests. Mints (mints.ts) and Original's reward
// allocations (allocations.ts) are measured so.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { summarize } from "./stats.js";

/** Sends `body` as JSON (GET without one); the answer's JSON, or an error above 2xx. */
export async function jsonRequest(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<unknown> {
  const res = await request(url, {
    method: body === undefined ? "GET" : "POST",
    dispatcher: agent,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = await res.body.json();
  if (res.statusCode >= 300)
    throw new Error(`${new URL(url).pathname}: ${res.statusCode} ${JSON.stringify(json)}`);
  return json;
}

export interface TimedOperations {
  /** The event type the bench's endpoint subscribes to. */
  eventType: string;
  /** The operation a received webhook's body announces; undefined: none of these. */
  idOf: (body: any) => string | undefined;
  /** Outside the measurement (a contract deployed, say): the id of one operation, whose
   * webhook is awaited before the timed requests. */
  warmUp: (agent: Agent) => Promise<string>;
  /** The timed requests: records each operation's id with the time its request left. */
  send: (agent: Agent, sentAt: Map<string, number>) => Promise<void>;
  /** How long every webhook may take after the requests (default 120 s). */
  timeoutMs?: number;
}

/**
 * `count` operations through the Herald at `heraldUrl`, over `connections` connections: how
 * many per second from the first request to the last webhook, and each one's latency.
 */
export async function timeToWebhook(
  heraldUrl: string,
  apiKey: string,
  count: number,
  connections: number,
  timed: TimedOperations,
) {
  const received = new Map<string, number>();
  let onReceived: (() => void) | null = null;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      res.writeHead(200).end();
      const id = timed.idOf(JSON.parse(body));
      if (id) received.set(id, performance.now());
      onReceived?.();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const agent = new Agent({ connections });
  const endpoints = `${heraldUrl}/api/2022-06-09/webhooks/endpoints`;
  const waitFor = (done: () => boolean, timeoutMs: number) =>
    untilTrue(done, (fn) => (onReceived = fn), timeoutMs, timed.eventType);
  let endpointId: string | undefined;
  try {
    ({ id: endpointId } = (await jsonRequest(
      agent,
      endpoints,
      { "x-api-key": apiKey },
      { url: hookUrl, eventTypes: [timed.eventType] },
    )) as { id: string });
    const warm = await timed.warmUp(agent);
    await waitFor(() => received.has(warm), 60_000);
    received.clear();
    const sentAt = new Map<string, number>();
    const started = performance.now();
    await timed.send(agent, sentAt);
    await waitFor(
      () => [...sentAt.keys()].every((id) => received.has(id)),
      timed.timeoutMs ?? 120_000,
    );
    const latencies = [...sentAt].map(([id, at]) => received.get(id)! - at);
    const last = Math.max(...[...sentAt.keys()].map((id) => received.get(id)!));
    return { perSecond: count / ((last - started) / 1000), ...summarize(latencies) };
  } finally {
    // A later run on the same Herald must not deliver to this receiver, gone by then.
    if (endpointId)
      await request(`${endpoints}/${endpointId}`, {
        method: "DELETE",
        dispatcher: agent,
        headers: { "x-api-key": apiKey },
      }).then(
        (r) => r.body.dump(),
        () => undefined,
      );
    await agent.close();
    server.closeAllConnections();
    server.close();
  }
}

function untilTrue(
  done: () => boolean,
  subscribe: (fn: () => void) => void,
  timeoutMs: number,
  eventType: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${eventType} webhooks did not all arrive in time`)),
      timeoutMs,
    );
    const check = () => {
      if (done()) {
        clearTimeout(timer);
        resolve();
      }
    };
    subscribe(check);
    check();
  });
}

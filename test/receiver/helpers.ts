// Shared by the receiver tests: a signed webhook, a fetch-API app served by node:http (Hono and
// Next.js route handlers answer `Request`s), and a server's URL.
import { once } from "node:events";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { signHeaders } from "../../packages/receiver/src/index.js";

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A webhook body and its headers signed with `key` (whsec_ → v1, whsk_ → v1a). */
export function signedWebhook(
  key: string | string[],
  { id = `msg_${randomUUID()}`, timestamp = nowSeconds(), data = {} as object } = {},
) {
  const body = JSON.stringify({ type: "nfts.create.succeeded", data });
  return { id, body, headers: signHeaders(key, id, timestamp, body) as Record<string, string> };
}

export async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Serves a fetch-API handler (`(Request) => Response`) over node:http, as a host would. */
export function fetchServer(handle: (request: Request) => Response | Promise<Response>): Server {
  const listener: RequestListener = async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers))
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value])
        headers.append(name, v);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const response = await handle(
      new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
  return createServer(listener);
}

/** POSTs a webhook; answers the status and the parsed JSON body. */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: any }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: response.status, json };
}

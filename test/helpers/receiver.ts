import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  receivedAt: number;
}

/**
 * What to answer: a status (and headers/body); "hang" (never answer), "reset" (close the
 * connection), or "drip" (200 at once, then a body that never ends, a byte every 200 ms).
 */
export type Reply =
  { status: number; headers?: Record<string, string>; body?: string } | "hang" | "reset" | "drip";

export type Behaviour = (req: ReceivedRequest, index: number) => Reply;

/** A real node:http receiver that records every request and answers as scripted. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  behaviour: Behaviour = () => ({ status: 200, body: "ok" });
  private readonly server = createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  url = "";

  static async start(behaviour?: Behaviour): Promise<Receiver> {
    const receiver = new Receiver();
    if (behaviour) receiver.behaviour = behaviour;
    receiver.server.on("connection", (socket) => {
      receiver.sockets.add(socket);
      socket.on("close", () => receiver.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
    const { port } = receiver.server.address() as AddressInfo;
    receiver.url = `http://127.0.0.1:${port}`;
    return receiver;
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // keep null
      }
      const received: ReceivedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        json,
        receivedAt: Date.now(),
      };
      const index = this.requests.length;
      this.requests.push(received);
      for (const waiter of [...this.waiters]) {
        if (this.requests.length >= waiter.count) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
      const reply = this.behaviour(received, index);
      if (reply === "hang") return;
      if (reply === "reset") {
        req.socket.destroy();
        return;
      }
      if (reply === "drip") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("ok");
        const drip = setInterval(() => res.write("."), 200);
        res.on("close", () => clearInterval(drip));
        return;
      }
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? "");
    });
  }

  /** Resolves once `count` requests in total have arrived. */
  waitFor(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`receiver got ${this.requests.length} of ${count} requests`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// Misbehaving endpoints in numbers, for the isolation tests and the bench: receivers that hang,
// reset, drip, fail at random, redirect, throttle; a closed port; and TCP servers that accept
// and never speak, as a hanging SQS endpoint or RabbitMQ broker.
import { spawn } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { Receiver, type Reply } from "./receiver.js";

/** A TCP server that accepts connections and never sends a byte. */
export class SilentServer {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((socket) => {
    this.sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => this.sockets.delete(socket));
  });
  port = 0;

  static async start(): Promise<SilentServer> {
    const silent = new SilentServer();
    await new Promise<void>((resolve) => silent.server.listen(0, "127.0.0.1", resolve));
    silent.port = (silent.server.address() as AddressInfo).port;
    return silent;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const BEHAVIOURS: Record<string, () => Reply> = {
  hang: () => "hang",
  reset: () => "reset",
  drip: () => "drip",
  flaky: () => (Math.random() < 0.5 ? { status: 500, body: "oops" } : { status: 200 }),
  redirect: () => ({ status: 301, headers: { location: "http://127.0.0.1:1/" } }),
  throttle: () => ({ status: 429, headers: { "retry-after": "1" } }),
  error: () => ({ status: 503, body: "down" }),
};

export interface Neighbours {
  /** Endpoint bodies for POST /webhooks/endpoints, `count` of them, every kind in turn. */
  endpoints(count: number): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** One receiver of each misbehaviour, a closed port, and a silent TCP server (SQS, AMQP). */
export async function startNeighbours(): Promise<Neighbours> {
  const receivers = await Promise.all(
    Object.entries(BEHAVIOURS).map(async ([kind, reply]) => ({
      kind,
      receiver: await Receiver.start(reply),
    })),
  );
  const silent = await SilentServer.start();
  const refused = await closedPort();
  const silentUrl = `http://127.0.0.1:${silent.port}`;
  const makers: Array<(i: number) => Record<string, unknown>> = [
    ...receivers.map(({ kind, receiver }) => (i: number) => ({
      url: `${receiver.url}/${kind}/${i}`,
    })),
    (i) => ({ url: `http://127.0.0.1:${refused}/refused/${i}` }),
    (i) => ({
      destination: {
        type: "sqs",
        queueUrl: `${silentUrl}/123456789012/silent-${i}`,
        region: "us-east-1",
        accessKeyId: "AKIAHERALDTEST0001",
        secretAccessKey: "test",
        endpoint: silentUrl,
      },
    }),
    (i) => ({
      destination: {
        type: "amqp",
        url: `amqp://guest:guest@127.0.0.1:${silent.port}`,
        exchange: `silent-${i}`,
      },
    }),
  ];
  return {
    endpoints: (count) => Array.from({ length: count }, (_, i) => makers[i % makers.length]!(i)),
    async close() {
      await Promise.all(receivers.map(({ receiver }) => receiver.close()));
      await silent.close();
    },
  };
}

/**
 * The neighbours in a process of their own (their work must not share the event loop of the
 * Herald or the receiver being measured): `count` endpoint bodies, and how to stop them.
 */
export async function startNeighboursProcess(
  count: number,
): Promise<{ endpoints: Array<Record<string, unknown>>; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", fileURLToPath(new URL("./neighbours-process.ts", import.meta.url))],
    { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, NEIGHBOURS: String(count) } },
  );
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    void exited.then(() => reject(new Error("the neighbours process exited")));
  });
  return {
    endpoints: JSON.parse(line) as Array<Record<string, unknown>>,
    async stop() {
      child.stdin!.end();
      await exited;
    },
  };
}

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The benchmark's receiver: answers 200 at once and records when each sequence number arrived. */
export class BenchReceiver {
  readonly arrivals = new Map<number, number>();
  count = 0;
  duplicates = 0;
  private onArrival: (() => void) | null = null;
  private server: Server | null = null;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
        const key = this.keyOf(req.url ?? "", Buffer.concat(chunks));
        if (key !== null) {
          if (this.arrivals.has(key)) this.duplicates++;
          else this.arrivals.set(key, performance.now());
        }
        this.count++;
        this.onArrival?.();
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** `seq * 1000 + endpoint index`: the sequence number from the body, the index from the path. */
  private keyOf(path: string, body: Buffer): number | null {
    const endpoint = Number(/\/ep\/(\d+)/.exec(path)?.[1] ?? 0);
    try {
      const parsed = JSON.parse(body.toString("utf8")) as { data?: { seq?: number } };
      return parsed.data?.seq !== undefined ? parsed.data.seq * 1000 + endpoint : null;
    } catch {
      return null;
    }
  }

  reset(): void {
    this.arrivals.clear();
    this.count = 0;
    this.duplicates = 0;
  }

  waitForCount(count: number, timeoutMs: number, onProgress?: (n: number) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.onArrival = null;
        reject(new Error(`received ${this.count} of ${count} within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = () => {
        onProgress?.(this.count);
        if (this.count >= count) {
          clearTimeout(timer);
          this.onArrival = null;
          resolve();
        }
      };
      this.onArrival = check;
      check();
    });
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

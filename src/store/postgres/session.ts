// One dedicated PostgreSQL connection kept open for session state (LISTEN, advisory locks),
// re-opened with backoff whenever the server drops it. The pool cannot hold such state: its
// connections change hands between statements.
import pg from "pg";
import { quoteSchema } from "./database.js";

export interface SessionHooks {
  /** A (new) connection is open: set up what the session needs on it. */
  connected(client: pg.Client): Promise<void>;
  /** The connection was lost: everything it held (locks, LISTENs) is gone. */
  lost(error: Error): void;
}

export class Session {
  private client: pg.Client | null = null;
  private closed = false;
  private retryMs = 100;
  private timer: NodeJS.Timeout | null = null;
  private ready: Promise<pg.Client> | null = null;

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly hooks: SessionHooks,
  ) {}

  /** The open connection, waiting for it if it is being re-opened. */
  connection(): Promise<pg.Client> {
    if (this.closed) return Promise.reject(new Error("session closed"));
    this.ready ??= this.open();
    return this.ready;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: "herald-session",
      options: `-c search_path=${quoteSchema(this.schema)}`,
    });
    client.on("error", (error) => this.drop(client, error));
    client.on("end", () => this.drop(client, new Error("connection ended")));
    try {
      await client.connect();
      if (this.closed) throw new Error("session closed");
      await this.hooks.connected(client);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.ready = null;
      this.reconnectLater();
      throw error;
    }
    if (this.closed) {
      // Closed while this connection was being opened: it must not outlive the session.
      await client.end().catch(() => undefined);
      throw new Error("session closed");
    }
    this.client = client;
    this.retryMs = 100;
    return client;
  }

  private drop(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.ready = null;
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.hooks.lost(error);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connection().catch(() => undefined); // a failure schedules the next try
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 5000);
  }
}

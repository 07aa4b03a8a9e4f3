// Signals between Herald processes over PostgreSQL LISTEN/NOTIFY: one channel per schema, each
// message `<origin> <kind> <arg>` so a process ignores its own. Repeats of the same signal
// within a few milliseconds go out once. After the listening connection was lost and re-opened,
// every process wakes its dispatcher and chain module: what was sent meanwhile is not missed
// for long (the idle polls remain the safety net).
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { SignalBus, SignalKind } from "../../core/runtime/signals.js";
import { Session } from "./session.js";

const KINDS = new Set<SignalKind>(["deliveries", "chain-jobs", "action"]);

function signalChannel(schema: string): string {
  return `herald_signals_${schema}`.slice(0, 63);
}

/**
 * How many Herald processes run on the schema: each listens on its channel on a session of
 * its own, whose last statement is that LISTEN. (Sessions of another database role show no
 * statement unless this role may read all statistics: then they are not counted.)
 */
export async function countRunningProcesses(pool: pg.Pool, schema: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM pg_stat_activity
     WHERE datname = current_database() AND application_name = 'herald-session' AND query = $1`,
    [`LISTEN "${signalChannel(schema)}"`],
  );
  return Number(rows[0]!.n);
}
const COALESCE_MS = 5;

export class PostgresSignalBus implements SignalBus {
  private readonly origin = randomBytes(6).toString("hex");
  private readonly channel: string;
  private readonly listeners = new Set<(kind: SignalKind, arg: string) => void>();
  private readonly pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly session: Session;

  constructor(
    private readonly pool: pg.Pool,
    url: string,
    schema: string,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.channel = signalChannel(schema);
    let reconnect = false;
    this.session = new Session(url, schema, {
      connected: async (client) => {
        client.on("notification", (message) => this.receive(message.payload ?? ""));
        await client.query(`LISTEN "${this.channel}"`);
        if (reconnect) {
          this.deliver("deliveries", "");
          this.deliver("chain-jobs", "");
        }
        reconnect = true;
      },
      lost: (error) => this.onError(error),
    });
  }

  /** Opens the listening connection. */
  async start(): Promise<void> {
    await this.session.connection();
  }

  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.flush();
    await this.session.close();
  }

  send(kind: SignalKind, arg: string): void {
    this.pending.add(`${kind} ${arg}`);
    this.flushTimer ??= setTimeout(() => void this.flush(), COALESCE_MS);
  }

  onSignal(listener: (kind: SignalKind, arg: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async flush(): Promise<void> {
    this.flushTimer = null;
    const messages = [...this.pending];
    this.pending.clear();
    if (messages.length === 0) return;
    // One round trip for all of them (NOTIFY payloads are at most 8000 bytes each).
    await this.pool
      .query("SELECT pg_notify($1, m) FROM unnest($2::text[]) AS m", [
        this.channel,
        messages.map((m) => `${this.origin} ${m}`),
      ])
      .catch((error: unknown) => this.onError(error));
  }

  private receive(payload: string): void {
    const [origin, kind, ...rest] = payload.split(" ");
    if (origin === this.origin || !KINDS.has(kind as SignalKind)) return;
    this.deliver(kind as SignalKind, rest.join(" "));
  }

  private deliver(kind: SignalKind, arg: string): void {
    for (const listener of this.listeners) listener(kind, arg);
  }
}

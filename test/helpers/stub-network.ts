// Network stand-ins for SSRF tests: DNS answered by the test (never real DNS, never the hosts
// file) and a record of every connection attempt sockets make, to prove what was connected to.
// Both last until the end of the test that installs them (node:test's per-test mocks).
import dns from "node:dns";
import net, { createServer } from "node:net";
import type { TestContext } from "node:test";

type LookupCallback = (error: Error | null, address?: unknown, family?: number) => void;

/**
 * Answers dns.lookup (which net and Herald's guard call) with `answer(name)`; null or an empty
 * list is ENOTFOUND. Returns the names asked, in order: the hosts sockets really dial.
 */
export function stubDns(t: TestContext, answer: (host: string) => string[] | null): string[] {
  const asked: string[] = [];
  t.mock.method(dns, "lookup", (hostname: string, options: unknown, callback?: LookupCallback) => {
    const done = (typeof options === "function" ? options : callback) as LookupCallback;
    const opts = typeof options === "object" && options !== null ? options : {};
    const { all = false, family = typeof options === "number" ? options : 0 } = opts as {
      all?: boolean;
      family?: number;
    };
    asked.push(hostname);
    const found = (answer(hostname) ?? [])
      .map((address) => ({ address, family: net.isIP(address) }))
      .filter((entry) => !family || entry.family === family);
    process.nextTick(() => {
      if (found.length === 0) {
        const error = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        return done(Object.assign(error, { code: "ENOTFOUND", hostname }));
      }
      if (all) return done(null, found);
      done(null, found[0]!.address, found[0]!.family);
    });
  });
  return asked;
}

/** Every connection attempt ("address:port") any socket makes, recorded before it is made. */
export function recordConnections(t: TestContext): string[] {
  const attempts: string[] = [];
  const connect = net.Socket.prototype.connect;
  t.mock.method(net.Socket.prototype, "connect", function (this: net.Socket, ...args: unknown[]) {
    this.on("connectionAttempt", (ip: string, port: number) => attempts.push(`${ip}:${port}`));
    return Reflect.apply(connect, this, args) as net.Socket;
  });
  return attempts;
}

/**
 * A listener on 127.0.0.1:`port` counting the connections it accepts, or null where that port
 * cannot be had (443 needs privileges); the connection record is the proof then.
 */
export async function listenIfPossible(
  port: number,
): Promise<{ accepted(): number; close(): Promise<void> } | null> {
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    socket.destroy();
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => resolve(true));
  });
  if (!listening) return null;
  return {
    accepted: () => accepted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// What the AWS SDK reads from the environment to pick its endpoint.
const AWS_SDK_ENV = [
  "AWS_USE_FIPS_ENDPOINT",
  "AWS_USE_DUALSTACK_ENDPOINT",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_SQS",
];

/** The AWS SDK's endpoint settings for the test, FIPS and dual-stack off unless asked for. */
export function awsSdkEnvironment(
  t: TestContext,
  settings: { fips?: boolean; dualStack?: boolean },
) {
  const saved = AWS_SDK_ENV.map((name) => [name, process.env[name]] as const);
  for (const name of AWS_SDK_ENV) delete process.env[name];
  process.env.AWS_USE_FIPS_ENDPOINT = String(settings.fips ?? false);
  process.env.AWS_USE_DUALSTACK_ENDPOINT = String(settings.dualStack ?? false);
  t.after(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
}

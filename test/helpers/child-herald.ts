import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { request } from "undici";

// Herald as a separate process, run from its build the way `npm start` runs it:
// `node dist/cli/main.js <args>`. For tests that need a real process: kill -9, signals,
// exit codes, what the CLI prints. The build is a no-op when dist/ is newer than src/
// (scripts/test.mjs builds before any test starts, so test files never build at once).

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = "dist/cli/main.js";
execFileSync(process.execPath, ["scripts/build-herald.mjs", "--quiet"], {
  cwd: ROOT,
  stdio: "inherit",
});

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HeraldProcess {
  process: ChildProcess;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved as they arrived, for diagnostics. */
  output(): string;
  /** Sends `signal` (default SIGTERM) unless the process has already exited; resolves on exit. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
}

export interface ChildHerald extends HeraldProcess {
  url: string;
  port: number;
  dataDir: string;
}

const running = new Set<ChildProcess>();
// A test that fails half-way must not leave a Herald behind holding a port and a data dir.
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** An environment without the parent's Herald settings (the test runner sets some), plus `env`. */
export function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith("HERALD_") || name === "PORT" || name === "HOST") continue;
    base[name] = value;
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete base[name];
    else base[name] = value;
  }
  return base;
}

/** Spawns `herald <args>` from source with exactly `env` (over a clean base environment). */
export function spawnHerald(
  args: string[],
  env: Record<string, string | undefined> = {},
): HeraldProcess {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stdout = "";
  let stderr = "";
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    output += chunk;
  });
  // "close" (not "exit") so that everything the process wrote has been read.
  const exited = new Promise<Exit>((resolve) => {
    child.on("close", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
    child.on("error", (error) => {
      running.delete(child);
      output += `\n[spawn error] ${error.message}\n`;
      resolve({ code: null, signal: null });
    });
  });
  return {
    process: child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    kill(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs a command that is expected to exit by itself; SIGKILLs it after `timeoutMs`. */
export async function runHerald(
  args: string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 120_000,
): Promise<CliResult> {
  const child = spawnHerald(args, env);
  const timer = setTimeout(() => void child.kill("SIGKILL"), timeoutMs);
  const exit = await child.exited;
  clearTimeout(timer);
  return { ...exit, stdout: child.stdout(), stderr: child.stderr() };
}

/** A port that was free a moment ago: listen on 0, read it, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await request(`${url}/health`, { headersTimeout: 2000, bodyTimeout: 2000 });
    await response.body.dump();
    return response.statusCode === 200;
  } catch {
    return false;
  }
}

export interface ChildHeraldOptions {
  dataDir: string;
  env?: Record<string, string | undefined>;
  /** Extra arguments after `start`. */
  args?: string[];
  /** How long to wait for GET /health to answer 200. */
  startTimeoutMs?: number;
}

/**
 * Starts `herald start` on a free port and resolves once GET /health answers 200. Log level
 * defaults to warn. If another process takes the port between picking and binding, it tries
 * again on another port. Throws with the child's output if it exits or does not become healthy.
 */
export async function startChildHerald(options: ChildHeraldOptions): Promise<ChildHerald> {
  // Generous: a busy CI machine can take long to start a process; this only guards a hang.
  const { dataDir, env = {}, args = [], startTimeoutMs = 120_000 } = options;
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnHerald(["start", ...args], {
      HERALD_LOG_LEVEL: "warn",
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      HERALD_DATA_DIR: dataDir,
    });
    const hasExited = () => child.process.exitCode !== null || child.process.signalCode !== null;
    const deadline = Date.now() + startTimeoutMs;
    while (!hasExited() && Date.now() < deadline) {
      if (await healthy(url)) return { ...child, url, port, dataDir };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const exit = hasExited() ? await child.exited : null;
    if (!exit) await child.kill("SIGKILL");
    if (exit && /EADDRINUSE/.test(child.output()) && tries < 3) continue;
    const how = exit
      ? `exited (${JSON.stringify(exit)})`
      : `not healthy after ${startTimeoutMs} ms`;
    throw new Error(`herald start ${how}; its output:\n${child.output()}`);
  }
}

/** Prints a child's output when `run` fails, then fails the same way. */
export async function printingOutputOnFailure<T>(
  children: () => Array<HeraldProcess | null | undefined>,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    for (const child of children()) {
      if (!child) continue;
      console.error(`--- output of herald (pid ${child.process.pid}) ---\n${child.output()}`);
    }
    throw error;
  }
}

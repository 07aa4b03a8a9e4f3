import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { request } from "undici";

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ChildHerald {
  url: string;
  process: ChildProcess;
  /** SIGTERM (Herald finishes what it has in flight), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildOptions {
  /**
   * With HERALD_BENCH_PROFILE set, the CPU profile goes to this subdirectory of it (several
   * processes of one configuration are told apart this way); unset: the directory itself.
   */
  profileName?: string;
  /** Hears of the process as soon as it is spawned, before it answers (to stop it if need be). */
  onSpawn?: (child: ChildHerald) => void;
}

/** Herald in its own process, as users run it, from the TypeScript sources. */
export async function startChildHerald(
  env: Record<string, string>,
  options: ChildOptions = {},
): Promise<ChildHerald> {
  const port = await freePort();
  const root = new URL("..", import.meta.url).pathname;
  const profileRoot = process.env.HERALD_BENCH_PROFILE;
  const profileDir =
    profileRoot && options.profileName ? join(profileRoot, options.profileName) : profileRoot;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const profile = profileDir ? [`--cpu-prof`, `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...profile, "--import", "tsx", "src/cli/main.ts", "start"],
    {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (graceMs = 30_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const handle: ChildHerald = { url, process: child, stop };
  options.onSpawn?.(handle);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Herald exited (${child.signalCode ?? child.exitCode}) before it was up`);
    }
    if (Date.now() > deadline) {
      await stop(1000);
      throw new Error(`Herald did not answer GET /health within 30 s`);
    }
    try {
      const res = await request(`${url}/health`);
      await res.body.dump();
      if (res.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return handle;
}

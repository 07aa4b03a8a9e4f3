import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
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
  stop(): Promise<void>;
}

/** Herald in its own process, as users run it, from the TypeScript sources. */
export async function startChildHerald(env: Record<string, string>): Promise<ChildHerald> {
  const port = await freePort();
  const root = new URL("..", import.meta.url).pathname;
  const profile = process.env.HERALD_BENCH_PROFILE
    ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.HERALD_BENCH_PROFILE}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, "--import", "tsx", "src/cli/main.ts", "start"],
    {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const res = await request(`${url}/health`);
      await res.body.dump();
      if (res.statusCode === 200) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

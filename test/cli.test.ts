import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  freePort,
  printingOutputOnFailure,
  runHerald,
  spawnHerald,
  startChildHerald,
  type ChildHerald,
} from "./helpers/child-herald.js";
import { sdkClient } from "./helpers/original.js";
import { apiClient, eventually } from "./helpers/herald.js";

// The herald command as an operator runs it: separate processes, exit codes, what it prints.

const API_KEY = "hk_cli_test_key_0123456789";
const dataDirs: string[] = [];
function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "herald-cli-"));
  dataDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `body` with the children it starts, printing their output if it fails, killing them after. */
async function withChildren(body: (started: ChildHerald[]) => Promise<void>): Promise<void> {
  const started: ChildHerald[] = [];
  try {
    await printingOutputOnFailure(
      () => started,
      () => body(started),
    );
  } finally {
    for (const child of started) await child.kill("SIGKILL");
  }
}

const lines = (text: string) => text.split("\n").filter((line) => line.trim() !== "");

// Each test starts up to six processes; tsx makes each start cost about a second of CPU.
describe("herald CLI", { concurrency: 3, timeout: 600_000 }, () => {
  const invalid: [setting: string, env: Record<string, string>, args: string[]][] = [
    ["HERALD_RETRY_SCHEDULE", { HERALD_RETRY_SCHEDULE: "abc" }, []],
    ["PORT", { PORT: "99999" }, []],
    ["HERALD_DELIVERY_TIMEOUT_MS", { HERALD_DELIVERY_TIMEOUT_MS: "0" }, []],
    ["HERALD_ALLOW_PRIVATE_NETWORKS", { HERALD_ALLOW_PRIVATE_NETWORKS: "10.0.0.0/33" }, []],
    ["HERALD_MASTER_KEY", { HERALD_MASTER_KEY: "short" }, []],
    ["--port", {}, ["--port", "abc"]],
  ];
  test("invalid configuration stops start-up with one stderr line naming the setting", async () => {
    const port = String(await freePort());
    const results = await Promise.all(
      invalid.map(([, env, args]) =>
        runHerald(["start", ...args], {
          PORT: port,
          HERALD_DATA_DIR: freshDataDir(),
          HERALD_LOG_LEVEL: "warn",
          ...env,
        }),
      ),
    );
    invalid.forEach(([setting], i) => {
      const { code, signal, stderr } = results[i]!;
      assert.equal(signal, null, `${setting}: exits by itself`);
      assert.notEqual(code, 0, `${setting}: exit code`);
      assert.equal(lines(stderr).length, 1, `${setting}: one line, got:\n${stderr}`);
      assert.ok(stderr.includes(setting), `${setting}: named in ${JSON.stringify(stderr)}`);
      assert.doesNotMatch(stderr, /\n\s+at /, `${setting}: no stack trace`);
    });
  });

  test("flags override the environment", async () => {
    const [envPort, flagPort] = [await freePort(), await freePort()];
    const child = spawnHerald(["start", "--port", String(flagPort)], {
      PORT: String(envPort),
      HERALD_DATA_DIR: freshDataDir(),
      HERALD_API_KEY: API_KEY,
      HERALD_LOG_LEVEL: "warn",
    });
    try {
      await printingOutputOnFailure(
        () => [child],
        async () => {
          const health = (port: number) =>
            apiClient(`http://127.0.0.1:${port}`, null)("GET", "//health");
          await eventually(async () => (await health(flagPort)).status === 200, {
            timeoutMs: 120_000,
            intervalMs: 50,
            message: `herald on the --port ${flagPort}`,
          });
          await assert.rejects(health(envPort), /ECONNREFUSED/, "nothing on PORT");
        },
      );
    } finally {
      await child.kill("SIGKILL");
    }
  });

  test("SIGTERM during a delivery lets it finish and records it, then exits 0", async () => {
    // Answers 200 after 500 ms; `arrived` resolves when the first request is in.
    let answered = 0;
    let requests = 0;
    let onArrival: () => void = () => {};
    const arrived = new Promise<void>((resolve) => (onArrival = resolve));
    const slow: Server = createServer((req, res) => {
      requests++;
      req.resume();
      onArrival();
      setTimeout(() => {
        res.writeHead(200).end("ok", () => answered++);
      }, 500);
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
    const dataDir = freshDataDir();
    const env = { HERALD_API_KEY: API_KEY, HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8" };
    try {
      await withChildren(async (started) => {
        const first = await startChildHerald({ dataDir, env });
        started.push(first);
        const api = apiClient(first.url, API_KEY);
        const endpoint = await api("POST", "/webhooks/endpoints", { url: slowUrl });
        assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
        const published = await api("POST", "/events", { type: "cli.sigterm", data: {} });
        assert.equal(published.status, 201, JSON.stringify(published.body));
        await arrived;
        const exit = await first.kill("SIGTERM");
        assert.deepEqual(exit, { code: 0, signal: null });
        assert.equal(answered, 1, "the receiver answered the delivery before Herald exited");

        const second = await startChildHerald({ dataDir, env });
        started.push(second);
        const detail = await apiClient(second.url, API_KEY)("GET", `/events/${published.body.id}`);
        assert.equal(detail.status, 200);
        const [delivery] = detail.body.deliveries;
        assert.equal(delivery.status, "succeeded", JSON.stringify(delivery));
        assert.equal(delivery.attemptCount, 1);
        assert.equal(delivery.attempts.length, 1);
        assert.equal(delivery.attempts[0].statusCode, 200);
        assert.equal(requests, 1, "not delivered again after the restart");
        assert.deepEqual(await second.kill("SIGTERM"), { code: 0, signal: null });
      });
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  test("without HERALD_API_KEY the first start prints a generated key once", async () => {
    const dataDir = freshDataDir();
    await withChildren(async (started) => {
      const first = await startChildHerald({ dataDir });
      started.push(first);
      const keys = first.stdout().match(/hk_[A-Za-z0-9_-]{16,}/g) ?? [];
      assert.equal(keys.length, 1, `one key on stdout, got:\n${first.stdout()}`);
      const res = await apiClient(first.url, keys[0]!)("GET", "/webhooks/endpoints");
      assert.equal(res.status, 200, "the printed key opens the API");
      assert.deepEqual(await first.kill("SIGTERM"), { code: 0, signal: null });

      const second = await startChildHerald({ dataDir });
      started.push(second);
      assert.doesNotMatch(second.stdout(), /hk_/, "no key on the second start");
      assert.deepEqual(await second.kill("SIGTERM"), { code: 0, signal: null });
      assert.doesNotMatch(second.stdout(), /hk_/, "nor when it stops");
    });
  });

  test("a second start on the same data dir fails naming it; SIGTERM when idle exits 0 within 5 s", async () => {
    const dataDir = freshDataDir();
    await withChildren(async (started) => {
      const first = await startChildHerald({ dataDir, env: { HERALD_API_KEY: API_KEY } });
      started.push(first);
      const second = await runHerald(["start"], {
        PORT: String(await freePort()),
        HERALD_DATA_DIR: dataDir,
        HERALD_API_KEY: API_KEY,
        HERALD_LOG_LEVEL: "warn",
      });
      assert.notEqual(second.code, 0);
      assert.equal(lines(second.stderr).length, 1, second.stderr);
      assert.ok(second.stderr.includes(dataDir), `names ${dataDir}: ${second.stderr}`);
      const health = await apiClient(first.url, API_KEY)("GET", "//health");
      assert.equal(health.status, 200, "the first one keeps running");

      const sentAt = Date.now();
      const exit = await first.kill("SIGTERM");
      const tookMs = Date.now() - sentAt;
      assert.deepEqual(exit, { code: 0, signal: null });
      assert.ok(tookMs < 5000, `stopped in ${tookMs} ms`);
    });
  });

  test("migrate applies the schema once, then says it is up to date", async () => {
    const env = { HERALD_DATA_DIR: freshDataDir(), HERALD_LOG_LEVEL: "warn" };
    const first = await runHerald(["migrate"], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /applied migration/i);
    const second = await runHerald(["migrate"], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /up to date/i);
    assert.doesNotMatch(second.stdout, /applied/i);
  });

  test("projects and keys: create, list, revoke, against a running Herald", async () => {
    const dataDir = freshDataDir();
    const cli = async (...args: string[]) => {
      const result = await runHerald(args, { HERALD_DATA_DIR: dataDir, HERALD_LOG_LEVEL: "warn" });
      assert.equal(result.code, 0, `herald ${args.join(" ")}: ${result.stderr}`);
      return result.stdout;
    };
    await withChildren(async (started) => {
      const herald = await startChildHerald({ dataDir, env: { HERALD_API_KEY: API_KEY } });
      started.push(herald);

      const created = await cli("projects", "create", "acme");
      const apiKey = created.match(/hk_[A-Za-z0-9_-]{16,}/)?.[0];
      assert.ok(apiKey, `a key in:\n${created}`);
      const acme = apiClient(herald.url, apiKey);
      assert.equal((await acme("GET", "/webhooks/endpoints")).status, 200);
      // Its Original key pair, printed once, opens /original/v1 (the secret is sealed with the
      // data dir's master key, which the running Herald shares).
      const pair = {
        apiKey: created.match(/Original API key: (\S+)/)?.[1] ?? "",
        apiSecret: created.match(/Original API secret \(shown only this once\): (\S+)/)?.[1] ?? "",
      };
      assert.ok(pair.apiKey && pair.apiSecret, `an Original pair in:\n${created}`);
      const user = await sdkClient(() => herald.url, pair)("POST", "/user", {
        email: "a@acme.test",
      });
      assert.equal(user.status, 201, JSON.stringify(user.body));

      assert.match(await cli("projects", "list"), /\bacme\b/);

      const keys = lines(await cli("keys", "list", "acme"));
      assert.equal(keys.length, 1, keys.join("\n"));
      assert.match(keys[0]!, /active/);
      assert.ok(!keys[0]!.includes(apiKey), "never the whole key");
      const keyId = keys[0]!.split(/\s+/)[0]!;

      assert.match(await cli("keys", "revoke", "acme", keyId), new RegExp(keyId));
      assert.equal((await acme("GET", "/webhooks/endpoints")).status, 401);
      const other = apiClient(herald.url, API_KEY);
      assert.equal((await other("GET", "/webhooks/endpoints")).status, 200, "other keys work");
    });
  });
});

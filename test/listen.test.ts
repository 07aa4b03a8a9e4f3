import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { request } from "undici";
import { freePort, spawnHerald, type HeraldProcess } from "./helpers/child-herald.js";
import {
  apiClient,
  eventually,
  startTestHerald,
  TEST_ADMIN_TOKEN,
  type ApiClient,
  type TestHerald,
} from "./helpers/herald.js";
import { Receiver, type ReceivedRequest } from "./helpers/receiver.js";

// `herald listen` as a developer runs it: a separate process reading a real Herald's event
// stream (GET /events/stream) and forwarding each event to a local receiver, signed.

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "herald-listen-"));
  dirs.push(dir);
  return dir;
};
const children: HeraldProcess[] = [];
const receivers: Receiver[] = [];

let h: TestHerald;
before(async () => {
  h = await startTestHerald();
});
after(async () => {
  for (const child of children) await child.kill("SIGKILL");
  for (const receiver of receivers) await receiver.close();
  await h?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A new project (tenant) of `herald`, and a client with its key. */
async function newProject(herald: { url: string }, name: string) {
  const admin = apiClient(herald.url, null);
  const made = await admin(
    "POST",
    "/admin/projects",
    { name },
    { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  );
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const apiKey = made.body.apiKey as string;
  return { apiKey, api: apiClient(herald.url, apiKey) };
}

async function publish(api: ApiClient, type: string, data: unknown): Promise<string> {
  const res = await api("POST", "/events", { type, data });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as string;
}

/** `count` events published by four concurrent publishers; their ids in id order. */
async function publishMany(api: ApiClient, count: number, type = "listen.test") {
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < count) {
        const n = next++;
        ids.push(await publish(api, type, { n }));
      }
    }),
  );
  return ids.sort();
}

interface Listener {
  child: HeraldProcess;
  secret: string;
}

/** Starts `herald listen` and resolves once it is connected, with the secret it printed. */
async function listen(
  apiKey: string,
  api: string,
  forwardTo: string,
  state: string,
  extra: string[] = [],
): Promise<Listener> {
  const child = spawnHerald(
    ["listen", "--forward-to", forwardTo, "--api", api, "--state", state, ...extra],
    { HERALD_API_KEY: apiKey },
  );
  children.push(child);
  const printed = await eventually(() => /Connected: project/.test(child.stdout()), {
    timeoutMs: 60_000,
    message: "listen to connect",
  }).catch((error: Error) => {
    throw new Error(`${error.message}; its output:\n${child.output()}`);
  });
  assert.ok(printed);
  const secret = /Signing secret: (whsec_\S+)/.exec(child.stdout())?.[1];
  assert.ok(secret, child.stdout());
  return { child, secret };
}

/** The requests the receiver acknowledged (answered 2xx), by webhook-id. */
function acknowledged(receiver: Receiver, answered: Set<ReceivedRequest>): string[] {
  return receiver.requests
    .filter((r) => answered.has(r))
    .map((r) => String(r.headers["webhook-id"]));
}

/** A receiver that records which requests it answered 200. */
async function countingReceiver(fail: (req: ReceivedRequest, index: number) => "hang" | number) {
  const answered = new Set<ReceivedRequest>();
  const receiver = await Receiver.start((req, index) => {
    const verdict = fail(req, index);
    if (verdict === "hang") return "hang";
    if (verdict >= 200 && verdict < 300) answered.add(req);
    return { status: verdict, body: "ok" };
  });
  receivers.push(receiver);
  return { receiver, answered };
}

describe("herald listen", { concurrency: 4, timeout: 180_000 }, () => {
  test("forwards 200 events in order, signed as deliveries; retries a failing receiver in order", async () => {
    const { apiKey, api } = await newProject(h, "listen-order");
    const refused = new Set<string>();
    const { receiver, answered } = await countingReceiver((req, index) => {
      const id = String(req.headers["webhook-id"]);
      // The 6th event is refused once with 503, the 9th twice (requests 9 and 10).
      if ((index === 5 || index === 9 || index === 10) && !refused.has(`${id}/${index}`)) {
        refused.add(`${id}/${index}`);
        return 503;
      }
      return 200;
    });
    const { child, secret } = await listen(
      apiKey,
      h.url,
      `${receiver.url}/hook`,
      join(tempDir(), "state.json"),
    );
    const ids = await publishMany(api, 200);
    await eventually(() => answered.size >= 200, { timeoutMs: 60_000, message: "200 acks" });
    const acks = acknowledged(receiver, answered);
    assert.deepEqual(acks, ids, "each event once, in order");
    // Before an event is acknowledged nothing after it is sent.
    const sent = receiver.requests.map((r) => String(r.headers["webhook-id"]));
    assert.deepEqual([...new Set(sent)], ids, "retries come before the next event");
    assert.equal(sent.length, 203);
    const verifier = new Webhook(secret);
    for (const r of receiver.requests) {
      const verified = verifier.verify(r.body, r.headers as Record<string, string>) as {
        id: string;
        data: unknown;
      };
      assert.equal(verified.id, r.headers["webhook-id"]);
      assert.equal(r.method, "POST");
      assert.equal(r.url, "/hook");
      assert.equal(r.headers["content-type"], "application/json");
      assert.equal(r.headers["x-webhook-correlation-id"], verified.id);
    }
    // The body a real endpoint gets: the stored payload, byte for byte.
    const stored = await api("GET", `/events/${ids[7]}`);
    const seventh = receiver.requests.find((r) => r.headers["webhook-id"] === ids[7])!;
    assert.equal(seventh.body, JSON.stringify(stored.body.payload));
    assert.deepEqual(stored.body.deliveries, [], "listening makes no delivery");
    // Retries carry the next attempt number.
    const ninth = receiver.requests.filter((r) => r.headers["webhook-id"] === ids[8]);
    assert.deepEqual(
      ninth.map((r) => r.headers["x-webhook-attempt"]),
      ["1", "2", "3"],
    );
    const out = child.stdout();
    const lines = out.split("\n").filter((l) => l.includes("listen.test"));
    assert.equal(lines.length, 203, out);
    assert.match(
      lines.find((l) => l.includes(ids[5]!))!,
      /503 \(\d+ ms\).*retrying in/,
    );
    assert.match(lines.at(-1)!, new RegExp(`listen\\.test  ${ids[199]}  200 \\(\\d+ ms\\)$`));
    assert.ok(!out.includes("\u001b["), "no colour when stdout is not a TTY");
    if (process.env.LISTEN_DEBUG) console.log(out.slice(0, 3000), out.slice(-2000));
  });

  test("killed mid-stream and restarted: every event forwarded once, with the same secret", async () => {
    const { apiKey, api } = await newProject(h, "listen-kill");
    let hangAt = 60;
    const { receiver, answered } = await countingReceiver((_req, index) =>
      index === hangAt ? "hang" : 200,
    );
    const state = join(tempDir(), "state.json");
    const first = await listen(apiKey, h.url, receiver.url, state);
    const ids = await publishMany(api, 120);
    await receiver.waitFor(hangAt + 1, 60_000);
    await first.child.kill("SIGKILL");
    hangAt = -1;
    const second = await listen(apiKey, h.url, receiver.url, state);
    assert.equal(second.secret, first.secret, "the secret is kept in the state file");
    ids.push(...(await publishMany(api, 20)));
    await eventually(() => answered.size >= 140, { timeoutMs: 60_000, message: "140 acks" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const acks = acknowledged(receiver, answered);
    assert.equal(acks.length, 140, "none twice");
    assert.deepEqual(acks, ids.sort(), "every event, in order");
  });

  test("the Herald restarted under it: it reconnects by itself and forwards what comes after", async () => {
    const port = await freePort();
    const dataDir = tempDir();
    const env = { PORT: String(port), HERALD_DATA_DIR: dataDir };
    let herald = await startTestHerald(env);
    try {
      const { apiKey, api } = await newProject(herald, "listen-restart");
      const { receiver, answered } = await countingReceiver(() => 200);
      const { child } = await listen(
        apiKey,
        herald.url,
        receiver.url,
        join(tempDir(), "state.json"),
      );
      const before = await publishMany(api, 10);
      await eventually(() => answered.size >= 10, { message: "10 acks" });
      await herald.stop();
      await eventually(() => /Disconnected|stream ended/.test(child.stdout()), {
        message: "listen to notice",
      });
      herald = await startTestHerald(env);
      const later = await publishMany(api, 10);
      await eventually(() => answered.size >= 20, { timeoutMs: 60_000, message: "20 acks" });
      assert.deepEqual(acknowledged(receiver, answered), [...before, ...later]);
    } finally {
      await herald.stop();
    }
  });

  test("--events filters by type and pattern; --since replays from a time", async () => {
    const { apiKey, api } = await newProject(h, "listen-filter");
    const since = new Date(Date.now() - 1000).toISOString();
    const wanted = [
      await publish(api, "nfts.create.succeeded", {}),
      await publish(api, "listen.a", {}),
    ];
    await publish(api, "listen.b", {});
    await publish(api, "collections.create.succeeded", {});
    const { receiver, answered } = await countingReceiver(() => 200);
    const { child } = await listen(apiKey, h.url, receiver.url, join(tempDir(), "state.json"), [
      "--events",
      "nfts.*,listen.a",
      "--since",
      since,
    ]);
    await publish(api, "listen.b", {});
    wanted.push(await publish(api, "nfts.update.succeeded", {}));
    await eventually(() => answered.size >= 3, { message: "3 acks" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(acknowledged(receiver, answered), wanted, child.stdout());
    assert.deepEqual(
      receiver.requests.map((r) => r.headers["x-webhook-event-type"]),
      ["nfts.create.succeeded", "listen.a", "nfts.update.succeeded"],
    );
  });

  test("the stream route: the project key, its own project's events only, bounded input", async () => {
    const a = await newProject(h, "listen-route-a");
    const b = await newProject(h, "listen-route-b");
    const url = `${h.url}/api/2022-06-09/events/stream`;
    const get = async (query: string, headers: Record<string, string> = {}) => {
      const res = await request(`${url}${query}`, { headers });
      const text = await res.body.text();
      return {
        status: res.statusCode,
        body: JSON.parse(text) as { error: boolean; message: string },
      };
    };
    const key = { "x-api-key": a.apiKey };
    const refusals: Array<[string, Record<string, string>, number, RegExp]> = [
      ["", {}, 401, /API key/],
      ["", { "x-api-key": "hk_not_a_key_0123456789" }, 401, /./],
      ["?types=bad%20type", key, 400, /types/],
      [`?types=${Array.from({ length: 51 }, (_, i) => `t${i}`).join(",")}`, key, 400, /types/],
      [`?types=${"a".repeat(2001)}`, key, 400, /types/],
      ["?after=nope", key, 400, /after/],
      ["?since=yesterday", key, 400, /since/],
      ["", { ...key, "last-event-id": "nope" }, 400, /Last-Event-ID/],
    ];
    for (const [query, headers, status, message] of refusals) {
      const res = await get(query, headers);
      assert.equal(res.status, status, `${query} ${JSON.stringify(headers)}`);
      assert.equal(res.body.error, true);
      assert.match(res.body.message, message, `${query}: ${res.body.message}`);
    }

    // Project a's stream from before any event: b's events never appear in it.
    const since = new Date(Date.now() - 1000).toISOString();
    const bEvent = await publish(b.api, "listen.route", { project: "b" });
    const aEvent = await publish(a.api, "listen.route", { project: "a" });
    const abort = new AbortController();
    const res = await request(`${url}?since=${encodeURIComponent(since)}`, {
      headers: key,
      signal: abort.signal,
    });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^text\/event-stream/);
    let text = "";
    for await (const chunk of res.body) {
      text += String(chunk);
      if (text.includes(`id: ${aEvent}\n`)) break;
    }
    abort.abort();
    assert.ok(text.startsWith("event: project\n"), text);
    assert.ok(!text.includes(bEvent), "another project's event never appears");
    const message = /id: (\S+)\ndata: (.*)\n\n/.exec(text)!;
    assert.equal(message[1], aEvent);
    assert.deepEqual(JSON.parse(message[2]!).payload.data, { project: "a" });
  });
});

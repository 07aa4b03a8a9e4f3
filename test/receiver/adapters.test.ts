// Each adapter of @herald/receiver in its real framework (node:http, Express 5, Fastify 5,
// Hono 4, a Next.js-style route handler), over real HTTP: a genuine webhook is handled once and
// answered 200, a duplicate 200 without running the handler, a forged or stale one 400
// `{error, message}`, and a handler failure 500 so that the retry runs it.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import { connect } from "node:net";
import { test } from "node:test";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import {
  expressWebhooks,
  fastifyWebhooks,
  fetchHandler,
  generateKeyPair,
  generateSecret,
  nodeHandler,
  type ReceivedWebhook,
  signHeaders,
  type ReceiverOptions,
} from "../../packages/receiver/src/index.js";
import { fetchServer, listen, nowSeconds, post, signedWebhook } from "./helpers.js";

type Started = { url: string; close: () => Promise<void> };
type Payload = { type: string; data: { failOnce?: boolean } };

const ADAPTERS: Record<string, (options: ReceiverOptions<Payload>) => Promise<Started>> = {
  "node:http": async (options) => {
    const server = await listen(createServer(nodeHandler(options)));
    return { ...server, url: `${server.url}/webhooks` };
  },
  "Express, no body parser": async (options) => {
    const app = express();
    app.post("/other", express.json(), (req, res) => void res.json(req.body));
    app.post("/webhooks", expressWebhooks(options));
    const server = await listen(createServer(app));
    return { ...server, url: `${server.url}/webhooks` };
  },
  "Express, express.raw": async (options) => {
    const app = express();
    app.post("/webhooks", express.raw({ type: "*/*" }), expressWebhooks(options));
    const server = await listen(createServer(app));
    return { ...server, url: `${server.url}/webhooks` };
  },
  Fastify: async (options) => {
    const app = Fastify();
    // The app's own JSON routes keep Fastify's JSON parser.
    app.post("/other", async (request) => ({ parsed: request.body }));
    await app.register(fastifyWebhooks(options, { path: "/webhooks" }));
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const other = await post(`${address}/other`, '{"a":1}', {});
    assert.deepEqual(other.json, { parsed: { a: 1 } });
    return { url: `${address}/webhooks`, close: () => app.close() };
  },
  Hono: async (options) => {
    const app = new Hono();
    const handler = fetchHandler(options);
    app.post("/webhooks", (c) => handler(c.req.raw));
    const server = await listen(fetchServer(app.fetch));
    return { ...server, url: `${server.url}/webhooks` };
  },
  "Next.js route handler": async (options) => {
    // app/webhooks/route.ts: `export const POST = fetchHandler({...})`.
    const POST = fetchHandler(options);
    const server = await listen(fetchServer((request) => POST(request)));
    return { ...server, url: `${server.url}/webhooks` };
  },
};

for (const [name, start] of Object.entries(ADAPTERS)) {
  test(`${name}: handled once, duplicates acknowledged, forgeries 400, failures 500 then retried`, async () => {
    const secret = generateSecret();
    const { secretKey, publicKey } = generateKeyPair();
    const handled: ReceivedWebhook<Payload>[] = [];
    const attempts = new Map<string, number>();
    const errors: unknown[] = [];
    const server = await start({
      secret,
      publicKey,
      handler: (webhook) => {
        const n = (attempts.get(webhook.id) ?? 0) + 1;
        attempts.set(webhook.id, n);
        if (webhook.payload.data.failOnce && n === 1) throw new Error("database down");
        handled.push(webhook);
      },
      onError: (error) => errors.push(error),
    });
    try {
      const first = signedWebhook(secret, { data: { n: 1 } });
      assert.deepEqual(await post(server.url, first.body, first.headers), {
        status: 200,
        json: { received: true },
      });
      assert.equal(handled.length, 1);
      assert.equal(handled[0]!.id, first.id);
      assert.equal(handled[0]!.type, "nfts.create.succeeded");
      assert.equal(handled[0]!.rawBody, first.body);
      assert.equal(handled[0]!.scheme, "v1");

      // The same webhook again: acknowledged, not run again.
      assert.deepEqual(await post(server.url, first.body, first.headers), {
        status: 200,
        json: { received: true, duplicate: true },
      });
      assert.equal(handled.length, 1);

      // svix-* header names and an ed25519 (v1a) signature.
      const ed = signedWebhook(secretKey);
      const svixHeaders = Object.fromEntries(
        Object.entries(ed.headers).map(([k, v]) => [k.replace("webhook-", "svix-"), v]),
      );
      assert.equal((await post(server.url, ed.body, svixHeaders)).status, 200);
      assert.equal(handled.at(-1)!.scheme, "v1a");

      const refusals: Array<[string, string, Record<string, string>, string]> = [];
      const tampered = signedWebhook(secret);
      refusals.push([
        "tampered body",
        tampered.body.replace("succeeded", "failed"),
        tampered.headers,
        "no_matching_signature",
      ]);
      const old = signedWebhook(secret, { timestamp: nowSeconds() - 600 });
      refusals.push(["old timestamp", old.body, old.headers, "timestamp_too_old"]);
      const wrong = signedWebhook(generateSecret());
      refusals.push(["wrong key", wrong.body, wrong.headers, "no_matching_signature"]);
      const wrongEd = signedWebhook(generateKeyPair().secretKey);
      refusals.push(["wrong ed25519 key", wrongEd.body, wrongEd.headers, "no_matching_signature"]);
      const { "webhook-signature": _, ...unsigned } = signedWebhook(secret).headers;
      refusals.push(["missing headers", tampered.body, unsigned, "missing_headers"]);
      for (const [what, body, headers, reason] of refusals) {
        const answer = await post(server.url, body, headers);
        assert.equal(answer.status, 400, what);
        assert.equal(answer.json.error, reason, what);
        assert.equal(typeof answer.json.message, "string", what);
      }
      assert.equal(handled.length, 2, "nothing refused reached the handler");

      // A handler failure: 500, the claim released, the retry runs it.
      const flaky = signedWebhook(secret, { data: { failOnce: true } });
      const failed = await post(server.url, flaky.body, flaky.headers);
      assert.equal(failed.status, 500);
      assert.equal(failed.json.error, "handler_failed");
      assert.doesNotMatch(JSON.stringify(failed.json), /database down/, "no internals leak");
      assert.equal(errors.length, 1);
      assert.deepEqual(await post(server.url, flaky.body, flaky.headers), {
        status: 200,
        json: { received: true },
      });
      assert.equal(attempts.get(flaky.id), 2);
      assert.equal(handled.length, 3);
    } finally {
      await server.close();
    }
  });
}

test("Express: a body already parsed by express.json() is an error, never a verification", async () => {
  const secret = generateSecret();
  let calls = 0;
  const app = express();
  app.use(express.json());
  app.post("/webhooks", expressWebhooks({ secret, handler: () => void calls++ }));
  const errors: unknown[] = [];
  app.use(
    (error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.status(500).json({ error: "misconfigured", message: error.message });
    },
  );
  const server = await listen(createServer(app));
  try {
    const webhook = signedWebhook(secret);
    const answer = await post(`${server.url}/webhooks`, webhook.body, webhook.headers);
    assert.equal(answer.status, 500);
    assert.match(answer.json.message, /express\.raw/);
    assert.equal(calls, 0);
  } finally {
    await server.close();
  }
});

test("Express, no body parser: a request whose body came in the same packet as its headers", async () => {
  // The parser may have the whole message before the middleware runs: the body is unread all
  // the same (only a consumed stream means another parser took it).
  const secret = generateSecret();
  let calls = 0;
  const app = express();
  app.post("/webhooks", expressWebhooks({ secret, handler: () => void calls++ }));
  const server = await listen(createServer(app));
  try {
    const webhook = signedWebhook(secret);
    const { port } = new URL(server.url);
    const head = [
      "POST /webhooks HTTP/1.1",
      `host: 127.0.0.1:${port}`,
      "content-type: application/json",
      `content-length: ${Buffer.byteLength(webhook.body)}`,
      "connection: close",
      ...Object.entries(webhook.headers).map(([k, v]) => `${k}: ${v}`),
    ].join("\r\n");
    const socket = connect(Number(port), "127.0.0.1");
    await once(socket, "connect");
    socket.end(`${head}\r\n\r\n${webhook.body}`);
    let answer = "";
    for await (const chunk of socket) answer += String(chunk);
    assert.match(answer, /^HTTP\/1\.1 200/);
    assert.equal(calls, 1);
  } finally {
    await server.close();
  }
});

test("fetch: 413 for a body over maxBodyBytes sent without content-length", async () => {
  const secret = generateSecret();
  let calls = 0;
  const handler = fetchHandler({ secret, maxBodyBytes: 1000, handler: () => void calls++ });
  const big = signedWebhook(secret, { data: { pad: "x".repeat(5000) } });
  const stream = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 10; i++)
        controller.enqueue(Buffer.from(big.body.slice(i * 600, (i + 1) * 600)));
      controller.close();
    },
  });
  const request = new Request("http://localhost/webhooks", {
    method: "POST",
    headers: big.headers,
    body: stream,
    duplex: "half",
  } as RequestInit);
  const answer = await handler(request);
  assert.equal(answer.status, 413);
  assert.equal(calls, 0);
});

test("node:http: 405 for other methods, 413 over maxBodyBytes, 400 for a signed non-JSON body", async () => {
  const secret = generateSecret();
  let calls = 0;
  const server = await listen(
    createServer(nodeHandler({ secret, maxBodyBytes: 1000, handler: () => void calls++ })),
  );
  try {
    assert.equal((await fetch(server.url)).status, 405);
    const big = signedWebhook(secret, { data: { pad: "x".repeat(2000) } });
    const tooLarge = await post(server.url, big.body, big.headers);
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.json.error, "body_too_large");
    const id = "msg_text";
    const ts = nowSeconds();
    const text = await post(server.url, "not json", signHeaders(secret, id, ts, "not json"));
    assert.equal(text.status, 400);
    assert.equal(text.json.error, "invalid_json");
    assert.equal(calls, 0);
  } finally {
    await server.close();
  }
});

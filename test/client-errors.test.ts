// Requests refused before any route runs get the API's error shape and `Connection: close`,
// so a keep-alive client's next request goes on a new connection and succeeds.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { Agent, request } from "undici";
import { startTestHerald, type TestHerald } from "./helpers/herald.js";

let h: TestHerald;
before(async () => {
  h = await startTestHerald();
});
after(async () => {
  await h.stop();
});

/** Sends raw bytes and reads everything the server answers until it closes. */
function raw(text: string): Promise<string> {
  const { hostname, port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(text));
    let answer = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (answer += chunk));
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}

test("headers over 16 KB: 431 in the API's error shape, and Connection: close", async () => {
  const answer = await raw(
    `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
  );
  const [head, body] = answer.split("\r\n\r\n");
  assert.match(head!, /^HTTP\/1\.1 431 Request Header Fields Too Large/);
  assert.match(head!, /\r\nconnection: close/i);
  assert.match(head!, /\r\ncontent-type: application\/json/i);
  const parsed = JSON.parse(body!);
  assert.equal(parsed.error, true);
  assert.match(parsed.message, /16 KB/);
});

test("a malformed request: 400 in the API's error shape", async () => {
  const answer = await raw("NOT HTTP AT ALL\r\n\r\n");
  assert.match(answer, /^HTTP\/1\.1 400 Bad Request/);
  assert.deepEqual(Object.keys(JSON.parse(answer.split("\r\n\r\n")[1]!)), ["error", "message"]);
});

test("a keep-alive client's next request after a 431 succeeds", async () => {
  const agent = new Agent({ connections: 1, pipelining: 1 });
  try {
    const first = await request(`${h.url}/health`, {
      dispatcher: agent,
      headers: { "x-big": "a".repeat(20_000) },
    });
    assert.equal(first.statusCode, 431);
    assert.equal(((await first.body.json()) as { error: unknown }).error, true);
    const second = await request(`${h.url}/health`, { dispatcher: agent });
    assert.equal(second.statusCode, 200);
    await second.body.dump();
  } finally {
    await agent.close();
  }
});

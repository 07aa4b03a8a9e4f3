import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { LookupAddress } from "node:dns";
import { Agent, request } from "undici";
import { parseAllowList } from "../src/core/policy/ssrf-policy.js";
import { checkUrlTarget, createGuardedLookup } from "../src/destinations/guarded-lookup.js";

// localhost may resolve to ::1 as well as 127.0.0.1, and any blocked answer refuses the name.
const LOOPBACK = parseAllowList("127.0.0.0/8,::1/128");

const server = createServer((_req, res) => res.end("ok"));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.address() as AddressInfo).port;
const agents: Agent[] = [];
after(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  await new Promise((resolve) => server.close(resolve));
});

function guardedAgent(allowText: string): Agent {
  const agent = new Agent({ connect: { lookup: createGuardedLookup(parseAllowList(allowText)) } });
  agents.push(agent);
  return agent;
}

test("undici through the guarded lookup refuses localhost when nothing is allow-listed", async () => {
  await assert.rejects(
    request(`http://localhost:${port}/`, { dispatcher: guardedAgent("") }),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, "ERR_SSRF_BLOCKED");
      assert.match(
        error.message,
        /^localhost resolves to a blocked address \(a loopback address\); add its range to/,
      );
      return true;
    },
  );
});

test("undici through the guarded lookup reaches localhost when loopback is allow-listed", async () => {
  const dispatcher = guardedAgent("127.0.0.0/8,::1/128");
  const response = await request(`http://localhost:${port}/`, { dispatcher });
  assert.equal(response.statusCode, 200);
  assert.equal(await response.body.text(), "ok");
});

test("the lookup answers in both shapes net.connect asks for", async () => {
  const lookup = createGuardedLookup(LOOPBACK);
  const one = await new Promise<[string, number | undefined]>((resolve, reject) =>
    lookup("localhost", { family: 4 }, (error, address, family) =>
      error ? reject(error) : resolve([address as string, family]),
    ),
  );
  assert.deepEqual(one, ["127.0.0.1", 4]);
  const all = await new Promise<LookupAddress[]>((resolve, reject) =>
    lookup("localhost", { family: 4, all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses as LookupAddress[]),
    ),
  );
  assert.deepEqual(all, [{ address: "127.0.0.1", family: 4 }]);
});

test("the lookup passes DNS failures through unchanged", async () => {
  const lookup = createGuardedLookup(LOOPBACK);
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
    lookup("does-not-exist.invalid", {}, (err) => resolve(err)),
  );
  // ENOTFOUND normally; EAI_AGAIN where the sandbox has no resolver.
  assert.match(error?.code ?? "", /^(ENOTFOUND|EAI_AGAIN|EAI_FAIL)$/);
});

const resolverReturning = (addresses: string[]) => {
  const calls: string[] = [];
  const resolve = async (host: string) => {
    calls.push(host);
    return addresses;
  };
  return { calls, resolve };
};

test("checkUrlTarget accepts a host resolving to public addresses", async () => {
  const { calls, resolve } = resolverReturning(["93.184.215.14"]);
  const verdict = await checkUrlTarget("https://example.com/hook", [], resolve);
  assert.equal(verdict.ok, true);
  assert.equal(verdict.ok && verdict.url.href, "https://example.com/hook");
  assert.deepEqual(calls, ["example.com"]);
});

test("checkUrlTarget blocks a host resolving to a private address", async () => {
  const { resolve } = resolverReturning(["93.184.215.14", "10.0.0.7"]);
  const verdict = await checkUrlTarget("https://internal.example/", [], resolve);
  assert.deepEqual(verdict, {
    ok: false,
    reason:
      "internal.example resolves to a blocked address (a private address); add its range to HERALD_ALLOW_PRIVATE_NETWORKS to allow it",
  });
});

test("checkUrlTarget reports a host that does not resolve", async () => {
  const failing = async () => {
    throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
  };
  const verdict = await checkUrlTarget("https://nowhere.example/", [], failing);
  assert.deepEqual(verdict, { ok: false, reason: "could not resolve host nowhere.example" });
});

test("checkUrlTarget checks IP literals without DNS", async () => {
  const { calls, resolve } = resolverReturning(["8.8.8.8"]);
  const blocked = await checkUrlTarget("https://[::ffff:169.254.169.254]/latest", [], resolve);
  assert.equal(blocked.ok, false);
  assert.match(!blocked.ok ? blocked.reason : "", /link-local address \(IPv4-mapped form/);
  const allowed = await checkUrlTarget(`http://127.0.0.1:${port}/x`, LOOPBACK, resolve);
  assert.equal(allowed.ok, true);
  assert.deepEqual(calls, []);
});

test("checkUrlTarget rejects bad shapes and plain http to public hosts", async () => {
  const { resolve } = resolverReturning(["93.184.215.14"]);
  const ftp = await checkUrlTarget("ftp://example.com/", [], resolve);
  assert.match(!ftp.ok ? ftp.reason : "", /must use https:\/\//);
  const http = await checkUrlTarget("http://example.com/", LOOPBACK, resolve);
  assert.deepEqual(http, {
    ok: false,
    reason: "https:// is required (http:// only for hosts in HERALD_ALLOW_PRIVATE_NETWORKS)",
  });
});

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { request } from "undici";
import { Webhook } from "svix";
import { exampleBody } from "../../src/core/webhooks/catalog/catalog.js";
import {
  apiClient,
  eventually,
  startTestHerald,
  TEST_ADMIN_TOKEN,
  type ApiClient,
  type ApiResponse,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver, type ReceivedRequest } from "../helpers/receiver.js";
import { generator } from "../helpers/random.js";
import { ownerQuery, walletBody, walletPath } from "../helpers/wallet-fuzz.js";

// Crossmint's custodial wallet API, as its documentation shows the requests, against a real
// Herald on the embedded chain `local` (and `base-sepolia`, configured with a node that is not
// there: a wallet needs no node). Sources are named above each request.

const ADA = "ada@example.com";
const USER = "Ada@Example.com"; // a user id: the same text as an email, and mixed case
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

let h: TestHerald;
let receiver: Receiver;
let secret = "";
/** The project's API under /api/v1-alpha1 (Crossmint's wallet API version). */
let alpha: ApiClient;
/** A second project's clients. */
let other: { api: ApiClient; alpha: ApiClient };

const alphaClient =
  (api: ApiClient): ApiClient =>
  (method, path, body, headers) =>
    api(method, `//api/v1-alpha1${path}`, body, headers);

before(async () => {
  h = await startTestHerald({
    HERALD_CHAINS: JSON.stringify([{ name: "base-sepolia", rpcUrl: "http://127.0.0.1:9" }]),
  });
  alpha = alphaClient(h.api);
  receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", {
    url: `${receiver.url}/hooks`,
    eventTypes: ["wallets.create.succeeded"],
  });
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  secret = endpoint.body.secret;
  const adminAuth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const admin = apiClient(h.url, null);
  const project = await admin("POST", "//admin/projects", { name: "wallets-b" }, adminAuth);
  assert.equal(project.status, 201, JSON.stringify(project.body));
  const api = apiClient(h.url, project.body.apiKey);
  other = { api, alpha: alphaClient(api) };
});
after(async () => {
  await h?.stop();
  await receiver?.close();
});

/** The verified `wallets.create.succeeded` webhooks for `address`. */
function walletWebhooks(address: string): Array<{ req: ReceivedRequest; body: any }> {
  return receiver.requests
    .filter((req) => req.json?.data?.wallet?.address === address)
    .map((req) => {
      const headers = {
        "svix-id": String(req.headers["svix-id"]),
        "svix-timestamp": String(req.headers["svix-timestamp"]),
        "svix-signature": String(req.headers["svix-signature"]),
      };
      return { req, body: new Webhook(secret).verify(req.body, headers) as any };
    });
}

/** GET a webhook's `resource` as a client would: the URL as given, the project's key. */
async function getResource(url: string): Promise<ApiResponse> {
  const res = await request(url, { headers: { "x-api-key": h.apiKey } });
  return { status: res.statusCode, headers: res.headers, body: await res.body.json() };
}

/** Mints into default-local and waits for the mint's action (GET /actions/{id}?wait=30). */
async function mint(recipient: string, metadata: unknown) {
  // Source: https://docs.crossmint.com/reference/mint-nft (POST /2022-06-09/collections/{collectionId}/nfts)
  const res = await h.api("POST", "/collections/default-local/nfts", { recipient, metadata });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  for (;;) {
    // Source: https://docs.crossmint.com/api-reference/common/get-action-status.md
    const action = await h.api("GET", `/actions/${res.body.actionId}?wait=30`);
    assert.equal(action.status, 200, JSON.stringify(action.body));
    if (action.body.status === "pending") continue;
    assert.equal(action.body.status, "succeeded", JSON.stringify(action.body));
    const nft = await h.api("GET", `/collections/default-local/nfts/${res.body.id}`);
    return { id: res.body.id as string, onChain: nft.body.onChain };
  }
}

const walletNfts = (identifier: string, query = "?page=1&perPage=20", api = h.api) =>
  api("GET", `/wallets/${identifier}/nfts${query}`);

describe("create a wallet (POST /api/v1-alpha1/wallets)", () => {
  test("for an email: 201, then 200 with the same publicKey; one verified webhook whose resource answers 200", async () => {
    // Source: https://docs.crossmint.com/docs/integration-guide-wallets (the guide's request:
    // body {email, chain}; 201 {publicKey, chain}); the spec's 200 is "Wallet already exists".
    const created = await alpha("POST", "/wallets", { email: ADA, chain: "local" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(Object.keys(created.body).sort(), ["chain", "publicKey"]);
    assert.equal(created.body.chain, "local");
    assert.match(created.body.publicKey, ADDRESS);
    const again = await alpha("POST", "/wallets", { email: "Ada@EXAMPLE.com", chain: "local" });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(again.body, created.body);

    const address = created.body.publicKey;
    await eventually(() => walletWebhooks(address).length > 0, { message: "the webhook" });
    const [webhook, ...more] = walletWebhooks(address);
    assert.equal(more.length, 0, "announced once");
    assert.equal(webhook!.body.type, "wallets.create.succeeded");
    const example = exampleBody("wallets.create.succeeded")!;
    assert.deepEqual(
      Object.keys(webhook!.body).sort(),
      Object.keys(example).sort(),
      "the catalog's fields",
    );
    assert.deepEqual(webhook!.body.data, { chain: "local", wallet: { address, email: ADA } });
    const resource = await getResource(webhook!.body.resource);
    assert.equal(
      resource.status,
      200,
      `${webhook!.body.resource}: ${JSON.stringify(resource.body)}`,
    );
    assert.deepEqual(resource.body, { chain: "local", publicKey: address, email: ADA });
    const events = await h.api("GET", "/events?type=wallets.create.succeeded&limit=250");
    const mine = events.body.data.filter((e: any) => e.payload.data.wallet.address === address);
    assert.equal(mine.length, 1, "one event for the wallet, however often it is created");
  });

  test("for a user id: its own wallet (not the email's of the same text), the id's case kept", async () => {
    // Source: Crossmint/autogen-sdk-ts .mock/definition/wallet.yml create-wallet: the body
    // {userId, chain} ("Provide an arbitrary ID for this wallet to be associated to").
    const user = await alpha("POST", "/wallets", { userId: USER, chain: "local" });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const lower = await alpha("POST", "/wallets", { userId: ADA, chain: "local" });
    assert.equal(lower.status, 201, JSON.stringify(lower.body));
    const email = await alpha("POST", "/wallets", { email: ADA, chain: "local" });
    const keys = new Set([user.body.publicKey, lower.body.publicKey, email.body.publicKey]);
    assert.equal(keys.size, 3, "three owners, three wallets");
    const again = await alpha("POST", "/wallets", { userId: USER, chain: "local" });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, user.body);

    await eventually(() => walletWebhooks(user.body.publicKey).length > 0);
    const [webhook] = walletWebhooks(user.body.publicKey);
    assert.deepEqual(webhook!.body.data.wallet, { address: user.body.publicKey, userId: USER });
    const resource = await getResource(webhook!.body.resource);
    assert.equal(resource.status, 200);
    assert.deepEqual(resource.body, {
      chain: "local",
      publicKey: user.body.publicKey,
      userId: USER,
    });
  });
});

describe("get wallets for a user (GET /api/v1-alpha1/wallets)", () => {
  test("by email and by userId: every chain the owner has a wallet on; [] for none", async () => {
    // Source: https://docs.crossmint.com/api-reference/wallets/get-wallets-for-user
    // ("You should only pass userId or email in the query").
    const onLocal = await alpha("POST", "/wallets", { email: ADA, chain: "local" });
    const onBase = await alpha("POST", "/wallets", { email: ADA, chain: "base-sepolia" });
    assert.ok([200, 201].includes(onBase.status), JSON.stringify(onBase.body));
    const byEmail = await alpha("GET", `/wallets?email=${encodeURIComponent(ADA)}`);
    assert.equal(byEmail.status, 200, JSON.stringify(byEmail.body));
    assert.deepEqual(byEmail.body, [onBase.body, onLocal.body]);

    const user = await alpha("POST", "/wallets", { userId: USER, chain: "local" });
    const byUser = await alpha("GET", `/wallets?userId=${encodeURIComponent(USER)}`);
    assert.deepEqual(byUser.body, [user.body]);
    const none = await alpha("GET", `/wallets?userId=${encodeURIComponent("user nobody")}`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, []);
    const otherCase = await alpha(
      "GET",
      `/wallets?userId=${encodeURIComponent(USER.toUpperCase())}`,
    );
    assert.deepEqual(otherCase.body, [], "a user id is matched as given");
  });
});

describe("NFTs in a wallet (GET /api/2022-06-09/wallets/{identifier}/nfts)", () => {
  test("a mint to email:…:local is listed under every identifier of the wallet", async () => {
    const wallet = await alpha("POST", "/wallets", { email: ADA, chain: "local" });
    const address = wallet.body.publicKey as string;
    const minted = await mint(`email:${ADA}:local`, { name: "Ada's", description: "for Ada" });
    assert.equal(minted.onChain.owner, address);
    const token = {
      chain: "local",
      contractAddress: minted.onChain.contractAddress,
      tokenId: minted.onChain.tokenId,
      metadata: { name: "Ada's", description: "for Ada" },
      locator: `local:${minted.onChain.contractAddress}:${minted.onChain.tokenId}`,
      tokenStandard: "erc-721",
    };
    // Source: https://docs.crossmint.com/api-reference/wallets/get-nfts-from-wallet.md
    // (identifier <chain>:<address>, email:<email_address>:<chain> or userId:<userId>:<chain>).
    for (const identifier of [
      `local:${address}`,
      `local:${address.toLowerCase()}`,
      `email:${ADA}:local`,
      `email:${encodeURIComponent("Ada@Example.COM")}:local`,
    ]) {
      const res = await walletNfts(identifier);
      assert.equal(res.status, 200, `${identifier}: ${JSON.stringify(res.body)}`);
      assert.ok(Array.isArray(res.body), identifier);
      assert.deepEqual(
        res.body.find((n: any) => n.tokenId === token.tokenId),
        token,
        identifier,
      );
    }
  });

  test("userId:…:local: newest first, paged, metadata given as a URL as stored; burned tokens leave", async () => {
    const recipient = `userId:${USER}:local`;
    const first = await mint(recipient, { name: "First" });
    const second = await mint(recipient, "https://example.com/tokens/2.json");
    const third = await mint(recipient, { name: "Third" });
    const identifier = `userId:${encodeURIComponent(USER)}:local`;
    const all = await walletNfts(identifier);
    assert.equal(all.status, 200, JSON.stringify(all.body));
    const ids = (body: any[]) => body.map((n) => n.tokenId);
    const [a, b, c] = [first, second, third].map((m) => m.onChain.tokenId as string);
    assert.deepEqual(ids(all.body), [c, b, a]);
    assert.deepEqual(all.body[1].metadata, { uri: "https://example.com/tokens/2.json" });
    assert.deepEqual(ids((await walletNfts(identifier, "?page=2&perPage=1")).body), [b]);
    assert.deepEqual(ids((await walletNfts(identifier, "?page=4&perPage=1")).body), []);
    assert.deepEqual(ids((await walletNfts(identifier, "")).body), [c, b, a], "defaults");
    const byAddress = await walletNfts(`local:${first.onChain.owner}`);
    assert.deepEqual(byAddress.body, all.body);
    const emailOfSameText = await walletNfts(`email:${USER}:local`);
    assert.ok(!emailOfSameText.body.some((n: any) => [a, b, c].includes(n.tokenId)));

    // Source: https://docs.crossmint.com/api-reference/minting/nfts/burn-nft.md
    const burn = await h.api("DELETE", `/collections/default-local/nfts/${second.id}`);
    assert.equal(burn.status, 200, JSON.stringify(burn.body));
    const done = await h.api("GET", `/actions/${burn.body.actionId}?wait=30`);
    assert.equal(done.body.status, "succeeded", JSON.stringify(done.body));
    assert.deepEqual(ids((await walletNfts(identifier)).body), [c, a]);
  });
});

describe("what another project sees", () => {
  // The same documented requests as above (Create Wallet, Get Wallets for User, Get NFTs from
  // Wallet), sent with another project's key.
  test("none of this project's wallets, and its own wallet for the same email", async () => {
    const mine = await alpha("POST", "/wallets", { email: ADA, chain: "local" });
    const address = mine.body.publicKey as string;
    await mint(`email:${ADA}:local`, { name: "Not theirs" });
    const list = await other.alpha("GET", `/wallets?email=${ADA}`);
    assert.deepEqual(list.body, []);
    const get = await other.api("GET", `/wallets/local:${address}`);
    assert.equal(get.status, 404, JSON.stringify(get.body));
    assert.deepEqual(get.body, { error: true, message: "wallet not found" });
    assert.deepEqual((await walletNfts(`local:${address}`, "", other.api)).body, []);
    assert.deepEqual((await walletNfts(`email:${ADA}:local`, "", other.api)).body, []);
    const theirs = await other.alpha("POST", "/wallets", { email: ADA, chain: "local" });
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.publicKey, address);
    assert.equal((await h.api("GET", `/wallets/local:${theirs.body.publicKey}`)).status, 404);
  });
});

// ---- bad input: a 4xx {error: true, message}, never a 5xx ------------------------------------

interface BadRow {
  name: string;
  method: "GET" | "POST";
  /** Under /api/v1-alpha1 when it starts with `alpha:`; else under /api/2022-06-09. */
  path: string;
  body?: unknown;
  key?: string | null;
  status: number;
  message: RegExp;
}

const NOBODY = "0x000000000000000000000000000000000000dEaD";
// prettier-ignore
const BAD: BadRow[] = [
  { name: "no owner", method: "POST", path: "alpha:/wallets", body: { chain: "local" }, status: 400, message: /owner is missing: give email or userId/ },
  { name: "both owners", method: "POST", path: "alpha:/wallets", body: { email: ADA, userId: "u", chain: "local" }, status: 400, message: /either email or userId, not both/ },
  { name: "not an email", method: "POST", path: "alpha:/wallets", body: { email: "ada", chain: "local" }, status: 400, message: /"ada" is not a valid email address/ },
  { name: "empty email", method: "POST", path: "alpha:/wallets", body: { email: "", chain: "local" }, status: 400, message: /the email is empty/ },
  { name: "blank user id", method: "POST", path: "alpha:/wallets", body: { userId: " ", chain: "local" }, status: 400, message: /the user id is empty/ },
  { name: "user id of 256 characters", method: "POST", path: "alpha:/wallets", body: { userId: "u".repeat(256), chain: "local" }, status: 400, message: /longer than 255 characters/ },
  { name: "user id with a control character", method: "POST", path: "alpha:/wallets", body: { userId: "a\u0000b", chain: "local" }, status: 400, message: /control characters/ },
  { name: "unknown chain", method: "POST", path: "alpha:/wallets", body: { email: ADA, chain: "mars" }, status: 400, message: /unknown chain "mars"; known chains: local, solana, base-sepolia/ },
  { name: "Crossmint's chain, not configured", method: "POST", path: "alpha:/wallets", body: { email: ADA, chain: "polygon" }, status: 400, message: /chain "polygon" is not configured on this Herald: add \{"name":"polygon"/ },
  { name: "no chain", method: "POST", path: "alpha:/wallets", body: { email: ADA }, status: 400, message: /body must have required property 'chain'/ },
  { name: "email is a number", method: "POST", path: "alpha:/wallets", body: { email: 5, chain: "local" }, status: 400, message: /body.email must be string/ },
  { name: "unknown field", method: "POST", path: "alpha:/wallets", body: { email: ADA, chain: "local", type: "evm" }, status: 400, message: /unknown field "type"/ },
  { name: "body is an array", method: "POST", path: "alpha:/wallets", body: [], status: 400, message: /body must be object/ },
  { name: "list without an owner", method: "GET", path: "alpha:/wallets", status: 400, message: /owner is missing/ },
  { name: "list by both", method: "GET", path: `alpha:/wallets?email=${ADA}&userId=u`, status: 400, message: /not both/ },
  { name: "list by a bad email", method: "GET", path: "alpha:/wallets?email=ada%40", status: 400, message: /not a valid email/ },
  { name: "list by an email twice", method: "GET", path: `alpha:/wallets?email=${ADA}&email=${ADA}`, status: 400, message: /querystring.email must be string/ },
  { name: "no identifier form", method: "GET", path: "/wallets/nope/nfts", status: 400, message: /wallet identifier: "nope" is not a recipient/ },
  { name: "a bad address", method: "GET", path: "/wallets/local:0x123/nfts", status: 400, message: /wallet identifier: / },
  { name: "a bad checksum", method: "GET", path: `/wallets/local:${NOBODY.replace("dEaD", "DeAd")}/nfts`, status: 400, message: /checksum/ },
  { name: "an unconfigured chain", method: "GET", path: `/wallets/email:${ADA}:polygon/nfts`, status: 400, message: /chain "polygon" is not configured/ },
  { name: "a twitter handle", method: "GET", path: "/wallets/twitter:ada:local/nfts", status: 400, message: /no X \(Twitter\) identity provider/ },
  { name: "a bad email in the identifier", method: "GET", path: "/wallets/email:ada:local/nfts", status: 400, message: /not a valid email/ },
  { name: "perPage over 100", method: "GET", path: `/wallets/local:${NOBODY}/nfts?perPage=101`, status: 400, message: /querystring.perPage must be <= 100/ },
  { name: "page 0", method: "GET", path: `/wallets/local:${NOBODY}/nfts?page=0`, status: 400, message: /querystring.page must be >= 1/ },
  { name: "page not a number", method: "GET", path: `/wallets/local:${NOBODY}/nfts?page=one`, status: 400, message: /querystring.page must be integer/ },
  { name: "an identifier over 600 characters", method: "GET", path: `/wallets/userId:${"u".repeat(600)}:local/nfts`, status: 400, message: /longer than 600 characters/ },
  { name: "a user id over 255 characters", method: "GET", path: `/wallets/userId:${"u".repeat(300)}:local`, status: 400, message: /longer than 255 characters/ },
  { name: "an address that is no custodial wallet", method: "GET", path: `/wallets/local:${NOBODY}`, status: 404, message: /wallet not found/ },
  { name: "an email without a wallet", method: "GET", path: "/wallets/email:nobody@example.com:local", status: 404, message: /wallet not found/ },
  { name: "an id over 100 characters elsewhere", method: "GET", path: `/actions/${"a".repeat(101)}`, status: 400, message: /params.id is longer than 100 characters/ },
  ...(["alpha:/wallets", "alpha:/wallets?email=ada@example.com", `/wallets/local:${NOBODY}`, `/wallets/local:${NOBODY}/nfts`] as const).flatMap((path) => [
    { name: `no key: ${path}`, method: (path === "alpha:/wallets" ? "POST" : "GET") as "GET" | "POST", path, body: path === "alpha:/wallets" ? { email: ADA, chain: "local" } : undefined, key: null, status: 401, message: /missing API key/ },
    { name: `a wrong key: ${path}`, method: "GET" as const, path, key: "hk_wrong", status: 401, message: /invalid API key/ },
  ]),
];

describe("bad input", () => {
  for (const row of BAD) {
    test(`${row.status}: ${row.name}`, async () => {
      const api = row.key === undefined ? h.api : apiClient(h.url, row.key);
      const path = row.path.startsWith("alpha:")
        ? `//api/v1-alpha1${row.path.slice("alpha:".length)}`
        : row.path;
      const res = await api(row.method, path, row.body);
      assert.equal(res.status, row.status, JSON.stringify(res.body));
      assert.equal(res.body.error, true, JSON.stringify(res.body));
      assert.match(res.body.message, row.message);
    });
  }
});

// ---- fuzz ----------------------------------------------------------------------------------

test("fuzz: 600 random bodies, queries and identifiers never answer 5xx", async () => {
  const seed = Number(process.env.HERALD_FUZZ_SEED ?? Date.now() % 1_000_000);
  const r = generator(seed);
  type Request = [method: string, path: string, body?: string];
  const times = (n: number, make: () => Request) => Array.from({ length: n }, make);
  const requests = [
    ...times(250, () => ["POST", "//api/v1-alpha1/wallets", walletBody(r)]),
    ...times(150, () => ["GET", `//api/v1-alpha1/wallets${ownerQuery(r)}`]),
    ...times(200, () => ["GET", walletPath(r)]),
  ];
  const statuses = new Map<number, number>();
  for (let i = 0; i < requests.length; i += 10) {
    const batch = requests.slice(i, i + 10);
    const answers = await Promise.all(
      batch.map(([method, path, body]) => h.api(method, path, body)),
    );
    answers.forEach((res, j) => {
      const [method, path, body] = batch[j]!;
      const context = `seed ${seed}: ${method} ${path.slice(0, 200)} ${JSON.stringify(body?.slice(0, 200))}`;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      assert.ok(res.status < 500, `${context}: ${res.status} ${JSON.stringify(res.body)}`);
      assert.match(String(res.headers["content-type"]), /^application\/json/, context);
      if (res.status >= 400) {
        assert.equal(res.body?.error, true, `${context}: ${JSON.stringify(res.body)}`);
        assert.equal(typeof res.body.message, "string", context);
      }
    });
  }
  const seen = JSON.stringify([...statuses]);
  // The generators reach both sides: some requests are served, some refused (which 2xx and which
  // 4xx depends on the seed: a 404 needs a well-formed identifier of nobody, a 201 a new owner).
  for (const side of [200, 400])
    assert.ok(
      [...statuses.keys()].some((status) => status >= side && status < side + 100),
      `${side / 100}xx: ${seen}`,
    );
  assert.equal((await h.api("GET", "//health")).status, 200, "Herald still answers");
});

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPublicClient, type Address } from "viem";
import { rewardsArtifact } from "../../src/chain/evm/artifacts.js";
import {
  embeddedEvmChain,
  eventually,
  startTestHerald,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver, type ReceivedRequest } from "../helpers/receiver.js";
import { generator, type Random } from "../helpers/random.js";
import { sdkClient, verifiedWebhook, type OriginalClient } from "../helpers/original.js";

// Original's rewards (docs.getoriginal.com: allocate-rewards, claim-rewards, get-reward-details,
// get-reward-balance-by-user-uid) on a real Herald and its embedded chain: a rewards contract
// deployed, allocations (a nonce allocates once), a claim, a withdraw, each `reward.*` webhook
// delivered in Original's body and read the way its documentation shows.

let h: TestHerald;
let receiver: Receiver;
let secret = "";
let alice = "";
let bob = "";
let rewardUid = "";

const original: OriginalClient = sdkClient(() => h.url);
// Where a withdraw sends the rest of the pool, and where Alice claims to (Original's example).
const RECEIVER = "0x4881ab2f73c48a54b907a8b697b270f490768e6d";
const CLAIM_TO = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";

before(async () => {
  h = await startTestHerald();
  receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/all` });
  assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
  secret = endpoint.body.secret;
  alice = (await original("POST", "/user", { email: "alice@example.com" })).body.data.uid;
  bob = (await original("POST", "/user", { email: "bob@example.com" })).body.data.uid;
  // Herald's extension: what Original's console asks for a rewards contract.
  const reward = await original("POST", "/reward", {
    name: "RewardName",
    token_name: "Testnet ORI",
    token_symbol: "TORI",
    description: "",
    withdraw_receiver: RECEIVER,
    initial_supply: "1000",
  });
  assert.equal(reward.status, 201, JSON.stringify(reward.body));
  rewardUid = reward.body.data.uid;
});
after(async () => {
  await h?.stop();
  await receiver?.close();
});

/** The consumer of Original's documentation: dispatch on `event`, de-duplicate on the
 * correlation id; counts what it handled per event and operation uid. */
const seen = new Set<string>();
const handled = new Map<string, number>();
function consume(body: any): void {
  if (seen.has(body["x-webhook-correlation-id"])) return;
  seen.add(body["x-webhook-correlation-id"]);
  const operation = body.data.allocation ?? body.data.claim ?? body.data.withdraw;
  const key = `${body.event}/${operation?.uid}`;
  handled.set(key, (handled.get(key) ?? 0) + 1);
}

const isEvent = (event: string, uid: string) => (r: ReceivedRequest) => {
  const data = r.json?.data;
  return (
    r.json?.event === event && (data?.allocation ?? data?.claim ?? data?.withdraw)?.uid === uid
  );
};

/** The verified Original-format webhook of `event` about operation `uid`. */
async function rewardWebhook(event: string, uid: string): Promise<any> {
  const req = await eventually(() => receiver.requests.find(isEvent(event, uid))!, {
    timeoutMs: 120_000,
    message: `${event} of ${uid}`,
  });
  const body = verifiedWebhook(req, secret);
  assert.equal(req.headers["x-app-uid"], body["x-app-uid"]);
  consume(body);
  return body;
}

/** The operation once its status is not pending (the SDKs' end-to-end tests poll the same way). */
const settled = (path: string) =>
  eventually(
    async () => {
      const res = await original("GET", path);
      return res.status === 200 && res.body.data.status !== "pending" ? res.body.data : null;
    },
    { timeoutMs: 120_000, intervalMs: 50, message: `${path} settled` },
  );

async function tokenBalance(contract: string, holder: string): Promise<bigint> {
  const embedded = await embeddedEvmChain(h.herald);
  const client = createPublicClient({ chain: embedded.chain, transport: embedded.transport });
  return (await client.readContract({
    address: contract as Address,
    abi: rewardsArtifact.abi,
    functionName: "balanceOf",
    args: [holder as Address],
  })) as bigint;
}

const balanceOf = async (user: string) =>
  (await original("GET", `/reward/balance?reward_uid=${rewardUid}&user_uid=${user}`)).body.data
    .amount;

test("deploy, allocate (a nonce once), claim, withdraw: answers, the chain and each reward.* webhook as documented", async () => {
  const reward = await eventually(
    async () => {
      const res = await original("GET", `/reward/${rewardUid}`);
      return res.body.data?.status === "deployed" ? res.body.data : null;
    },
    { timeoutMs: 120_000, message: "the rewards contract deployed" },
  );
  assert.equal(reward.token_type, "ERC20");
  assert.equal(reward.token_name, "Testnet ORI");
  assert.equal(reward.withdraw_receiver.toLowerCase(), RECEIVER);
  assert.match(reward.contract_address, /^0x[0-9a-fA-F]{40}$/);
  assert.match(reward.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.equal(reward.initial_supply, "1000");
  assert.equal(reward.is_withdrawn, false);

  // Source: https://docs.getoriginal.com/docs/allocate-rewards (its request example).
  const example = { reward_uid: rewardUid, to_user_uid: alice, amount: "1.23", nonce: "nonce_1" };
  const first = await original("POST", "/reward/allocate", example);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const again = await original("POST", "/reward/allocate", example);
  assert.equal(again.status, 200, "the same nonce: the same allocation, nothing new");
  assert.equal(again.body.data.uid, first.body.data.uid);
  // As the SDKs send it: a JSON number (original-js AllocationParams.amount: number).
  const sdk = await original("POST", "/reward/allocate", {
    reward_uid: rewardUid,
    to_user_uid: alice,
    amount: 0.001,
    nonce: "nonce_2",
  });
  assert.equal(sdk.status, 201, JSON.stringify(sdk.body));
  // 18 decimals: the smallest unit, exactly.
  const wei = await original("POST", "/reward/allocate", {
    reward_uid: rewardUid,
    user_uid: bob, // the page's curl example names the user so
    amount: "0.000000000000000001",
    nonce: "wei",
  });
  assert.equal(wei.status, 201, JSON.stringify(wei.body));

  const allocation = await settled(`/reward/allocate/${first.body.data.uid}`);
  assert.deepEqual(
    { ...allocation, created_at: "" },
    {
      uid: first.body.data.uid,
      status: "done",
      reward_uid: rewardUid,
      to_user_uid: alice,
      amount: "1.23",
      nonce: "nonce_1",
      created_at: "",
    },
  );
  assert.equal((await settled(`/reward/allocation/${sdk.body.data.uid}`)).amount, "0.001");
  assert.equal(
    (await settled(`/reward/allocate/${wei.body.data.uid}`)).amount,
    "0.000000000000000001",
  );
  const listed = await original("GET", `/reward/allocate?user_uid=${alice}`);
  assert.deepEqual(
    listed.body.data.map((a: any) => a.nonce),
    ["nonce_2", "nonce_1"],
  );

  const allocated = await rewardWebhook("reward.allocated", first.body.data.uid);
  assert.equal(allocated.event, "reward.allocated");
  assert.deepEqual(allocated.data.allocation, {
    uid: first.body.data.uid,
    to_user_uid: alice,
    amount: "1.23",
    nonce: "nonce_1",
  });
  assert.deepEqual(allocated.data.reward, {
    name: "RewardName",
    contract_address: reward.contract_address,
    uid: rewardUid,
    description: "",
    token_name: "Testnet ORI",
    token_symbol: "TORI",
  });
  assert.equal(allocated.data.app.uid, allocated["x-app-uid"]);
  assert.equal(allocated.data.transaction_log.type, "mint");
  assert.match(allocated.data.transaction_log.transaction_hash, /^0x[0-9a-f]{64}$/);
  assert.equal(typeof allocated.data.transaction_log.chain_id, "number");

  // The chain holds what the answers say.
  const aliceWallet = (await original("GET", `/user/${alice}`)).body.data.wallet_address;
  assert.equal(await tokenBalance(reward.contract_address, aliceWallet), 1231n * 10n ** 15n);
  assert.equal(await balanceOf(alice), "1.231");
  assert.equal(await balanceOf(bob), "0.000000000000000001");

  // Source: https://docs.getoriginal.com/docs/claim-rewards (its request example): all of it.
  const claim = await original("POST", "/reward/claim", {
    reward_uid: rewardUid,
    from_user_uid: alice,
    to_address: CLAIM_TO,
  });
  assert.equal(claim.status, 201, JSON.stringify(claim.body));
  assert.equal(await balanceOf(alice), "0", "a pending claim is taken off the balance");
  const claimed = await settled(`/reward/claim/${claim.body.data.uid}`);
  assert.equal(claimed.status, "done");
  assert.equal(claimed.amount, "1.231");
  assert.equal(claimed.from_user_uid, alice);
  assert.equal(await tokenBalance(reward.contract_address, CLAIM_TO), 1231n * 10n ** 15n);
  const claimHook = await rewardWebhook("reward.claimed", claim.body.data.uid);
  assert.deepEqual(claimHook.data.claim, {
    uid: claim.body.data.uid,
    from_user_uid: alice,
    amount: "1.231",
    to_address: CLAIM_TO,
  });
  const nothing = await original("POST", "/reward/claim", {
    reward_uid: rewardUid,
    from_user_uid: alice,
    to_address: CLAIM_TO,
  });
  assert.equal(nothing.status, 400);
  assert.equal(nothing.body.error.detail.field_name, "from_user_uid");
  assert.deepEqual(
    (await original("GET", `/reward/claim?user_uid=${alice}`)).body.data.map((c: any) => c.uid),
    [claim.body.data.uid],
  );

  // More than the pool: accepted (asynchronous, as documented), then failed on chain, and
  // recorded so: never lost, never announced as allocated.
  const tooMuch = await original("POST", "/reward/allocate", {
    reward_uid: rewardUid,
    to_user_uid: bob,
    amount: "1000",
    nonce: "too_much",
  });
  assert.equal(tooMuch.status, 201);
  assert.equal((await settled(`/reward/allocate/${tooMuch.body.data.uid}`)).status, "failed");

  const withdraw = await original("POST", "/reward/withdraw", { reward_uid: rewardUid });
  assert.equal(withdraw.status, 201, JSON.stringify(withdraw.body));
  assert.equal((await settled(`/reward/withdraw/${withdraw.body.data.uid}`)).status, "done");
  const withdrawn = await rewardWebhook("reward.withdrawn", withdraw.body.data.uid);
  assert.equal(withdrawn.data.withdraw.to_address.toLowerCase(), RECEIVER);
  const pool = 1000n * 10n ** 18n - 1231n * 10n ** 15n - 1n;
  assert.equal(await tokenBalance(reward.contract_address, RECEIVER), pool);
  assert.equal((await original("GET", `/reward/${rewardUid}`)).body.data.is_withdrawn, true);
  const closed = await original("POST", "/reward/allocate", { ...example, nonce: "late" });
  assert.equal(closed.status, 400);
  assert.match(closed.body.error.detail.message, /withdrawn/);

  // Herald's console reads the same through the project's API key.
  const listedRewards = await h.api("GET", "/original/rewards");
  const summary = listedRewards.body.data.find((x: any) => x.uid === rewardUid);
  assert.equal(summary.withdrawn, true);
  assert.equal(summary.initialSupply, "1000");
  const ops = await h.api("GET", `/original/rewards/${rewardUid}/operations?kind=allocation`);
  assert.deepEqual(
    ops.body.data.map((o: any) => [o.nonce, o.status]),
    [
      ["too_much", "failed"],
      ["wei", "done"],
      ["nonce_2", "done"],
      ["nonce_1", "done"],
    ],
  );

  // Each webhook handled once; the failed allocation announced never.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(
    receiver.requests.filter(isEvent("reward.allocated", first.body.data.uid)).length,
    1,
  );
  assert.equal(
    receiver.requests.filter(isEvent("reward.allocated", tooMuch.body.data.uid)).length,
    0,
  );
  assert.equal(handled.get(`reward.allocated/${first.body.data.uid}`), 1);
});

test("refusals in Original's shape: unknown uids 404, bad amounts and a reused nonce 400", async () => {
  // A reward still open (the first one is withdrawn by now).
  const other = await original("POST", "/reward", {
    name: "Second",
    token_name: "Second",
    token_symbol: "SEC",
    withdraw_receiver: RECEIVER,
    initial_supply: 10,
  });
  const open = other.body.data.uid;
  const cases: Array<[string, string, unknown, number, string]> = [
    ["GET", "/reward/nope", undefined, 404, "Reward not found."],
    ["GET", "/reward/allocate/nope", undefined, 404, "Allocation not found."],
    ["GET", "/reward/claim/nope", undefined, 404, "Claim not found."],
    [
      "GET",
      `/reward/balance?reward_uid=nope&user_uid=${alice}`,
      undefined,
      404,
      "Reward not found.",
    ],
    [
      "GET",
      `/reward/balance?reward_uid=${rewardUid}&user_uid=nope`,
      undefined,
      404,
      "User not found.",
    ],
    [
      "POST",
      "/reward/allocate",
      { reward_uid: open, to_user_uid: "nope", amount: "1", nonce: "x" },
      404,
      "User not found.",
    ],
    [
      "POST",
      "/reward/allocate",
      { reward_uid: open, to_user_uid: alice, amount: "0.0000000000000000001", nonce: "x" },
      400,
      "amount",
    ],
    [
      "POST",
      "/reward/allocate",
      { reward_uid: open, to_user_uid: alice, amount: "-1", nonce: "x" },
      400,
      "amount",
    ],
    [
      "POST",
      "/reward/allocate",
      { reward_uid: open, to_user_uid: alice, amount: 1e300, nonce: "x" },
      400,
      "amount",
    ],
    ["POST", "/reward/allocate", { reward_uid: open, amount: "1", nonce: "x" }, 400, "to_user_uid"],
    [
      "POST",
      "/reward",
      {
        name: "R",
        token_name: "T",
        token_symbol: "T",
        withdraw_receiver: "0x1",
        initial_supply: "1",
      },
      400,
      "withdraw_receiver",
    ],
    [
      "POST",
      "/reward",
      {
        name: "R",
        token_name: "T",
        token_symbol: "T",
        withdraw_receiver: RECEIVER,
        initial_supply: "1",
        chain: "mars",
      },
      400,
      "chain",
    ],
  ];
  for (const [method, path, body, status, what] of cases) {
    const res = await original(method, path, body);
    assert.equal(
      res.status,
      status,
      `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`,
    );
    assert.equal(res.body.success, false);
    const detail = res.body.error.detail;
    assert.ok(
      detail.message === what || detail.field_name === what,
      `${method} ${path}: ${JSON.stringify(detail)} names ${what}`,
    );
  }
  // A nonce names one allocation: another user or amount under it is refused.
  const base = { reward_uid: open, to_user_uid: alice, amount: "1", nonce: "n" };
  assert.equal((await original("POST", "/reward/allocate", base)).status, 201);
  const reused = await original("POST", "/reward/allocate", { ...base, amount: "2" });
  assert.equal(reused.status, 400);
  assert.equal(reused.body.error.detail.field_name, "nonce");
});

// ---- fuzz ------------------------------------------------------------------------------------

// prettier-ignore
const ODD = ["", " ", "\u0000", "é", "😀", "\ud800", '"', "\\", "%", "a".repeat(3000), "1e400", "0x", "-0", "1.", ".5", "NaN", "Infinity", "0.0000000000000000000001", "9".repeat(80), "default-local"];
const odd = (r: Random): unknown =>
  r.pick<() => unknown>([
    () => null,
    () => r.int(1e9),
    () => -1,
    () => 1e308,
    () => 5e-324,
    () => true,
    () => [],
    () => ({}),
    () => r.pick(ODD),
  ])();
const maybe = (r: Random, good: unknown) => (r.next() < 0.7 ? good : odd(r));

test("fuzz: 500 random bodies per reward route (create, allocate, claim, withdraw) never yield a 5xx", async () => {
  const seed = Number(process.env.HERALD_FUZZ_SEED ?? Date.now() % 1e9);
  const r = generator(seed);
  const routes: Array<[string, () => unknown]> = [
    [
      "/reward",
      () => ({
        name: maybe(r, "Fuzz"),
        token_name: maybe(r, "Fuzz"),
        token_symbol: maybe(r, "FZ"),
        description: maybe(r, null),
        chain: maybe(r, "local"),
        withdraw_receiver: maybe(r, RECEIVER),
        // Mostly refused: every accepted body deploys a contract.
        initial_supply: r.next() < 0.1 ? "5" : odd(r),
      }),
    ],
    [
      "/reward/allocate",
      () => ({
        reward_uid: maybe(r, rewardUid),
        to_user_uid: maybe(r, bob),
        amount: r.next() < 0.3 ? String(r.int(1e6) / 1000) : odd(r),
        nonce: maybe(r, `fuzz-${r.int(1e9)}`),
      }),
    ],
    [
      "/reward/claim",
      () => ({
        reward_uid: maybe(r, rewardUid),
        from_user_uid: maybe(r, bob),
        to_address: maybe(r, CLAIM_TO),
        amount: r.next() < 0.5 ? undefined : odd(r),
      }),
    ],
    ["/reward/withdraw", () => ({ reward_uid: r.next() < 0.1 ? rewardUid : odd(r) })],
  ];
  for (const [path, make] of routes) {
    for (let i = 0; i < 500; i++) {
      let body = JSON.stringify(r.next() < 0.95 ? make() : odd(r)) ?? "null";
      if (r.next() < 0.05) body = body.slice(0, r.int(body.length));
      const res = await original("POST", path, body).catch((error: Error) => ({
        status: 0,
        headers: {},
        body: error.message,
      }));
      assert.ok(
        res.status >= 200 && res.status < 500,
        `seed ${seed}: POST ${path} ${body} → ${res.status} ${JSON.stringify(res.body)}`,
      );
      if (res.status >= 400)
        assert.equal(res.body.success, false, `seed ${seed}: ${JSON.stringify(res.body)}`);
    }
  }
});

test("fuzz: random uids and queries on the reward reads never yield a 5xx", async () => {
  const seed = Number(process.env.HERALD_FUZZ_SEED ?? Date.now() % 1e9);
  const r = generator(seed);
  // A lone surrogate cannot be encoded: it goes as the bytes it would be (invalid UTF-8).
  const encoded = (value: string) => {
    try {
      return encodeURIComponent(value);
    } catch {
      return "%ED%A0%80";
    }
  };
  const text = () => encoded(String(r.next() < 0.3 ? rewardUid : odd(r)));
  const paths = [
    () => `/reward/${text()}`,
    () => `/reward/${r.pick(["allocate", "allocation", "claim", "withdraw"])}/${text()}`,
    () =>
      `/reward/${r.pick(["allocate", "claim", "withdraw"])}?user_uid=${text()}&reward_uid=${text()}`,
    () => `/reward/balance?reward_uid=${text()}&user_uid=${r.next() < 0.5 ? bob : text()}`,
  ];
  for (const make of paths) {
    for (let i = 0; i < 250; i++) {
      const path = make();
      const res = await original("GET", path);
      assert.ok(
        res.status < 500,
        `seed ${seed}: GET ${path} → ${res.status} ${JSON.stringify(res.body)}`,
      );
      if (res.status >= 400) assert.equal(res.body.success, false, `seed ${seed}: GET ${path}`);
    }
  }
});

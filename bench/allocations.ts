// Original's reward allocations on the embedded chain, end to end: from `POST
// /original/v1/reward/allocate` to the receipt of its `reward.allocated` webhook (Original's
// body), measured as the mints are (request-to-webhook.ts), to be read against them.
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import type { Agent } from "undici";
import { jsonRequest, timeToWebhook } from "./request-to-webhook.js";
import { runPool } from "./stats.js";

/** The Original key pair of Herald's default project (HERALD_ORIGINAL_API_KEY and _SECRET). */
export interface OriginalPair {
  apiKey: string;
  apiSecret: string;
}

/** Where a withdraw would send the rest of the pool (Original's example address). */
const WITHDRAW_RECEIVER = "0x4881ab2f73c48a54b907a8b697b270f490768e6d";

type Answer = { data: { uid: string; status?: string } };

/**
 * `count` allocations of one reward to one user, `concurrency` requests at once; the user and
 * the reward's contract are made, and one allocation delivered, before the timing starts.
 */
export async function measureAllocations(
  heraldUrl: string,
  apiKey: string,
  pair: OriginalPair,
  count: number,
  concurrency: number,
) {
  // As Original's SDKs sign it: HS256 over {resource, action, user_id, api_key}.
  const token = await new SignJWT({
    resource: "*",
    action: "*",
    user_id: "*",
    api_key: pair.apiKey,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(pair.apiSecret));
  const headers = { "x-api-key": pair.apiKey, authorization: `Bearer ${token}` };
  const original = async (agent: Agent, path: string, body?: unknown) =>
    ((await jsonRequest(agent, `${heraldUrl}/original/v1${path}`, headers, body)) as Answer).data;
  const run = randomBytes(4).toString("hex");
  let user = "";
  let reward = "";
  const allocate = async (agent: Agent, nonce: string) =>
    (
      await original(agent, "/reward/allocate", {
        reward_uid: reward,
        to_user_uid: user,
        amount: "1.5",
        nonce: `${run}-${nonce}`,
      })
    ).uid;

  const { perSecond, ...latency } = await timeToWebhook(heraldUrl, apiKey, count, concurrency, {
    eventType: "reward.allocated",
    idOf: (body: { event?: string; data?: { allocation?: { uid?: string } } }) =>
      body.event === "reward.allocated" ? body.data?.allocation?.uid : undefined,
    warmUp: async (agent) => {
      user = (await original(agent, "/user", {})).uid;
      reward = (
        await original(agent, "/reward", {
          name: "Bench reward",
          token_name: "Bench token",
          token_symbol: "BENCH",
          withdraw_receiver: WITHDRAW_RECEIVER,
          initial_supply: "1000000",
        })
      ).uid;
      await deployed((path) => original(agent, path), reward);
      return allocate(agent, "warm-up");
    },
    send: (agent, sentAt) =>
      runPool(count, concurrency, async (i) => {
        const t = performance.now();
        sentAt.set(await allocate(agent, String(i)), t);
      }),
  });
  return { allocationsPerSecond: perSecond, ...latency };
}

/** Polls the reward until its contract is deployed (the deployment runs in the background). */
async function deployed(
  get: (path: string) => Promise<Answer["data"]>,
  reward: string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { status } = await get(`/reward/${reward}`);
    if (status === "deployed") return;
    if (status === "failed") throw new Error(`the bench's reward ${reward} failed to deploy`);
    if (Date.now() > deadline) throw new Error(`the bench's reward ${reward} did not deploy`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

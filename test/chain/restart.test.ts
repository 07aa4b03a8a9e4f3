import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  startHardhatNode,
  NODE_KEY,
  NODE_SIGNER,
  type HardhatNode,
} from "../helpers/hardhat-node.js";
import {
  printingOutputOnFailure,
  startChildHerald,
  type ChildHerald,
} from "../helpers/child-herald.js";
import { apiClient, eventually, TEST_ORIGINAL } from "../helpers/herald.js";
import { sdkClient } from "../helpers/original.js";
import {
  assertMinted,
  assertWebhooks,
  createCollection,
  mintAll,
  waitSucceeded,
} from "../helpers/minting.js";
import { Receiver } from "../helpers/receiver.js";
import { decodeFunctionData, type Hex } from "viem";
import { collectionArtifact } from "../../src/chain/evm/artifacts.js";

// The requirement: after a restart, pending actions resume from the stored transaction
// hashes — nothing is sent twice, nothing is forgotten. Herald runs as a child process against a
// `hardhat node` over HTTP (the embedded chain would not survive the restart) and is SIGKILLed
// while mints are pending; the node's nonce for the signer counts what was really sent.

const SIGNER = NODE_SIGNER;
const RECIPIENT = "devnet:0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const API_KEY = "hk_restart_test_key_0123456789";

let node: HardhatNode;
let rpcUrl: string;
const rpc = <T = unknown>(method: string, params: unknown[] = []) => node.rpc<T>(method, params);

async function nonceCount(tag: "latest" | "pending"): Promise<number> {
  return Number(await rpc<string>("eth_getTransactionCount", [SIGNER, tag]));
}

async function receiptStatus(txId: string): Promise<string | undefined> {
  return (await rpc<{ status: string } | null>("eth_getTransactionReceipt", [txId]))?.status;
}

async function setAutomine(on: boolean): Promise<void> {
  await rpc("evm_setAutomine", [on]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `mintBatch`: the most mints per transaction (1: a transaction per mint). */
function heraldEnv(mintBatch = 1): Record<string, string> {
  return {
    HERALD_CHAINS: JSON.stringify([
      { name: "devnet", rpcUrl, chainId: 31337, privateKey: NODE_KEY, mintBatch },
    ]),
    HERALD_API_KEY: API_KEY,
    HERALD_ALLOW_PRIVATE_NETWORKS: "127.0.0.0/8",
    HERALD_LOG_LEVEL: "warn",
  };
}

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  node = await startHardhatNode();
  rpcUrl = node.rpcUrl;
});

after(() => node?.stop());

/** What the transactions pending on the node mint: a `mintBatch` its entries, a `mintTo` one. */
async function mintsPending(): Promise<{ transactions: number; mints: number }> {
  const block = await rpc<{ transactions: { input: Hex }[] }>("eth_getBlockByNumber", [
    "pending",
    true,
  ]);
  let mints = 0;
  for (const tx of block.transactions) {
    const call = decodeFunctionData({ abi: collectionArtifact.abi, data: tx.input });
    mints += call.functionName === "mintBatch" ? (call.args![0] as unknown[]).length : 1;
  }
  return { transactions: block.transactions.length, mints };
}

test(
  "SIGKILL with 20 mints in batches of 5 pending on the node, mined while down: each resumes, none is sent twice",
  { timeout: 300_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-restart-"));
    const receiver = await Receiver.start();
    const children: ChildHerald[] = [];
    try {
      await printingOutputOnFailure(
        () => children,
        async () => {
          await setAutomine(true);
          const startNonce = await nonceCount("latest");
          assert.equal(await nonceCount("pending"), startNonce, "nothing pending at the start");

          const first = await startChildHerald({ dataDir, env: heraldEnv(5) });
          children.push(first);
          let api = apiClient(first.url, API_KEY);
          const endpoint = await api("POST", "/webhooks/endpoints", {
            url: receiver.url,
            eventTypes: ["nfts.create.succeeded"],
          });
          assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));

          const collection = await createCollection(api, "devnet", "Restart");
          await waitSucceeded(api, [collection.actionId]);

          // Manual mining: what Herald sends from now on stays pending on the node. One
          // batch-mint request queues the 20 mints at once: four transactions of five.
          await setAutomine(false);
          const batch = await api("POST", `/collections/${collection.id}/nfts`, {
            nfts: Array.from({ length: 20 }, (_, i) => ({
              recipient: RECIPIENT,
              metadata: { name: `Restart #${i + 1}` },
            })),
          });
          assert.equal(batch.status, 200, JSON.stringify(batch.body));
          const mints = (batch.body.results as { id: string; actionId: string }[]).map((r) => ({
            collectionId: collection.id,
            id: r.id,
            actionId: r.actionId,
          }));
          const mined = startNonce + 1;
          const pendingAt =
            (await eventually(
              async () => {
                const pending = await mintsPending();
                return pending.mints >= 20 ? pending : null;
              },
              { timeoutMs: 10_000, intervalMs: 50, message: "20 mints pending on the node" },
            ).catch(() => null)) ?? (await mintsPending());
          assert.equal(await nonceCount("latest"), mined, "no mint mined before the kill");
          assert.ok(pendingAt.mints > 0, "some mints are pending on the node at the kill");

          const exit = await first.kill("SIGKILL");
          assert.equal(exit.signal, "SIGKILL");
          console.log(
            `# pending on the node at the kill: ${pendingAt.mints} of 20 mints, in ${pendingAt.transactions} transactions`,
          );

          // While Herald is down, the node mines what it holds.
          await setAutomine(true);
          await rpc("evm_mine");
          const minedWhileDown = (await nonceCount("latest")) - mined;
          console.log(`# mined while Herald was down: ${minedWhileDown}`);

          const second = await startChildHerald({ dataDir, env: heraldEnv(5) });
          children.push(second);
          api = apiClient(second.url, API_KEY);
          await waitSucceeded(
            api,
            mints.map((m) => m.actionId),
          );
          const { transactions } = await assertMinted(api, mints, receiptStatus, 5);
          assert.equal(transactions, 4, "four batches of five");

          assert.equal(
            (await nonceCount("latest")) - startNonce,
            1 + 4,
            "the signer sent exactly one deployment and 4 batches: nothing twice",
          );
          assert.equal(await nonceCount("pending"), await nonceCount("latest"), "nothing left");

          const duplicates = await assertWebhooks(
            receiver,
            mints.map((m) => m.actionId),
          );
          console.log(`# duplicate nfts.create.succeeded webhooks: ${duplicates}`);
          await second.kill("SIGTERM");
        },
      );
    } finally {
      await setAutomine(true).catch(() => undefined);
      for (const child of children) await child.kill("SIGKILL");
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test(
  "SIGKILL with nothing mined while down: sent mints, a pending deployment and mints queued behind it",
  { timeout: 300_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-restart-"));
    const receiver = await Receiver.start();
    const children: ChildHerald[] = [];
    try {
      await printingOutputOnFailure(
        () => children,
        async () => {
          await setAutomine(true);
          const startNonce = await nonceCount("latest");

          const first = await startChildHerald({ dataDir, env: heraldEnv() });
          children.push(first);
          let api = apiClient(first.url, API_KEY);
          const endpoint = await api("POST", "/webhooks/endpoints", {
            url: receiver.url,
            eventTypes: ["nfts.create.succeeded"],
          });
          assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
          const a = await createCollection(api, "devnet", "Deployed");
          await waitSucceeded(api, [a.actionId]);

          await setAutomine(false);
          // Sent before the kill, pending on the node.
          const sent = await mintAll(
            api,
            a.id,
            RECIPIENT,
            Array.from({ length: 10 }, (_, i) => `Sent #${i + 1}`),
          );
          // A deployment pending on the node, and mints that wait for it: queued in the
          // database, deterministically not sent before the kill (their contract has no address).
          const b = await createCollection(api, "devnet", "Pending");
          const queued = await mintAll(
            api,
            b.id,
            RECIPIENT,
            Array.from({ length: 5 }, (_, i) => `Queued #${i + 1}`),
          );
          await eventually(async () => (await nonceCount("pending")) - startNonce === 1 + 10 + 1, {
            timeoutMs: 10_000,
            intervalMs: 50,
            message: "10 mints and a deployment pending on the node",
          });
          await sleep(300); // room for a wrong send of a queued mint to show
          const pendingAt = (await nonceCount("pending")) - (await nonceCount("latest"));
          assert.equal(pendingAt, 11, "the queued mints were not sent before the kill");
          assert.equal(await nonceCount("latest"), startNonce + 1);
          await first.kill("SIGKILL");
          console.log(`# pending on the node at the kill: ${pendingAt}; queued in the DB: 5`);

          // Restart with the node exactly as it was: nothing mined, the same 11 pending.
          const second = await startChildHerald({ dataDir, env: heraldEnv() });
          children.push(second);
          api = apiClient(second.url, API_KEY);
          await sleep(1500); // resume and a poll or two
          assert.equal(await nonceCount("latest"), startNonce + 1, "still nothing mined");
          assert.equal(
            (await nonceCount("pending")) - startNonce,
            1 + 10 + 1,
            "resuming sent nothing new while the deployment is pending",
          );
          for (const m of [...sent, ...queued]) {
            const res = await api("GET", `/actions/${m.actionId}`);
            assert.equal(res.body.status, "pending", JSON.stringify(res.body));
          }

          // Mining resumes: the deployment lands, the queued mints go out after it.
          await setAutomine(true);
          await rpc("evm_mine");
          await waitSucceeded(api, [b.actionId, ...[...sent, ...queued].map((m) => m.actionId)]);
          await assertMinted(api, [...sent, ...queued], receiptStatus);
          assert.equal(
            (await nonceCount("latest")) - startNonce,
            1 + 10 + 1 + 5,
            "two deployments and 15 mints, each sent once",
          );
          assert.equal(await nonceCount("pending"), await nonceCount("latest"), "nothing left");
          const duplicates = await assertWebhooks(
            receiver,
            [...sent, ...queued].map((m) => m.actionId),
          );
          console.log(`# duplicate nfts.create.succeeded webhooks: ${duplicates}`);
          await second.kill("SIGTERM");
        },
      );
    } finally {
      await setAutomine(true).catch(() => undefined);
      for (const child of children) await child.kill("SIGKILL");
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test(
  "SIGKILL with 10 reward allocations pending on the node: each resumes, none is sent twice, one reward.allocated each",
  { timeout: 300_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "herald-restart-"));
    const receiver = await Receiver.start();
    const children: ChildHerald[] = [];
    const env = {
      ...heraldEnv(),
      HERALD_ORIGINAL_API_KEY: TEST_ORIGINAL.apiKey,
      HERALD_ORIGINAL_API_SECRET: TEST_ORIGINAL.apiSecret,
    };
    try {
      await printingOutputOnFailure(
        () => children,
        async () => {
          await setAutomine(true);
          const startNonce = await nonceCount("latest");
          const first = await startChildHerald({ dataDir, env });
          children.push(first);
          let url = first.url;
          const original = sdkClient(() => url);
          const endpoint = await apiClient(url, API_KEY)("POST", "/webhooks/endpoints", {
            url: receiver.url,
            eventTypes: ["reward.allocated"],
          });
          assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
          const user = (await original("POST", "/user", {})).body.data.uid;
          const created = await original("POST", "/reward", {
            name: "Restart",
            token_name: "Restart",
            token_symbol: "RST",
            chain: "devnet",
            withdraw_receiver: "0x4881ab2f73c48a54b907a8b697b270f490768e6d",
            initial_supply: "100",
          });
          assert.equal(created.status, 201, JSON.stringify(created.body));
          const reward = created.body.data.uid;
          await eventually(
            async () =>
              (await original("GET", `/reward/${reward}`)).body.data.status === "deployed",
            { timeoutMs: 60_000, message: "the rewards contract deployed" },
          );

          await setAutomine(false);
          const allocate = (i: number) =>
            original("POST", "/reward/allocate", {
              reward_uid: reward,
              to_user_uid: user,
              amount: "1.5",
              nonce: `restart-${i}`,
            });
          const uids: string[] = [];
          for (let i = 0; i < 10; i++) uids.push((await allocate(i)).body.data.uid);
          await eventually(async () => (await nonceCount("pending")) - startNonce >= 1 + 10, {
            timeoutMs: 10_000,
            intervalMs: 50,
            message: "10 allocations pending on the node",
          }).catch(() => undefined);
          const pendingAt = (await nonceCount("pending")) - (await nonceCount("latest"));
          assert.ok(pendingAt > 0, "some allocations are pending on the node at the kill");
          await first.kill("SIGKILL");
          console.log(`# allocations pending on the node at the kill: ${pendingAt} of 10`);
          await setAutomine(true);
          await rpc("evm_mine");

          const second = await startChildHerald({ dataDir, env });
          children.push(second);
          url = second.url;
          // The client retries what it is unsure of: the same nonces are the same allocations.
          for (let i = 0; i < 10; i++) {
            const again = await allocate(i);
            assert.equal(again.status, 200, JSON.stringify(again.body));
            assert.equal(again.body.data.uid, uids[i]);
          }
          for (const uid of uids) {
            await eventually(
              async () =>
                (await original("GET", `/reward/allocate/${uid}`)).body.data.status === "done",
              { timeoutMs: 120_000, message: `allocation ${uid} done` },
            );
          }
          assert.equal(
            (await nonceCount("latest")) - startNonce,
            1 + 10,
            "the signer sent one deployment and 10 allocations: nothing twice",
          );
          const balance = await original(
            "GET",
            `/reward/balance?reward_uid=${reward}&user_uid=${user}`,
          );
          assert.equal(balance.body.data.amount, "15");
          // One event per allocation (a delivery may repeat it: at least once, same event id).
          for (const uid of uids) {
            const events = await eventually(
              () => {
                const ids = new Set(
                  receiver.requests
                    .filter((r) => r.json?.data?.allocation?.uid === uid)
                    .map((r) => r.headers["webhook-id"]),
                );
                return ids.size > 0 ? ids : null;
              },
              { timeoutMs: 60_000, message: `reward.allocated of ${uid}` },
            );
            assert.equal(events!.size, 1, `one reward.allocated event for ${uid}`);
          }
          await second.kill("SIGTERM");
        },
      );
    } finally {
      await setAutomine(true).catch(() => undefined);
      for (const child of children) await child.kill("SIGKILL");
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

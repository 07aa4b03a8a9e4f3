import assert from "node:assert/strict";
import { describe } from "node:test";
import type { ChainJob } from "../../src/core/chain/chain-types.js";
import type { NewRewardOperation, OriginalReward } from "../../src/core/interfaces.js";
import type { ChainJobFinish } from "../../src/core/ports/chain-store.js";
import { newId } from "../../src/core/runtime/ids.js";
import { CHAIN, jobRecord } from "./chain-records.js";
import { T0, type Fixture, type StoreTest } from "./store-fixtures.js";

// Original's rewards in the store: a reward with its deployment, its operations (an
// allocation's nonce once per reward, even when sent concurrently), each read with its action's
// status, and the reward's state written with its deployment's outcome (or undone by a reorg).

async function newReward(fx: Fixture, projectId: string) {
  const action = fx.action(projectId, { action: "rewards.deploy" });
  const reward: OriginalReward = {
    id: `rew-${newId()}`,
    projectId,
    chain: CHAIN,
    name: "Reward ✓",
    tokenName: "Testnet ORI",
    tokenSymbol: "TORI",
    description: "",
    withdrawReceiver: "0x4881ab2f73c48a54b907a8b697b270f490768e6d",
    // Beyond 64 bits: kept as text.
    initialSupply: (10n ** 30n).toString(),
    status: "deploying",
    contractAddress: null,
    actionId: action.id,
    createdAt: T0,
    updatedAt: T0,
  };
  const job = jobRecord(projectId, "rewardDeploy", reward.id, action.id);
  await fx.store.createOriginalReward(reward, action, job);
  return { reward, action, job };
}

function allocation(
  reward: OriginalReward,
  nonce: string,
  fields: Partial<NewRewardOperation> = {},
) {
  return {
    id: `op-${newId()}`,
    projectId: reward.projectId,
    rewardId: reward.id,
    kind: "allocation" as const,
    userUid: "user-1",
    address: "0x00000000000000000000000000000000000000a1",
    amount: "1230000000000000000",
    nonce,
    actionId: newId(),
    createdAt: T0,
    ...fields,
  };
}

async function queueAllocation(fx: Fixture, reward: OriginalReward, nonce: string, fields = {}) {
  const operation = allocation(reward, nonce, fields);
  const action = fx.action(reward.projectId, {
    id: operation.actionId,
    action: "rewards.allocate",
  });
  const job = jobRecord(reward.projectId, "allocate", `${reward.id}/${operation.id}`, action.id);
  const result = await fx.store.createRewardOperation(operation, action, job);
  return { operation, action, job, result };
}

export function rewardsContract(storeTest: StoreTest): void {
  describe("Original rewards", () => {
    storeTest("createOriginalReward: the reward, its action and its deployment job", async (fx) => {
      const { store } = fx;
      const { project } = await fx.project();
      const { project: other } = await fx.project();
      const { reward, action, job } = await newReward(fx, project.id);
      assert.deepEqual(await store.getOriginalReward(project.id, reward.id), reward);
      assert.equal(await store.getOriginalReward(other.id, reward.id), null);
      assert.deepEqual(await store.getAction(project.id, action.id), action);
      assert.deepEqual(
        (await store.listOriginalRewards(project.id, { limit: 10 })).data.map((r) => r.id),
        [reward.id],
      );
      const sendable = await store.listSendableChainJobs(CHAIN, 10);
      assert.deepEqual(
        sendable.map((j) => j.id),
        [job.id],
      );
    });

    storeTest(
      "an allocation's nonce once per reward: a repeat (even concurrent) gives the first back",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const { reward } = await newReward(fx, project.id);
        const { reward: second } = await newReward(fx, project.id);
        const first = await queueAllocation(fx, reward, "nonce_1");
        assert.deepEqual(first.result, {
          created: true,
          operation: { ...first.operation, status: "pending" },
        });
        const again = await queueAllocation(fx, reward, "nonce_1", { amount: "5" });
        assert.deepEqual(again.result, { created: false, operation: first.result.operation });
        assert.equal(await store.getAction(project.id, again.action.id), null, "no second action");
        // The same nonce in another reward is another allocation.
        assert.equal((await queueAllocation(fx, second, "nonce_1")).result.created, true);
        const racing = await Promise.all(
          Array.from({ length: 6 }, () => queueAllocation(fx, reward, "nonce_race")),
        );
        assert.equal(racing.filter((r) => r.result.created).length, 1, "one of six is created");
        const ids = new Set(racing.map((r) => r.result.operation.id));
        assert.equal(ids.size, 1, "all six answer the same allocation");
        const jobs = (await store.listOpenChainJobs(CHAIN, 100)).filter(
          (j) => j.kind === "allocate",
        );
        assert.equal(jobs.length, 3, "one job per allocation");
      },
    );

    storeTest(
      "operations: read with their action's status, listed newest first by reward or user",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const { reward } = await newReward(fx, project.id);
        const a = await queueAllocation(fx, reward, "a", { id: "op-1", userUid: "u1" });
        await queueAllocation(fx, reward, "b", { id: "op-2", userUid: "u2" });
        await queueAllocation(fx, reward, "c", { id: "op-3", userUid: "u1" });
        await store.completeAction(
          project.id,
          a.action.id,
          "succeeded",
          undefined,
          T0 + 1,
          (action) => fx.event(project.id, "reward.allocated", { actionId: action.id }),
        );
        const got = await store.getRewardOperation(project.id, "allocation", "op-1");
        assert.equal(got?.status, "succeeded");
        assert.equal(await store.getRewardOperation(project.id, "claim", "op-1"), null, "by kind");
        const byUser = await store.listRewardOperations(
          project.id,
          { kind: "allocation", userUid: "u1" },
          10,
        );
        assert.deepEqual(
          byUser.map((op) => [op.id, op.status]),
          [
            ["op-3", "pending"],
            ["op-1", "succeeded"],
          ],
        );
        const byReward = await store.listRewardOperations(
          project.id,
          { kind: "allocation", rewardId: reward.id },
          2,
        );
        assert.deepEqual(
          byReward.map((op) => op.id),
          ["op-3", "op-2"],
        );
      },
    );

    storeTest(
      "a reward's deployment: its jobs wait for it; its outcome sets the reward, a reorg undoes it",
      async (fx) => {
        const { store } = fx;
        const { project } = await fx.project();
        const { reward, action, job } = await newReward(fx, project.id);
        const queued = await queueAllocation(fx, reward, "n");
        const sendable = async () =>
          (await store.listSendableChainJobs(CHAIN, 10)).map((j) => j.id);
        assert.deepEqual(await sendable(), [job.id], "the allocation waits for the deployment");
        const deployJob = (await store.listOpenChainJobs(CHAIN, 10)).find(
          (j) => j.id === job.id,
        ) as ChainJob;
        const finish: ChainJobFinish = {
          job: deployJob,
          reward: { status: "deployed", contractAddress: "0xc0" },
          action: {
            status: "succeeded",
            data: { reward: { id: reward.id } },
            buildEvent: () => null,
          },
          status: "confirmed",
          minedBlock: { number: 7, hash: "0xb7" },
          at: T0 + 5,
        };
        const completed = await store.finishChainJob(finish);
        assert.equal(completed?.event, null, "a deployment publishes nothing");
        assert.equal((await store.getAction(project.id, action.id))?.status, "succeeded");
        assert.deepEqual(await store.getOriginalReward(project.id, reward.id), {
          ...reward,
          status: "deployed",
          contractAddress: "0xc0",
          updatedAt: T0 + 5,
        });
        assert.deepEqual(await sendable(), [queued.job.id], "now the allocation can go");
        await store.reopenChainJob(deployJob, T0 + 6);
        const reopened = await store.getOriginalReward(project.id, reward.id);
        assert.equal(reopened?.status, "deploying");
        assert.equal(reopened?.contractAddress, null);
        assert.equal((await store.getAction(project.id, action.id))?.status, "pending");
      },
    );
  });
}

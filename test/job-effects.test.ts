import assert from "node:assert/strict";
import { test } from "node:test";
import type { ChainJob, Nft } from "../src/core/chain/chain-types.js";
import { jobEffect, jobReversal, type ChainOutcome } from "../src/core/chain/job-effects.js";

// A transfer's effect on the NFT record and on its action's webhook, and what a reorg takes back.

const FROM = "0x00000000000000000000000000000000000000a1";
const TO = "0x00000000000000000000000000000000000000b2";
const job = {
  id: "j1",
  projectId: "p1",
  chain: "local",
  collectionId: "c1",
  actionId: "a1",
  status: "sent",
  txRecord: null,
  minedBlock: null,
  runAt: 0,
  createdAt: 0,
  updatedAt: 0,
  kind: "transfer",
  nftId: "n1",
  payload: { tokenId: "7", from: FROM, to: TO, keepInCustody: true },
} as ChainJob;
const nft = { id: "n1", owner: FROM, tokenId: "7" } as Nft;

test("a transfer: succeeded moves the owner; reverted keeps it and says why; a reorg gives it back", () => {
  const table: Array<[string, ChainOutcome, string | undefined, string]> = [
    ["succeeded", { status: "success", txHash: "0xabc" }, TO, TO],
    [
      "reverted",
      {
        status: "reverted",
        txHash: "0xdef",
        revert: {
          reason: "execution reverted: token not in custody",
          functionName: "custodyTransfer",
          arguments: {},
          calldata: "0x",
        },
      },
      undefined,
      FROM,
    ],
  ];
  for (const [name, outcome, owner, shown] of table) {
    const effect = jobEffect(job, outcome, null, nft);
    assert.equal(effect.nft?.owner, owner, name);
    const data = effect.data as any;
    assert.equal(data.token.owner.walletAddress, shown, name);
    assert.deepEqual(data.from, { walletAddress: FROM }, name);
    assert.deepEqual(data.to, { walletAddress: TO }, name);
    if (outcome.revert) {
      assert.equal(data.error.message, "Transfer reverted. Check 'revertReason' for details");
      assert.equal(data.error.revertReason, outcome.revert.reason);
    } else assert.equal(data.error, undefined, name);
  }
  // A reorg gives the token back only if this transfer moved it (a reverted one moved nothing).
  assert.deepEqual(jobReversal(job, { owner: TO }), { nft: { owner: FROM } });
  assert.deepEqual(jobReversal(job, { owner: FROM }), {});
  assert.deepEqual(jobReversal(job, null), {});
});

test("a reward's jobs: the deployment sets the reward (a reorg sets it back); operations change no record", () => {
  const rewardJob = (kind: string, nftId: string | null, payload: unknown) =>
    ({ ...job, collectionId: "r1", kind, nftId, payload }) as ChainJob;
  const deploy = rewardJob("rewardDeploy", null, {});
  const deployed = jobEffect(
    deploy,
    { status: "success", txHash: "0xd", contractAddress: "0xc0" },
    null,
    null,
  );
  assert.deepEqual(deployed.reward, { status: "deployed", contractAddress: "0xc0" });
  assert.deepEqual((deployed.data as any).reward, { id: "r1", contractAddress: "0xc0" });
  const failed = jobEffect(
    deploy,
    { status: "reverted", txHash: null, unsendable: "bad" },
    null,
    null,
  );
  assert.deepEqual(failed.reward, { status: "failed" });
  assert.deepEqual(jobReversal(deploy), { reward: { status: "deploying", contractAddress: null } });

  const allocate = rewardJob("allocate", "op1", { to: TO, amount: "5", nonce: "n" });
  const revert = {
    reason: "execution reverted: insufficient reward pool",
    functionName: "allocate",
    arguments: {},
    calldata: "0x",
  };
  const refused = jobEffect(allocate, { status: "reverted", txHash: "0xe", revert }, null, null);
  assert.equal(refused.reward, undefined);
  const data = refused.data as any;
  assert.deepEqual(data.operation, { id: "op1", to: TO, amount: "5", nonce: "n" });
  assert.equal(data.error.message, "Allocation reverted. Check 'revertReason' for details");
  assert.equal(data.error.revertReason, revert.reason);
  assert.deepEqual(jobReversal(allocate), {}, "its action going back to pending is all");
});

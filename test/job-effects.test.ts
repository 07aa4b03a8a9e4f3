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

import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeFunctionData, type Address } from "viem";
import { collectionArtifact, rewardsArtifact } from "../../src/chain/evm/artifacts.js";
import { allocationNonce, requestFor } from "../../src/chain/evm/jobs/requests.js";
import type { ChainJob, Collection } from "../../src/core/chain/chain-types.js";

// Which contract call each job sends: custody calls only where the job asks for them, so a
// collection deployed before custody existed keeps its plain mints and burns.

const CONTRACT = "0x00000000000000000000000000000000000000c0";
const A = "0x00000000000000000000000000000000000000A1";
const B = "0x00000000000000000000000000000000000000b2";
const collection = { status: "deployed", contractAddress: CONTRACT } as Collection;
const base = { collectionId: "c1", nftId: "n1" };

test("requestFor: mint, mint in custody, burn, burn for a holder, transfer in custody", () => {
  // prettier-ignore
  const table: Array<[string, Partial<ChainJob>, string, unknown[]]> = [
    ["a plain mint", { kind: "mint", payload: { to: A, tokenUri: "u" } }, "mintTo", [A, "u"]],
    ["a job queued before custody", { kind: "mint", payload: { to: A, tokenUri: "u", custody: false } }, "mintTo", [A, "u"]],
    ["a custodial mint", { kind: "mint", payload: { to: A, tokenUri: "u", custody: true } }, "mintToCustody", [A, "u"]],
    ["Crossmint's burn", { kind: "burn", payload: { tokenId: "7", tokenUri: "u" } }, "burn", [7n]],
    ["Original's burn", { kind: "burn", payload: { tokenId: "7", tokenUri: "u", from: A } }, "custodyBurn", [A, 7n]],
    ["a transfer", { kind: "transfer", payload: { tokenId: "7", from: A, to: B, keepInCustody: true } }, "custodyTransfer", [A, B, 7n, true]],
  ];
  for (const [name, job, functionName, args] of table) {
    const request = requestFor({ ...base, ...job } as ChainJob, collection, A as Address);
    assert.ok(
      typeof request === "object" && "data" in request,
      `${name}: ${JSON.stringify(request)}`,
    );
    assert.equal(request.to, CONTRACT, name);
    const decoded = decodeFunctionData({ abi: collectionArtifact.abi, data: request.data });
    assert.equal(decoded.functionName, functionName, name);
    assert.deepEqual(decoded.args, args, name);
  }
});

test("requestFor: a reward's allocate, claim and withdraw call its rewards contract; they wait for its deployment", () => {
  const reward = { status: "deployed", contractAddress: CONTRACT } as const;
  const nonce = allocationNonce("nonce_1");
  // prettier-ignore
  const table: Array<[string, Partial<ChainJob>, string, unknown[]]> = [
    ["an allocation", { kind: "allocate", payload: { to: A, amount: "1230000000000000000", nonce: "nonce_1" } }, "allocate", [A, 1230000000000000000n, nonce]],
    ["a claim", { kind: "claim", payload: { from: A, to: B, amount: "5" } }, "claim", [A, B, 5n]],
    ["a withdraw", { kind: "withdraw", payload: {} }, "withdraw", []],
  ];
  for (const [name, job, functionName, args] of table) {
    const request = requestFor({ ...base, ...job } as ChainJob, reward, A as Address);
    assert.ok(typeof request === "object" && "data" in request, name);
    assert.equal(request.to, CONTRACT, name);
    const decoded = decodeFunctionData({ abi: rewardsArtifact.abi, data: request.data });
    assert.equal(decoded.functionName, functionName, name);
    assert.deepEqual(decoded.args ?? [], args, name);
    const waiting = { status: "deploying", contractAddress: null } as const;
    assert.equal(requestFor({ ...base, ...job } as ChainJob, waiting, A as Address), "wait", name);
    assert.deepEqual(
      requestFor({ ...base, ...job } as ChainJob, null, A as Address),
      { fail: "the rewards contract does not exist" },
      name,
    );
  }
  // A nonce is the caller's text hashed: two texts, two nonces.
  assert.notEqual(allocationNonce("nonce_1"), allocationNonce("nonce_2"));
});

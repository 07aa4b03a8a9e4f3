// x-herald-max-fee-per-gas: a request's fee ceiling, kept with the chain jobs it queues. On the
// embedded chain: a mint capped just above the base fee offers exactly the ceiling; a mint whose
// ceiling is under the base fee waits, unsent, rather than pay more; a bad value is a 400.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { createPublicClient, formatGwei, type Hash } from "viem";
import { embeddedEvmChain, startTestHerald, type TestHerald } from "../helpers/herald.js";

let h: TestHerald;

before(async () => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
  h = await startTestHerald({ HERALD_CHAINS: JSON.stringify([{ name: "local", mintBatch: 1 }]) });
});
after(async () => {
  await h.stop();
});

const RECIPIENT = "local:0x10324e5B8879CA6662ff83617F74b0AaD251b819";

test("a bad x-herald-max-fee-per-gas is a 400 {error, message}, and nothing is queued", async () => {
  for (const value of ["abc", "0", "-1", "1e9", "0.0000000001", "1000000000000"]) {
    const res = await h.api(
      "POST",
      "/collections",
      { chain: "local", metadata: { name: "Refused" } },
      { "x-herald-max-fee-per-gas": value },
    );
    assert.equal(res.status, 400, `${value}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error, true, "Crossmint's error shape");
    assert.match(res.body.message, /x-herald-max-fee-per-gas must be gwei/);
  }
  const collections = await h.api("GET", "/collections");
  assert.equal(collections.status, 200);
  assert.equal(JSON.stringify(collections.body).includes("Refused"), false);
});

test("a mint offers no more than its request's ceiling; under the base fee it waits, unsent", async () => {
  const created = await h.api("POST", "/collections", {
    chain: "local",
    metadata: { name: "Ceilinged" },
  });
  assert.equal(
    (await h.api("GET", `/actions/${created.body.actionId}?wait=20`)).body.status,
    "succeeded",
  );
  const cid = created.body.id;
  const chain = await embeddedEvmChain(h.herald);
  const client = createPublicClient({ chain: chain.chain, transport: chain.transport });
  const base = (await client.getBlock()).baseFeePerGas!;
  const ceiling = base + 1n;

  const capped = await h.api(
    "POST",
    `/collections/${cid}/nfts`,
    { recipient: RECIPIENT, metadata: { name: "Capped" } },
    { "x-herald-max-fee-per-gas": formatGwei(ceiling) },
  );
  assert.equal(capped.status, 200, JSON.stringify(capped.body));
  const done = await h.api("GET", `/actions/${capped.body.actionId}?wait=20`);
  assert.equal(done.body.status, "succeeded", JSON.stringify(done.body));
  const tx = await client.getTransaction({ hash: done.body.data.txId as Hash });
  assert.equal(tx.maxFeePerGas, ceiling, "capped at the request's ceiling, not the estimate");

  // One wei: under any base fee. The node refuses it; nothing is paid, the action waits.
  const nonce = await client.getTransactionCount({ address: tx.from, blockTag: "pending" });
  const cheap = await h.api(
    "POST",
    `/collections/${cid}/nfts`,
    { recipient: RECIPIENT, metadata: { name: "Too cheap" } },
    { "x-herald-max-fee-per-gas": "0.000000001" },
  );
  assert.equal(cheap.status, 200, JSON.stringify(cheap.body));
  await sleep(1500);
  assert.equal((await h.api("GET", `/actions/${cheap.body.actionId}`)).body.status, "pending");
  assert.equal(
    await client.getTransactionCount({ address: tx.from, blockTag: "pending" }),
    nonce,
    "nothing was sent",
  );
  const [job] = (await h.herald.services.store.listOpenChainJobs("local", 10)).filter(
    (j) => j.actionId === cheap.body.actionId,
  );
  assert.equal(job?.maxFeePerGas, "1", "kept with the job, in wei");
  assert.equal(job?.status, "queued");
});

// The Solana chain watcher on the embedded cluster: an NFT's holder transfers it, then its new
// holder burns it, both outside Herald (signed by the holders, sent straight to the cluster).
// Each is published once as Original's `asset.transferred` / `asset.burned`, Herald's record
// follows, and a restart on the same data dir publishes nothing again.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { addressOfSeed, newSeed, signerOfSeed } from "../../src/chain/solana/keys.js";
import { embeddedSolana, eventually, startTestHerald, type TestHerald } from "../helpers/herald.js";
import { Receiver } from "../helpers/receiver.js";
import { holderBurn, holderTransfer } from "../helpers/solana-holder.js";

let h: TestHerald;
let receiver: Receiver;
const dataDir = mkdtempSync(join(tmpdir(), "herald-solana-watcher-"));

before(async () => {
  h = await startTestHerald({ HERALD_DATA_DIR: dataDir });
  receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/hook` });
  assert.equal(endpoint.status, 201);
});
after(async () => {
  await h.stop();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const events = (type: string, mint: string) =>
  receiver.requests.filter(
    (r) =>
      (r.json?.event === type || r.json?.type === type) && JSON.stringify(r.json).includes(mint),
  );

test("a holder's transfer and burn outside Herald: asset.transferred, asset.burned, once each", async () => {
  const holderSeed = newSeed();
  const holder = await signerOfSeed(holderSeed);
  const second = await signerOfSeed(newSeed());
  const mint = await h.api("POST", "/collections/default-solana/nfts", {
    recipient: `solana:${holder.address}`,
    metadata: { name: "Watched", image: "https://example.com/w.png" },
  });
  assert.equal(mint.status, 200, JSON.stringify(mint.body));
  const minted = await eventually(
    () =>
      receiver.requests.find(
        (r) => r.json?.type === "nfts.create.succeeded" && r.json.actionId === mint.body.actionId,
      ),
    { timeoutMs: 60_000, message: "the mint's webhook" },
  );
  const mintHash: string = minted!.json.data.token.mintHash;
  const cluster = await embeddedSolana(h.herald);
  const lifetime = await cluster.latestBlockhash();

  // The holder pays its own fees: fund it as a faucet would.
  cluster.svm.airdrop(holder.address, 1_000_000_000n as never);
  cluster.svm.airdrop(second.address, 1_000_000_000n as never);
  const transfer = await holderTransfer(holder, mintHash, second.address, lifetime);
  await cluster.send(transfer.wire);
  const moved = await eventually(() => events("asset.transferred", mintHash)[0], {
    timeoutMs: 60_000,
    message: "asset.transferred",
  });
  const log = moved.json.data.transaction_log;
  assert.equal(log.type, "transfer");
  assert.equal(log.transaction_hash, transfer.signature);
  assert.equal(log.from_address, holder.address);
  assert.equal(log.to_address, second.address);
  assert.equal(moved.json.data.asset.uid, mint.body.id);
  const nft = await h.api("GET", `/collections/default-solana/nfts/${mint.body.id}`);
  assert.equal(nft.body.onChain.owner, second.address, "Herald's record follows the token");

  const burn = await holderBurn(second, mintHash, lifetime);
  await cluster.send(burn.wire);
  const burned = await eventually(() => events("asset.burned", mintHash)[0], {
    timeoutMs: 60_000,
    message: "asset.burned",
  });
  assert.equal(burned.json.data.transaction_log.transaction_hash, burn.signature);
  assert.equal(burned.json.data.transaction_log.from_address, second.address);
  const gone = await h.api("GET", `/collections/default-solana/nfts/${mint.body.id}`);
  assert.equal(gone.body.onChain.status, "burned");

  // GET /chains: the embedded cluster, live, its fee payer's balance in SOL.
  const chains = (await h.api("GET", "/chains")).body.data as any[];
  const solana = chains.find((c) => c.name === "solana");
  assert.equal(solana.family, "solana");
  assert.equal(solana.embedded, true);
  assert.equal(solana.chainId, null);
  assert.equal(solana.running, true);
  assert.ok(solana.head > 0);
  assert.equal(solana.signers.length, 1);
  assert.match(solana.signers[0].balance, /^\d+(\.\d{1,9})?$/);
  assert.equal(solana.signers[0].nonce, null);
  const local = chains.find((c) => c.name === "local");
  assert.deepEqual(
    { running: local.running, signers: local.signers, head: local.head },
    { running: false, signers: [], head: null },
    "a chain with no work is not started",
  );

  // A restart replays the cluster and resumes the watcher where it stopped: nothing twice.
  await h.stop();
  h = await startTestHerald({ HERALD_DATA_DIR: dataDir });
  const another = await h.api("POST", "/collections/default-solana/nfts", {
    recipient: `solana:${addressOfSeed(newSeed())}`,
    metadata: { name: "After the restart", image: "https://example.com/a.png" },
  });
  await h.api("GET", `/actions/${another.body.actionId}?wait=30`);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.equal(events("asset.transferred", mintHash).length, 1);
  assert.equal(events("asset.burned", mintHash).length, 1);
});

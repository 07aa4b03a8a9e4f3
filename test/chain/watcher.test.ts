// The chain watcher: Original's chain-observed events from the Transfer and MetadataUpdate logs
// of managed collections. Herald's own mint and edit give `asset.minted` and `asset.edited`;
// activity it did not initiate (a holder's transfer, a deposit into a custodial wallet, a
// holder's burn) gives `asset.transferred` and `asset.burned` and updates Herald's records.
// Against a `hardhat node` over HTTP, the watcher resumes after a restart from its last block
// and publishes nothing twice, including what happened while Herald was down.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { Webhook } from "standardwebhooks";
import {
  createPublicClient,
  createWalletClient,
  http,
  parseEther,
  type Address,
  type Chain,
  type Hex,
  type Transport,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { collectionArtifact } from "../../src/chain/evm/artifacts.js";
import { startHardhatNode, NODE_KEY, type HardhatNode } from "../helpers/hardhat-node.js";
import {
  embeddedEvmChain,
  eventually,
  startTestHerald,
  type TestHerald,
} from "../helpers/herald.js";
import { Receiver, type ReceivedRequest } from "../helpers/receiver.js";

before(() => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
});

function assetWebhooks(receiver: Receiver, type?: string): ReceivedRequest[] {
  return receiver.requests.filter(
    // Original's events arrive in Original's body: the type is its `event`.
    (r) => r.json?.event?.startsWith("asset.") && (type === undefined || r.json.event === type),
  );
}

/** A holder's own transaction on the collection (not Herald's). */
function holderCall(transport: Transport, chain: Chain, key: Hex, contract: Address) {
  const account = privateKeyToAccount(key);
  const wallet = createWalletClient({ account, chain, transport });
  const client = createPublicClient({ chain, transport, pollingInterval: 20 });
  return async (functionName: "transferFrom" | "burn", args: unknown[]) => {
    const hash = await wallet.writeContract({
      address: contract,
      abi: collectionArtifact.abi,
      functionName,
      args,
      account,
      chain,
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    return hash;
  };
}

async function settled(h: TestHerald, actionId: string) {
  const action = (await h.api("GET", `/actions/${actionId}?wait=20`)).body;
  assert.equal(action.status, "succeeded", JSON.stringify(action));
  return action;
}

describe("on the embedded chain", () => {
  let h: TestHerald;
  let receiver: Receiver;
  let secret: string;

  // The operator's own key signs for Herald, and pays the holder's gas here.
  const signerKey = generatePrivateKey();

  before(async () => {
    h = await startTestHerald({
      HERALD_CHAINS: JSON.stringify([{ name: "local", privateKey: signerKey }]),
    });
    receiver = await Receiver.start();
    const endpoint = await h.api("POST", "/webhooks/endpoints", {
      url: receiver.url + "/hook",
      eventTypes: ["asset.*", "nfts.delete.succeeded"],
    });
    secret = endpoint.body.secret;
  });
  after(async () => {
    await h.stop();
    await receiver.close();
  });

  test("own mints and edits, external transfers, a deposit and burns, each published once", async () => {
    const created = await h.api("POST", "/collections", {
      chain: "local",
      metadata: { name: "Watched", symbol: "WTC", description: "seen on chain" },
    });
    await settled(h, created.body.actionId);
    const cid = created.body.id;
    const collection = (await h.api("GET", `/collections/${cid}`)).body;
    const contract = collection.onChain.contractAddress as Address;
    const holderKey = generatePrivateKey();
    const holder = privateKeyToAccount(holderKey).address;
    const other = privateKeyToAccount(generatePrivateKey()).address;

    const mintTo = async (recipient: string, name: string) => {
      const mint = await h.api("POST", `/collections/${cid}/nfts`, {
        recipient,
        metadata: { name },
      });
      await settled(h, mint.body.actionId);
      return (await h.api("GET", `/collections/${cid}/nfts/${mint.body.id}`)).body;
    };
    const one = await mintTo(`local:${holder}`, "One");
    const two = await mintTo("email:ada@example.com:local", "Two");
    const three = await mintTo(`local:${holder}`, "Three");
    const edit = await h.api("PATCH", `/collections/${cid}/nfts/${one.id}`, {
      metadata: { name: "One, edited" },
    });
    await settled(h, edit.body.actionId);

    await eventually(() => assetWebhooks(receiver, "asset.minted").length === 3, {
      message: "three asset.minted",
    });
    const minted = assetWebhooks(receiver, "asset.minted");
    const first = minted.find((r) => r.json.data.asset.uid === one.id)!;
    new Webhook(secret).verify(first.body, {
      "webhook-id": String(first.headers["webhook-id"]),
      "webhook-timestamp": String(first.headers["webhook-timestamp"]),
      "webhook-signature": String(first.headers["webhook-signature"]),
    });
    const project = await h.herald.services.store.getProjectByName("default");
    assert.deepEqual(first.json.data.app, {
      uid: project!.id,
      name: "default",
      region: "EU",
      environment: "Development",
    });
    assert.equal(first.json["x-app-uid"], project!.id);
    assert.equal(first.json.data.asset.token_id, 1);
    assert.equal(first.json.data.asset.name, "One");
    assert.match(
      first.json.data.asset.token_uri,
      new RegExp(`/metadata/${project!.id}/${cid}/${one.id}$`),
    );
    assert.deepEqual(first.json.data.collection, {
      uid: cid,
      name: "Watched",
      type: "ERC721",
      symbol: "WTC",
      website: null,
      image_url: null,
      description: "seen on chain",
      contract_address: contract,
    });
    assert.equal(first.json.data.transaction_log.type, "mint");
    assert.equal(first.json.data.transaction_log.chain_id, 31337);
    assert.equal(
      first.json.data.transaction_log.from_address,
      "0x0000000000000000000000000000000000000000",
    );
    assert.equal(first.json.data.transaction_log.to_address, holder);
    const forAda = minted.find((r) => r.json.data.asset.uid === two.id)!;
    assert.deepEqual(forAda.json.data.asset.mint_for_app_user, {
      uid: null,
      email: "ada@example.com",
      user_external_id: null,
      wallet_id: `local:${two.onChain.owner}`,
      wallet_address: two.onChain.owner,
    });
    const edited = await eventually(() => assetWebhooks(receiver, "asset.edited")[0], {
      message: "asset.edited",
    });
    assert.equal(edited.json.data.asset.uid, one.id);
    assert.equal(edited.json.data.asset.name, "One, edited", "published after the edit's record");
    assert.equal(edited.json.data.transaction_log.type, "edit");

    // Activity Herald did not initiate: the holder pays its own gas.
    const embedded = await embeddedEvmChain(h.herald);
    const operator = createWalletClient({
      account: privateKeyToAccount(signerKey),
      chain: embedded.chain,
      transport: embedded.transport,
    });
    await operator.sendTransaction({ to: holder, value: parseEther("1") });
    const call = holderCall(embedded.transport, embedded.chain, holderKey, contract);
    const transferHash = await call("transferFrom", [holder, other, 1n]);
    const transferred = await eventually(() => assetWebhooks(receiver, "asset.transferred")[0], {
      message: "asset.transferred",
    });
    assert.equal(transferred.json.data.asset.uid, one.id);
    assert.deepEqual(
      {
        ...transferred.json.data.transaction_log,
        block_number: undefined,
        log_index: undefined,
      },
      {
        type: "transfer",
        chain_id: 31337,
        chain: "local",
        transaction_hash: transferHash,
        block_number: undefined,
        log_index: undefined,
        from_address: holder,
        to_address: other,
      },
    );
    const moved = (await h.api("GET", `/collections/${cid}/nfts/${one.id}`)).body;
    assert.equal(moved.onChain.owner, other, "Herald's record follows the chain");

    // A deposit: into Ada's custodial wallet.
    await call("transferFrom", [holder, two.onChain.owner, 3n]);
    const deposit: ReceivedRequest = await eventually(
      () =>
        assetWebhooks(receiver, "asset.transferred").find(
          (r) => r.json.data.transaction_log.deposit,
        )!,
      { message: "the deposit" },
    );
    assert.equal(deposit.json.data.asset.uid, three.id);
    assert.deepEqual(deposit.json.data.transaction_log.to_app_user, { email: "ada@example.com" });

    // A holder's burn, then Herald's own.
    const four = await mintTo(`local:${holder}`, "Four");
    await call("burn", [BigInt(four.onChain.tokenId)]);
    await eventually(() => assetWebhooks(receiver, "asset.burned").length === 1, {
      message: "asset.burned by the holder",
    });
    const burned = (await h.api("GET", `/collections/${cid}/nfts/${four.id}`)).body;
    assert.equal(burned.onChain.status, "burned");
    const burn = await h.api("DELETE", `/collections/${cid}/nfts/${two.id}`);
    await settled(h, burn.body.actionId);
    await eventually(() => assetWebhooks(receiver, "asset.burned").length === 2, {
      message: "asset.burned by Herald",
    });

    await sleep(300);
    const counts = Object.fromEntries(
      ["asset.minted", "asset.edited", "asset.transferred", "asset.burned"].map((type) => [
        type,
        assetWebhooks(receiver, type).length,
      ]),
    );
    assert.deepEqual(counts, {
      "asset.minted": 4,
      "asset.edited": 1,
      "asset.transferred": 2,
      "asset.burned": 2,
    });
    const ids = assetWebhooks(receiver).map((r) => r.headers["webhook-id"]);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe("over HTTP JSON-RPC, across a restart", () => {
  let node: HardhatNode;
  let receiver: Receiver;
  let dataDir: string;
  // Hardhat's second default account: funded on every `hardhat node`.
  const holderKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  const holder = privateKeyToAccount(holderKey).address;
  const env = () => ({
    HERALD_DATA_DIR: dataDir,
    HERALD_CHAINS: JSON.stringify([
      { name: "devnet", rpcUrl: node.rpcUrl, chainId: 31337, privateKey: NODE_KEY },
    ]),
  });

  before(async () => {
    node = await startHardhatNode();
    receiver = await Receiver.start();
    dataDir = mkdtempSync(join(tmpdir(), "herald-watcher-"));
  });
  after(async () => {
    await receiver.close();
    node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("the watcher resumes from its last block: what happened while down, once", async () => {
    let h = await startTestHerald(env());
    await h.api("POST", "/webhooks/endpoints", { url: receiver.url, eventTypes: ["asset.*"] });
    const created = await h.api("POST", "/collections", {
      chain: "devnet",
      metadata: { name: "Restarted" },
    });
    await settled(h, created.body.actionId);
    const cid = created.body.id;
    const contract = (await h.api("GET", `/collections/${cid}`)).body.onChain.contractAddress;
    const mint = await h.api("POST", `/collections/${cid}/nfts`, {
      recipient: `devnet:${holder}`,
      metadata: { name: "Traveller" },
    });
    await settled(h, mint.body.actionId);
    await eventually(() => assetWebhooks(receiver, "asset.minted").length === 1, {
      timeoutMs: 15_000,
      message: "asset.minted",
    });
    await h.stop();

    const chain = { id: 31337, name: "devnet" } as Chain;
    const call = holderCall(http(node.rpcUrl), chain, holderKey, contract);
    const away = privateKeyToAccount(generatePrivateKey()).address;
    const whileDown = await call("transferFrom", [holder, away, 1n]);

    h = await startTestHerald(env());
    const seen = await eventually(() => assetWebhooks(receiver, "asset.transferred")[0], {
      timeoutMs: 15_000,
      message: "the transfer made while Herald was down",
    });
    assert.equal(seen.json.data.transaction_log.transaction_hash, whileDown);
    assert.equal(seen.json.data.asset.uid, mint.body.id);
    await sleep(2500); // more polls of the watcher: nothing published twice
    assert.equal(assetWebhooks(receiver, "asset.minted").length, 1);
    assert.equal(assetWebhooks(receiver, "asset.transferred").length, 1);
    await h.stop();
  });
});

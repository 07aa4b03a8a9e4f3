// Herald on a Solana cluster reached over JSON-RPC (rpc-ledger.ts): the endpoint is served by
// the test over LiteSVM (test/helpers/solana-rpc-server.ts), as no validator can be installed on
// these machines. Collections and mints over RPC, a blockhash that expires under dropped sends
// (re-signed once, with a higher priority fee, minted once), a program error refused at
// preflight and one that landed, both decoded; and the methods Herald calls are exactly the
// ones docs/chain.md lists. Every webhook is verified with svix.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  decodeMint,
  decodeToken,
  findAssociatedTokenPda,
  TOKEN_2022_PROGRAM_ADDRESS,
  type Mint,
} from "@solana-program/token-2022";
import {
  getBase64Decoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  type Address,
} from "@solana/kit";
import { buildTx } from "../../src/chain/solana/build-tx.js";
import {
  addressOfSeed,
  fromBase58,
  newSeed,
  signerOfSeed,
  toBase58,
} from "../../src/chain/solana/keys.js";
import { COMPUTE_BUDGET_PROGRAM } from "../../src/chain/solana/programs.js";
import { setGroupMaxSize } from "../../src/chain/solana/token/instructions.js";
import { isSolanaTxRecord } from "../../src/chain/solana/tx-record.js";
import { eventually, startTestHerald, type TestHerald } from "../helpers/herald.js";
import { svixWebhook } from "../helpers/svix-webhook.js";
import { Receiver, type ReceivedRequest } from "../helpers/receiver.js";
import { holderBurn, holderTransfer } from "../helpers/solana-holder.js";
import { SERVED_METHODS, SolanaRpcServer } from "../helpers/solana-rpc-server.js";

const CHAIN = "solana-devnet";
const RECIPIENT = "EjLpq6RAxzPuwjcwJ2C6ZjwrFZuqhu2CiVTDzkSSCE5B";
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,88}$/;
const HANG_MS = 60_000;

const payerSeed = newSeed();
const payerAddress = addressOfSeed(payerSeed);

let rpc: SolanaRpcServer;
// The fee payer as a keypair file's 64 bytes in base58: the seed, then the public key.
const privateKey = toBase58(Buffer.concat([payerSeed, fromBase58(payerAddress)]));
let h: TestHerald;
let receiver: Receiver;
let secret: string;
const dataDir = mkdtempSync(join(tmpdir(), "herald-solana-rpc-"));
const heraldEnv = () => ({
  HERALD_DATA_DIR: dataDir,
  HERALD_CHAINS: JSON.stringify([{ name: CHAIN, family: "solana", rpcUrl: rpc.url, privateKey }]),
});

before(async () => {
  rpc = await SolanaRpcServer.start(payerAddress);
  h = await startTestHerald(heraldEnv());
  receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/hook` });
  assert.equal(endpoint.status, 201);
  secret = endpoint.body.secret;
});
after(async () => {
  await h?.stop();
  await receiver?.close();
  await rpc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const received = (type: string, actionId: string) =>
  receiver.requests.filter(
    (r: ReceivedRequest) => r.json?.type === type && r.json?.actionId === actionId,
  );

async function webhook(type: string, actionId: string): Promise<any> {
  return (await svixWebhook({ receiver, secret }, type, actionId, HANG_MS)).body;
}

function onChain(address: string) {
  const account = rpc.svm.getAccount(address as Address);
  return account.exists ? account : null;
}

function extensionOf<K extends string>(mint: { data: Mint }, kind: K) {
  const extensions = mint.data.extensions.__option === "Some" ? mint.data.extensions.value : [];
  return extensions.find((e) => e.__kind === kind) as Extract<
    (typeof extensions)[number],
    { __kind: K }
  >;
}

/** The priority fee a signed transaction pays (ComputeBudget SetComputeUnitPrice), or 0. */
function priceOf(wire: Uint8Array): bigint {
  const tx = getTransactionDecoder().decode(wire);
  const message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes);
  assert.ok("instructions" in message);
  for (const ix of message.instructions) {
    const data = ix.data;
    if (message.staticAccounts[ix.programAddressIndex] !== COMPUTE_BUDGET_PROGRAM) continue;
    if (!data || data[0] !== 3) continue;
    return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(1, true);
  }
  return 0n;
}

async function createCollection(name: string): Promise<{ id: string; mintAddress: string }> {
  const res = await h.api("POST", "/collections/", {
    chain: CHAIN,
    metadata: {
      name,
      description: "over JSON-RPC",
      imageUrl: "https://x.example/c.png",
      symbol: "RPC",
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const event = await webhook("collections.create.succeeded", res.body.actionId);
  assert.equal(event.data.chain, CHAIN);
  assert.match(event.data.txId, BASE58);
  return { id: res.body.id, mintAddress: event.data.collection.mintAddress };
}

async function mint(collectionId: string, name: string) {
  const res = await h.api("POST", `/collections/${collectionId}/nfts`, {
    recipient: `${CHAIN}:${RECIPIENT}`,
    metadata: { name, image: "https://x.example/i.png", description: "over JSON-RPC" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { id: string; actionId: string };
}

let collection: { id: string; mintAddress: string };

test("a collection and a mint over JSON-RPC: token.mintHash, and the mint on the cluster", async () => {
  collection = await createCollection("Over RPC");
  assert.match(collection.mintAddress, BASE58);
  const group = decodeMint(onChain(collection.mintAddress)!);
  assert.equal(extensionOf(group, "TokenMetadata").name, "Over RPC");

  const nft = await mint(collection.id, "Minted over RPC");
  const event = await webhook("nfts.create.succeeded", nft.actionId);
  assert.equal(event.data.chain, CHAIN);
  assert.match(event.data.txId, BASE58);
  assert.deepEqual(event.data.collection, collection);
  const mintHash = event.data.token.mintHash;
  assert.match(mintHash, BASE58);
  assert.deepEqual(event.data.token, { id: nft.id, owner: { walletAddress: RECIPIENT }, mintHash });
  const minted = decodeMint(onChain(mintHash)!);
  assert.equal(minted.data.supply, 1n);
  assert.equal(minted.data.mintAuthority.__option, "None");
  assert.equal(extensionOf(minted, "TokenMetadata").name, "Minted over RPC");
  assert.equal(extensionOf(minted, "TokenGroupMember").group, collection.mintAddress);
  const [ata] = await findAssociatedTokenPda({
    owner: RECIPIENT as Address,
    mint: mintHash,
    tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
  });
  assert.equal(decodeToken(onChain(ata)!).data.amount, 1n);
  // The transaction Herald reported is the one the cluster ran.
  assert.ok(rpc.sends.some((s) => s.signature === event.data.txId && !s.dropped));

  // An edit reads the mint account over RPC (getAccountInfo) to top its rent up.
  const edit = await h.api("PATCH", `/collections/${collection.id}/nfts/${nft.id}`, {
    metadata: {
      name: "Renamed over RPC, with a longer name than before",
      image: "https://x.example/i.png",
      description: "edited",
    },
  });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  const edited = await webhook("nfts.update.succeeded", edit.body.actionId);
  assert.equal(edited.data.token.mintHash, mintHash);
  assert.equal(
    extensionOf(decodeMint(onChain(mintHash)!), "TokenMetadata").name,
    "Renamed over RPC, with a longer name than before",
  );
});

test("sends dropped until the blockhash expires: re-signed once with a higher priority fee, minted once", async () => {
  const groupSize = () =>
    extensionOf(decodeMint(onChain(collection.mintAddress)!), "TokenGroup").size;
  const sizeBefore = groupSize();
  const sendsBefore = rpc.sends.length;
  rpc.dropSends = true;
  const nft = await mint(collection.id, "Lost, then re-signed");
  // Herald recorded the job as sent (its first attempt), and the node dropped that send.
  const job = (await eventually(
    async () => {
      const open = await h.herald.services.store.listOpenChainJobs(CHAIN, 100);
      const found = open.find((j) => j.nftId === nft.id && j.status === "sent");
      return found && rpc.dropped.length > 0 ? found : null;
    },
    { timeoutMs: HANG_MS, message: "the first attempt, sent and dropped" },
  ))!;
  assert.ok(isSolanaTxRecord(job.txRecord));
  const [first] = job.txRecord.attempts;
  assert.equal(job.txRecord.attempts.length, 1);
  assert.equal(first!.price, "1000"); // an RPC chain's first priority fee
  assert.ok(rpc.dropped.every((s) => s.signature === first!.signature));
  assert.equal(priceOf(rpc.dropped[0]!.wire), 1000n);

  // The cluster moves past the attempt's last valid block height; the node takes sends again.
  rpc.advance(10);
  rpc.dropSends = false;

  const event = await webhook("nfts.create.succeeded", nft.actionId);
  const mintHash = event.data.token.mintHash;
  assert.equal(mintHash, job.txRecord.mint!.address); // the mint chosen before the first send
  const executed = rpc.sends.slice(sendsBefore).filter((s) => !s.dropped);
  assert.equal(executed.length, 1, "one send executed: the re-signed attempt");
  const [second] = executed;
  assert.equal(event.data.txId, second!.signature);
  assert.notEqual(second!.signature, first!.signature);
  assert.equal(priceOf(second!.wire), 2000n); // the fee doubled
  // The first attempt never landed; the NFT exists once.
  assert.deepEqual(await rpc.cluster.statuses([first!.signature]), [null]);
  assert.equal(decodeMint(onChain(mintHash)!).data.supply, 1n);
  assert.equal(groupSize(), sizeBefore + 1n);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(received("nfts.create.succeeded", nft.actionId).length, 1);
});

test("a program error, refused at preflight or landed: nfts.create.failed names it decoded", async () => {
  const full = await createCollection("Closed group");
  // The group is closed on the cluster behind Herald's back: its update authority (the fee
  // payer) sets its max size to 0, so no member can join.
  const payer = await signerOfSeed(payerSeed);
  const close = await buildTx(
    payer,
    setGroupMaxSize(payer, full.mintAddress as Address, 0n),
    await rpc.cluster.latestBlockhash(),
    0n,
  );
  await rpc.cluster.send(close.wire);
  const decoded =
    /^instruction \d+ \(Token-2022\) failed: TokenGroupError::SizeExceedsMaxSize \(0xcb0a6959\)/;

  // Refused at preflight (-32002): never sent, so no transaction.
  const sendsBefore = rpc.sends.length;
  const refused = await mint(full.id, "Refused at preflight");
  const failed = await webhook("nfts.create.failed", refused.actionId);
  assert.equal(failed.data.error.reason, "program_error");
  assert.match(failed.data.error.message, decoded);
  assert.equal(rpc.sends.length, sendsBefore, "a transaction refused at preflight is not sent");

  // Passed preflight, failed on the cluster: it landed with its error, read back with its logs.
  rpc.preflight = false;
  try {
    const landed = await mint(full.id, "Landed and failed");
    const event = await webhook("nfts.create.failed", landed.actionId);
    assert.equal(event.data.error.reason, "program_error");
    assert.match(event.data.error.message, decoded);
    const sent = rpc.sends.slice(sendsBefore);
    assert.equal(sent.length, 1);
    const [status] = await rpc.cluster.statuses([sent[0]!.signature]);
    assert.ok(status?.err, "it landed, failed");
  } finally {
    rpc.preflight = true;
  }
  assert.ok(rpc.calls.includes("getTransaction"), "the failed transaction's logs were read");
});

/** The methods docs/chain.md lists under "Solana over JSON-RPC: the methods Herald calls". */
function documentedMethods(): string[] {
  const doc = readFileSync(new URL("../../docs/chain.md", import.meta.url), "utf8");
  const start = doc.indexOf("Solana over JSON-RPC: the methods Herald calls");
  assert.ok(start >= 0, "docs/chain.md has the subsection");
  const rest = doc.slice(start);
  const end = rest.search(/\n#+ /);
  const section = end === -1 ? rest : rest.slice(0, end);
  return [...section.matchAll(/`(get[A-Za-z]+|sendTransaction)`/g)].map((m) => m[1]!);
}

test("commitment finalized: an action completes only once its transaction is finalized", async () => {
  rpc.finalizeAfterSlots = 32;
  const chains = [
    { name: CHAIN, family: "solana", rpcUrl: rpc.url, privateKey, commitment: "finalized" },
  ];
  const final = await startTestHerald({ HERALD_CHAINS: JSON.stringify(chains) });
  try {
    // Distinct transactions the cluster ran (a rebroadcast is the same one).
    const executed = () =>
      new Set(rpc.sends.filter((s) => !s.dropped).map((s) => s.signature)).size;
    const still = async (path: string, what: string) => {
      // Landed and confirmed, not finalized: a few polls later it is still pending.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const status = (await final.api("GET", path)).body.status;
      assert.equal(status, "pending", `${what} waits for finalized`);
    };
    const sent = executed();
    const res = await final.api("POST", `/collections/default-${CHAIN}/nfts`, {
      recipient: `${CHAIN}:${RECIPIENT}`,
      metadata: { name: "Finalized", image: "https://x.example/i.png", description: "d" },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // The default collection's deployment lands first.
    await eventually(() => executed() > sent, { timeoutMs: HANG_MS, message: "the deployment" });
    const collection = (await final.api("GET", `/collections/default-${CHAIN}`)).body;
    await still(`/actions/${collection.actionId}`, "the deployment");
    rpc.advance(32);
    await eventually(() => executed() > sent + 1, { timeoutMs: HANG_MS, message: "the mint" });
    await still(`/actions/${res.body.actionId}`, "the mint");
    rpc.advance(32);
    const done = await eventually(
      async () => {
        const action = (await final.api("GET", `/actions/${res.body.actionId}`)).body;
        return action.status === "pending" ? null : action;
      },
      { timeoutMs: HANG_MS, message: "the mint, finalized" },
    );
    assert.equal(done.status, "succeeded", JSON.stringify(done));
  } finally {
    rpc.finalizeAfterSlots = 0;
    await final.stop();
  }
});

/** A holder's own transaction, sent over JSON-RPC as a wallet sends it. */
async function sendAsWallet(wire: Uint8Array): Promise<void> {
  const response = await fetch(rpc.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "sendTransaction",
      params: [getBase64Decoder().decode(wire), { encoding: "base64" }],
    }),
  });
  const answer = (await response.json()) as { error?: unknown };
  assert.equal(answer.error, undefined, JSON.stringify(answer));
}

test("the watcher over JSON-RPC: a holder's transfer, then a burn made while Herald was down, each published once", async () => {
  const holder = await signerOfSeed(newSeed());
  const second = await signerOfSeed(newSeed());
  const res = await h.api("POST", `/collections/${collection.id}/nfts`, {
    recipient: `${CHAIN}:${holder.address}`,
    metadata: { name: "Watched over RPC", image: "https://x.example/w.png", description: "w" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const mintHash: string = (await webhook("nfts.create.succeeded", res.body.actionId)).data.token
    .mintHash;
  // Original's events name their type in `event`.
  const moves = (type: string) =>
    receiver.requests.filter(
      (r) => r.json?.event === type && JSON.stringify(r.json).includes(mintHash),
    );
  rpc.svm.airdrop(holder.address, 1_000_000_000n as never);
  rpc.svm.airdrop(second.address, 1_000_000_000n as never);
  const transfer = await holderTransfer(
    holder,
    mintHash,
    second.address,
    await rpc.cluster.latestBlockhash(),
  );
  await sendAsWallet(transfer.wire);
  const moved = await eventually(() => moves("asset.transferred")[0], {
    timeoutMs: HANG_MS,
    message: "asset.transferred over RPC",
  });
  assert.equal(moved.json.data.transaction_log.transaction_hash, transfer.signature);
  assert.equal(moved.json.data.transaction_log.from_address, holder.address);
  assert.equal(moved.json.data.transaction_log.to_address, second.address);
  const nft = await h.api("GET", `/collections/${collection.id}/nfts/${res.body.id}`);
  assert.equal(nft.body.onChain.owner, second.address, "Herald's record follows the token");

  // Herald stops; the new holder burns the token; Herald starts again on the same data and
  // reads from the slot it had reached.
  await h.stop();
  rpc.advance(3);
  const burn = await holderBurn(second, mintHash, await rpc.cluster.latestBlockhash());
  await sendAsWallet(burn.wire);
  rpc.advance(3);
  h = await startTestHerald(heraldEnv());
  const burned = await eventually(() => moves("asset.burned")[0], {
    timeoutMs: HANG_MS,
    message: "asset.burned, seen after the restart",
  });
  assert.equal(burned.json.data.transaction_log.transaction_hash, burn.signature);
  assert.equal(burned.json.data.transaction_log.from_address, second.address);
  const gone = await h.api("GET", `/collections/${collection.id}/nfts/${res.body.id}`);
  assert.equal(gone.body.onChain.status, "burned");
  // Two more passes of the watcher (2 s apart) publish nothing again.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  assert.equal(moves("asset.transferred").length, 1);
  assert.equal(moves("asset.burned").length, 1);
});

test("Herald called exactly the JSON-RPC methods docs/chain.md lists", () => {
  const documented = [...new Set(documentedMethods())].sort();
  assert.deepEqual(documented, [...SERVED_METHODS].sort());
  assert.deepEqual(rpc.methods().sort(), documented);
});

// Crossmint's API on `solana`, the embedded LiteSVM cluster: the documented Solana shapes
// (`collection.mintAddress`, `token.mintHash`, base58 `txId`), every webhook verified with svix,
// and what is on chain read back from the runtime: Token-2022 mints with their metadata.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  decodeMint,
  decodeToken,
  findAssociatedTokenPda,
  TOKEN_2022_PROGRAM_ADDRESS,
  type Mint,
} from "@solana-program/token-2022";
import type { Address } from "@solana/kit";
import { embeddedSolana, eventually, startTestHerald, type TestHerald } from "../helpers/herald.js";
import { svixWebhook } from "../helpers/svix-webhook.js";
import { Receiver } from "../helpers/receiver.js";

let h: TestHerald;
let receiver: Receiver;
let secret: string;

before(async () => {
  h = await startTestHerald();
  receiver = await Receiver.start();
  const endpoint = await h.api("POST", "/webhooks/endpoints", { url: `${receiver.url}/hook` });
  assert.equal(endpoint.status, 201);
  secret = endpoint.body.secret;
});
after(async () => {
  await h.stop();
  await receiver.close();
});

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,88}$/;

async function webhook(type: string, actionId: string): Promise<any> {
  return (await svixWebhook({ receiver, secret }, type, actionId, 60_000)).body;
}

async function onChain(address: string) {
  const cluster = await embeddedSolana(h.herald);
  const account = cluster.svm.getAccount(address as Address);
  return account.exists ? account : null;
}

function metadataOf(mint: { data: Mint }) {
  const extensions = mint.data.extensions.__option === "Some" ? mint.data.extensions.value : [];
  return extensions.find((e) => e.__kind === "TokenMetadata") as { name: string; symbol: string };
}

let collectionId: string;
let collectionMint: string;

test("a collection on solana: collections.create.succeeded with collection.mintAddress", async () => {
  const res = await h.api("POST", "/collections/", {
    chain: "solana",
    metadata: {
      name: "Sample NFT Collection",
      description: "A Solana collection",
      imageUrl: "https://www.crossmint.com/assets/crossmint/logo.png",
      symbol: "TOKEN",
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.onChain, { chain: "solana", type: "token-2022" });
  collectionId = res.body.id;
  const event = await webhook("collections.create.succeeded", res.body.actionId);
  assert.equal(event.data.chain, "solana");
  assert.match(event.data.txId, BASE58);
  assert.deepEqual(Object.keys(event.data.collection).sort(), ["id", "mintAddress"]);
  collectionMint = event.data.collection.mintAddress;
  assert.match(collectionMint, BASE58);
  const got = await h.api("GET", `/collections/${collectionId}`);
  assert.equal(got.body.onChain.mintAddress, collectionMint);
  assert.equal(got.body.onChain.contractAddress, undefined);
  // The fee payer's balance in the metrics: a million SOL at genesis, less what it paid.
  const balance = await eventually(
    async () => {
      const text = await fetch(`${h.url}/metrics`).then((r) => r.text());
      const found = /herald_signer_balance\{chain="solana",address="\w+"\} (\S+)/.exec(text);
      const sol = found ? Number(found[1]) : NaN;
      return sol < 1_000_000 ? sol : 0;
    },
    { timeoutMs: 30_000, message: "the fee payer's balance, less the deployment, in /metrics" },
  );
  assert.ok(balance > 999_999 && balance < 1_000_000, `balance ${balance} SOL`);
  // The group mint, with its metadata, on chain.
  const mint = decodeMint((await onChain(collectionMint))!);
  assert.equal(metadataOf(mint).name, "Sample NFT Collection");
  assert.equal(metadataOf(mint).symbol, "TOKEN");
});

test("a semi-fungible collection on solana is a 400, as Crossmint says", async () => {
  const res = await h.api("POST", "/collections/", {
    chain: "solana",
    fungibility: "semi-fungible",
    metadata: { name: "SFT", description: "d", imageUrl: "https://example.com/i.png" },
  });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(res.body.message, /only EVM collections may be set as semi-fungible/);
});

const RECIPIENT = "EjLpq6RAxzPuwjcwJ2C6ZjwrFZuqhu2CiVTDzkSSCE5B";

test("a mint to solana:<address>: nfts.create.succeeded with token.mintHash, one token in the owner's account", async () => {
  const res = await h.api("POST", `/collections/${collectionId}/nfts`, {
    recipient: `solana:${RECIPIENT}`,
    metadata: {
      name: "Crossmint Example NFT",
      image: "https://www.crossmint.com/assets/crossmint/logo.png",
      description: "My NFT created via the mint API!",
    },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const event = await webhook("nfts.create.succeeded", res.body.actionId);
  assert.equal(event.data.chain, "solana");
  assert.match(event.data.txId, BASE58);
  assert.deepEqual(event.data.collection, { id: collectionId, mintAddress: collectionMint });
  assert.deepEqual(event.data.recipient, { walletAddress: RECIPIENT });
  const mintHash = event.data.token.mintHash;
  assert.match(mintHash, BASE58);
  assert.deepEqual(event.data.token, {
    id: res.body.id,
    owner: { walletAddress: RECIPIENT },
    mintHash,
  });
  const mint = decodeMint((await onChain(mintHash))!);
  assert.equal(mint.data.supply, 1n);
  assert.equal(mint.data.decimals, 0);
  assert.equal(mint.data.mintAuthority.__option, "None");
  assert.equal(metadataOf(mint).name, "Crossmint Example NFT");
  const [ata] = await findAssociatedTokenPda({
    owner: RECIPIENT as Address,
    mint: mintHash,
    tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
  });
  const token = decodeToken((await onChain(ata))!);
  assert.equal(token.data.amount, 1n);
  assert.equal(token.data.owner, RECIPIENT);
  const status = await h.api("GET", `/collections/${collectionId}/nfts/${res.body.id}`);
  assert.equal(status.body.onChain.mintHash, mintHash);
  // Crossmint's Solana mint status: mintHash in place of tokenId and contractAddress.
  assert.deepEqual(Object.keys(status.body.onChain).sort(), [
    "chain",
    "mintHash",
    "owner",
    "status",
    "txId",
  ]);
  assert.equal(status.body.onChain.status, "success");

  // Edited: the metadata on chain follows.
  const edit = await h.api("PATCH", `/collections/${collectionId}/nfts/${res.body.id}`, {
    metadata: {
      name: "Renamed on Solana, with a longer name than before",
      image: "https://www.crossmint.com/assets/crossmint/logo.png",
      description: "edited",
    },
  });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  const edited = await webhook("nfts.update.succeeded", edit.body.actionId);
  assert.deepEqual(edited.data.changes, ["metadata"]);
  assert.equal(edited.data.token.mintHash, mintHash);
  assert.equal(
    metadataOf(decodeMint((await onChain(mintHash))!)).name,
    "Renamed on Solana, with a longer name than before",
  );

  // Burned: the token is gone and the mint closed.
  const burn = await h.api("DELETE", `/collections/${collectionId}/nfts/${res.body.id}`);
  assert.equal(burn.status, 200, JSON.stringify(burn.body));
  const burned = await webhook("nfts.delete.succeeded", burn.body.actionId);
  assert.equal(burned.data.token.mintHash, mintHash);
  assert.equal(await onChain(mintHash), null);
  assert.equal(decodeToken((await onChain(ata))!).data.amount, 0n);
});

test("a mint to email:<email>:solana goes to a custodial Ed25519 wallet, the same every time", async () => {
  const mint = async () => {
    const res = await h.api("POST", "/collections/default-solana/nfts", {
      recipient: "email:testy@crossmint.com:solana",
      metadata: {
        name: "For an email",
        image: "https://www.crossmint.com/assets/crossmint/logo.png",
        description: "custodial",
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return webhook("nfts.create.succeeded", res.body.actionId);
  };
  const first = await mint();
  const second = await mint();
  assert.equal(first.data.collection.id, "default-solana");
  assert.match(first.data.collection.mintAddress, BASE58);
  assert.equal(first.data.recipient.email, "testy@crossmint.com");
  const wallet = first.data.recipient.walletAddress;
  assert.match(wallet, BASE58);
  assert.equal(second.data.recipient.walletAddress, wallet);
  const [ata] = await findAssociatedTokenPda({
    owner: wallet,
    mint: first.data.token.mintHash,
    tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
  });
  assert.equal(decodeToken((await onChain(ata))!).data.amount, 1n);
});

test("bad Solana recipients are 400s naming the problem, before anything is sent", async () => {
  for (const [recipient, words] of [
    ["solana:0x10324e5B8879CA6662ff83617F74b0AaD251b819", /not a Solana address/],
    [
      "solana:EjLpq6RAxzPuwjcwJ2C6ZjwrFZuqhu2CiVTDzkSSCE5",
      /not a Solana address|off the Ed25519 curve/,
    ],
    ["solana:ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL0", /not a Solana address/],
  ] as const) {
    const res = await h.api("POST", `/collections/${collectionId}/nfts`, {
      recipient,
      metadata: { name: "x", image: "https://x.example/i.png", description: "d" },
    });
    assert.equal(res.status, 400, `${recipient}: ${JSON.stringify(res.body)}`);
    assert.match(res.body.message, words);
  }
});

test("Crossmint's wallet API on solana: the custodial wallet an email mint went to, announced once", async () => {
  const wallets = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.url}/api/v1-alpha1${path}`, {
      method,
      headers: { "x-api-key": h.apiKey, "content-type": "application/json" },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const created = await wallets("POST", "/wallets", {
    email: "wallet@example.com",
    chain: "solana",
  });
  assert.ok([200, 201].includes(created.status), JSON.stringify(created.body));
  assert.equal(created.body.chain, "solana");
  assert.match(created.body.publicKey, BASE58);
  const again = await wallets("POST", "/wallets", { email: "Wallet@Example.com", chain: "solana" });
  assert.equal(again.body.publicKey, created.body.publicKey);
  const mint = await h.api("POST", `/collections/${collectionId}/nfts`, {
    recipient: "email:wallet@example.com:solana",
    metadata: { name: "To the wallet", image: "https://example.com/i.png", description: "d" },
  });
  const minted = await webhook("nfts.create.succeeded", mint.body.actionId);
  assert.equal(minted.data.recipient.walletAddress, created.body.publicKey);
  const announced = await eventually(
    () =>
      receiver.requests.filter(
        (r) =>
          r.json?.type === "wallets.create.succeeded" &&
          JSON.stringify(r.json).includes(created.body.publicKey),
      ),
    { timeoutMs: 30_000, message: "wallets.create.succeeded" },
  );
  assert.equal(announced.length, 1);
  // Original's wallet.created too, once: a Solana wallet has no numeric chain id.
  const original = receiver.requests.filter(
    (r) =>
      r.json?.event === "wallet.created" &&
      r.json?.data?.wallet?.address === created.body.publicKey,
  );
  assert.equal(original.length, 1);
  // Crossmint's NFTs-in-a-wallet, Solana's shape: mintHash, a `solana:<mint>` locator.
  const held = await h.api("GET", `/wallets/email:wallet@example.com:solana/nfts`);
  assert.equal(held.status, 200, JSON.stringify(held.body));
  assert.deepEqual(held.body, [
    {
      chain: "solana",
      mintHash: minted.data.token.mintHash,
      metadata: { name: "To the wallet", image: "https://example.com/i.png", description: "d" },
      locator: `solana:${minted.data.token.mintHash}`,
    },
  ]);
  assert.deepEqual(original[0]!.json.data.wallet, {
    address: created.body.publicKey,
    chain_id: null,
    network: "solana",
  });
});

test("metadata too long for one Solana mint transaction: a 400 before anything is sent, for a mint and an edit", async () => {
  const long = { name: "N".repeat(32), image: "https://example.com/i.png", description: "d" };
  const tooLong = `https://example.com/${"u".repeat(400)}.json`;
  const res = await h.api("POST", `/collections/${collectionId}/nfts`, {
    recipient: `solana:${RECIPIENT}`,
    metadata: tooLong,
  });
  assert.equal(res.status, 400, JSON.stringify(res.body));
  assert.match(
    res.body.message,
    /bytes in UTF-8; a Solana NFT's mint transaction has room for \d+/,
  );
  const ok = await h.api("POST", `/collections/${collectionId}/nfts`, {
    recipient: `solana:${RECIPIENT}`,
    metadata: long,
  });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  await webhook("nfts.create.succeeded", ok.body.actionId);
  const edit = await h.api("PATCH", `/collections/${collectionId}/nfts/${ok.body.id}`, {
    metadata: tooLong,
  });
  assert.equal(edit.status, 400, JSON.stringify(edit.body));
  assert.match(edit.body.message, /room for \d+/);
});

// `solana`, the embedded LiteSVM cluster, and its journal (src/chain/solana/ledger): what ran is
// replayed on the next start into the same accounts and the same blockhash; a torn last line is
// dropped; another cluster's journal is refused; what a real cluster would refuse (over 1,232
// bytes, sent twice, a stale blockhash) is refused and not journaled. Transactions are built as
// the runner builds them (token/instructions.ts, build-tx.ts).
import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  decodeMint,
  findAssociatedTokenPda,
  getMintToInstruction,
  TOKEN_2022_PROGRAM_ADDRESS,
} from "@solana-program/token-2022";
import {
  getBase64Decoder,
  type Address,
  type EncodedAccount,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { buildTx, type SignedTx } from "../../src/chain/solana/build-tx.js";
import { addressOfSeed, signerOfSeed } from "../../src/chain/solana/keys.js";
import {
  openEmbeddedSolana,
  TRANSACTION_SIZE_LIMIT,
  type EmbeddedSolana,
} from "../../src/chain/solana/ledger/embedded-ledger.js";
import { loadJournal } from "../../src/chain/solana/ledger/journal.js";
import { TxRejectedError, type LedgerAccount } from "../../src/chain/solana/ledger/ledger.js";
import {
  createCollection,
  mintNft,
  transferNft,
} from "../../src/chain/solana/token/instructions.js";
import { UNLIMITED_GROUP, type OnChainMetadata } from "../../src/chain/solana/token/layout.js";

/** A fixed seed per number: the same keys, mints and transactions on every run. */
const seed = (n: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + n) & 255);
const EMPTY: OnChainMetadata = { name: "", symbol: "", uri: "" };
const ALICE = addressOfSeed(seed(90));
const BOB = addressOfSeed(seed(91));

let dir: string;
let payer: KeyPairSigner;
let files = 0;
const newJournal = () => join(dir, `cluster-${(files += 1)}.solana-journal`);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "herald-solana-journal-"));
  payer = await signerOfSeed(seed(1));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const tokenAccount = async (owner: Address, mint: Address) =>
  (await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_2022_PROGRAM_ADDRESS }))[0];

/** An NFT's mint instructions: mint `n`'s seed, one token to `owner`. */
async function nft(n: number, group: Address, owner: Address, metadata = EMPTY) {
  const mint = await signerOfSeed(seed(n));
  const account = await tokenAccount(owner, mint.address);
  return { mint, account, instructions: mintNft(payer, mint, group, owner, account, metadata) };
}

async function sign(cluster: EmbeddedSolana, instructions: Instruction[], price = 0n) {
  return buildTx(payer, instructions, await cluster.latestBlockhash(), price);
}

/** Sends and expects it to land; its signature. */
async function land(cluster: EmbeddedSolana, instructions: Instruction[], price = 0n) {
  const tx = await sign(cluster, instructions, price);
  await cluster.send(tx.wire);
  const [status] = await cluster.statuses([tx.signature]);
  assert.deepEqual(status?.err, null, `landed: ${JSON.stringify(status?.err)}`);
  return tx;
}

/** What the cluster shows of these accounts and signatures, and its blockhash and height. */
async function snapshot(cluster: EmbeddedSolana, addresses: string[], signatures: string[]) {
  const accounts: Record<string, LedgerAccount | null> = {};
  for (const address of addresses) accounts[address] = await cluster.account(address);
  return {
    accounts,
    payer: await cluster.balance(payer.address),
    blockhash: await cluster.latestBlockhash(),
    height: await cluster.blockHeight(),
    statuses: await cluster.statuses(signatures),
  };
}

/** How many transactions a journal replays (opened, then closed). */
async function replayedFrom(path: string): Promise<number> {
  const cluster = openEmbeddedSolana(path, payer.address);
  await cluster.close();
  return cluster.replayed;
}

const journalLines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean);

function rejection(expected: string | null, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof TxRejectedError, String(error));
    assert.equal(error.txError, expected);
    if (message) assert.match(error.message, message);
    return true;
  };
}

function decoded(address: Address, account: LedgerAccount) {
  const encoded: EncodedAccount = {
    address,
    data: account.data,
    executable: false,
    lamports: account.lamports as never,
    programAddress: account.owner as Address,
    space: BigInt(account.data.length),
  };
  const { data } = decodeMint(encoded);
  return {
    supply: data.supply,
    extensions: data.extensions.__option === "Some" ? data.extensions.value : [],
  };
}

function metadataOf(address: Address, account: LedgerAccount) {
  const { supply, extensions } = decoded(address, account);
  return { supply, extensions: extensions.map((e) => e.__kind) };
}

function tokenMetadataOf(address: Address, account: LedgerAccount): OnChainMetadata {
  const found = decoded(address, account).extensions.find((e) => e.__kind === "TokenMetadata");
  assert.ok(found && found.__kind === "TokenMetadata");
  return { name: found.name, symbol: found.symbol, uri: found.uri };
}

test("replayed from its journal: the same accounts, blockhash, height and statuses", async () => {
  const path = newJournal();
  const cluster = openEmbeddedSolana(path, payer.address);
  assert.equal(cluster.replayed, 0);
  const collection = await signerOfSeed(seed(2));
  const signatures: string[] = [];
  const group = collection.address;
  const c = createCollection(payer, collection, { name: "Set", symbol: "SET", uri: "" }, 10n);
  signatures.push((await land(cluster, c)).signature);
  const a = await nft(3, group, ALICE, { name: "A", symbol: "SET", uri: "https://x/a.json" });
  const b = await nft(4, group, ALICE);
  signatures.push((await land(cluster, a.instructions)).signature);
  signatures.push((await land(cluster, b.instructions, 1_000n)).signature);
  const before3 = await cluster.latestBlockhash();
  cluster.advance(3);
  const after3 = await cluster.latestBlockhash();
  assert.notEqual(after3.blockhash, before3.blockhash, "advancing expires the blockhash");
  assert.equal(after3.lastValidBlockHeight, before3.lastValidBlockHeight + 3n);
  // More after the advance: a third NFT, one moved to Bob, and one that fails (it is journaled
  // too: it ran, and its fee was paid).
  const c3 = await nft(5, group, BOB);
  signatures.push((await land(cluster, c3.instructions)).signature);
  const bobs = await tokenAccount(BOB, a.mint.address);
  const moved = transferNft(payer, a.mint.address, a.account, bobs, BOB);
  signatures.push((await land(cluster, moved)).signature);
  const failing = await sign(cluster, [
    getMintToInstruction({
      mint: b.mint.address,
      token: b.account,
      mintAuthority: payer,
      amount: 1n,
    }),
  ]);
  await cluster.send(failing.wire);
  signatures.push(failing.signature);
  const [failed] = await cluster.statuses([failing.signature]);
  assert.deepEqual(failed?.err, { InstructionError: [0, { Custom: 5 }] }, "FixedSupply");

  const addresses = [
    group,
    a.mint.address,
    b.mint.address,
    c3.mint.address,
    a.account,
    b.account,
    c3.account,
    bobs,
  ];
  const was = await snapshot(cluster, addresses, signatures);
  assert.ok(Object.values(was.accounts).every(Boolean), "every account exists");
  assert.deepEqual(metadataOf(a.mint.address, was.accounts[a.mint.address]!), {
    supply: 1n,
    extensions: [
      "GroupMemberPointer",
      "MetadataPointer",
      "PermanentDelegate",
      "MintCloseAuthority",
      "TokenMetadata",
      "TokenGroupMember",
    ],
  });
  await cluster.close();
  // 1 header, 6 transactions, 1 advance.
  const lines = journalLines(path);
  assert.equal(lines.length, 8);
  assert.deepEqual(JSON.parse(lines[4]!), { advance: 3 });
  assert.deepEqual(JSON.parse(lines[0]!), {
    version: 1,
    genesis: loadJournal(path)!.header.genesis,
    payer: payer.address,
    lamports: (1_000_000n * 1_000_000_000n).toString(),
  });

  const again = openEmbeddedSolana(path, payer.address);
  assert.equal(again.replayed, 6);
  assert.deepEqual(await snapshot(again, addresses, signatures), was);
  // The old transactions are known: sending one again is refused, not run a second time (one
  // signed before the advance for its blockhash, one after as already processed).
  const wireOf = (line: string) => Uint8Array.from(Buffer.from(JSON.parse(line).tx, "base64"));
  await assert.rejects(again.send(wireOf(lines[1]!)), rejection("BlockhashNotFound"));
  await assert.rejects(again.send(wireOf(lines[5]!)), rejection("AlreadyProcessed"));
  assert.deepEqual(await snapshot(again, addresses, signatures), was);
  // It goes on from there, and the journal with it.
  const d = await nft(6, group, BOB);
  signatures.push((await land(again, d.instructions)).signature);
  again.advance(1);
  const later = await snapshot(again, [...addresses, d.mint.address], signatures);
  await again.close();
  assert.equal(journalLines(path).length, 10);

  const third = openEmbeddedSolana(path, payer.address);
  assert.equal(third.replayed, 7);
  assert.deepEqual(await snapshot(third, [...addresses, d.mint.address], signatures), later);
  await third.close();
});

test("a torn last line is dropped, and the journal still opens", async () => {
  const path = newJournal();
  const cluster = openEmbeddedSolana(path, payer.address);
  const collection = await signerOfSeed(seed(12));
  const signature = (
    await land(cluster, createCollection(payer, collection, EMPTY, UNLIMITED_GROUP))
  ).signature;
  const late = await nft(13, collection.address, ALICE);
  const unsent = await sign(cluster, late.instructions);
  const was = await snapshot(cluster, [collection.address], [signature, unsent.signature]);
  await cluster.close();
  const whole = readFileSync(path, "utf8");

  const rows: Array<[string, string]> = [
    // name, what the kill left behind the last whole line
    ["half a transaction line", `{"tx":"${getBase64Decoder().decode(unsent.wire).slice(0, 100)}`],
    ["an opening brace", "{"],
    ["a whole line but its newline", JSON.stringify({ advance: 2 })],
  ];
  for (const [name, torn] of rows) {
    writeFileSync(path, whole);
    appendFileSync(path, torn);
    const reopened = openEmbeddedSolana(path, payer.address);
    assert.equal(reopened.replayed, 1, name);
    assert.deepEqual(
      await snapshot(reopened, [collection.address], [signature, unsent.signature]),
      was,
      name,
    );
    await reopened.close();
    assert.equal(readFileSync(path, "utf8"), whole, `${name}: the torn line is gone from the file`);
  }

  // It keeps working after a torn line: the next line starts on a line of its own.
  writeFileSync(path, whole);
  appendFileSync(path, '{"tx":"AQ');
  const resumed = openEmbeddedSolana(path, payer.address);
  await land(resumed, (await nft(14, collection.address, ALICE)).instructions);
  await resumed.close();
  assert.equal(journalLines(path).length, 3);
  assert.equal(await replayedFrom(path), 2);

  // A damaged line that is not the last is not a torn one: refused, not skipped.
  writeFileSync(path, whole.replace('{"tx":"', '{"tx":'));
  appendFileSync(path, `${JSON.stringify({ advance: 1 })}\n`);
  assert.throws(
    () => openEmbeddedSolana(path, payer.address),
    /line 2 is not JSON; the journal is damaged/,
  );
});

test("a journal whose header was never written whole is a new one", async () => {
  const rows: Array<[string, string]> = [
    ["empty (a power loss as it was created)", ""],
    ["half a header", '{"version":1,"genesis":"'],
  ];
  for (const [name, text] of rows) {
    const path = newJournal();
    writeFileSync(path, text);
    const cluster = openEmbeddedSolana(path, payer.address);
    assert.equal(cluster.replayed, 0, name);
    assert.equal(await cluster.balance(payer.address), 1_000_000n * 1_000_000_000n, name);
    await land(cluster, createCollection(payer, await signerOfSeed(seed(20)), EMPTY, 1n));
    await cluster.close();
    assert.equal(await replayedFrom(path), 1, name);
  }
});

test("another cluster's journal is refused, naming the journal", async () => {
  const path = newJournal();
  const cluster = openEmbeddedSolana(path, payer.address);
  await land(cluster, createCollection(payer, await signerOfSeed(seed(30)), EMPTY, 1n));
  await cluster.close();
  const before = readFileSync(path, "utf8");
  const other = addressOfSeed(seed(31));
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const [header, ...rest] = before.split("\n");
  const otherGenesis = [JSON.stringify({ ...JSON.parse(header!), genesis: other }), ...rest];
  const rows: Array<[string, string, Address, RegExp]> = [
    // name, the journal, the fee payer opening it, the message
    [
      "another fee payer",
      before,
      other,
      new RegExp(
        `^${escaped} is the journal of another embedded Solana cluster \\(genesis \\w+, ` +
          `fee payer ${payer.address}; this one: \\w+, ${other}\\): move it away to start afresh$`,
      ),
    ],
    [
      "another genesis (another LiteSVM)",
      otherGenesis.join("\n"),
      payer.address,
      new RegExp(
        `^${escaped} is the journal of another embedded Solana cluster \\(genesis ${other}, `,
      ),
    ],
    [
      "not a Solana journal",
      `${JSON.stringify({ version: 2 })}\n`,
      payer.address,
      new RegExp(`^${escaped}: not a Solana journal$`),
    ],
  ];
  for (const [name, journal, feePayer, message] of rows) {
    writeFileSync(path, journal);
    assert.throws(() => openEmbeddedSolana(path, feePayer), { message }, name);
    assert.equal(readFileSync(path, "utf8"), journal, `${name}: the journal is left as it was`);
  }
  writeFileSync(path, before);
  assert.equal(await replayedFrom(path), 1);
});

test("refused as a cluster would refuse it, changing nothing and journaling nothing", async () => {
  const path = newJournal();
  const cluster = openEmbeddedSolana(path, payer.address);
  const collection = await signerOfSeed(seed(40));
  const created = await land(cluster, createCollection(payer, collection, EMPTY, UNLIMITED_GROUP));
  const group = collection.address;
  const big = await nft(41, group, ALICE, {
    name: "n".repeat(300),
    symbol: "S",
    uri: "u".repeat(300),
  });
  const oversized = await sign(cluster, big.instructions);
  assert.ok(oversized.wire.length > TRANSACTION_SIZE_LIMIT);
  const stale = await sign(cluster, (await nft(42, group, ALICE)).instructions);
  const state = async () =>
    snapshot(cluster, [group, big.mint.address], [created.signature, oversized.signature]);
  const was = await state();
  const lines = journalLines(path).length;

  const rows: Array<[string, () => Promise<SignedTx>, string | null, RegExp]> = [
    // name, the transaction (prepared when its row runs), the rejection, its message
    [
      "over 1,232 bytes",
      () => Promise.resolve(oversized),
      null,
      new RegExp(
        `^the transaction is ${oversized.wire.length} bytes; a cluster takes at most 1232$`,
      ),
    ],
    [
      "sent again once landed",
      () => Promise.resolve(created),
      "AlreadyProcessed",
      /AlreadyProcessed/,
    ],
    [
      "a blockhash expired by advance",
      () => {
        cluster.advance(1);
        return Promise.resolve(stale);
      },
      "BlockhashNotFound",
      /BlockhashNotFound/,
    ],
  ];
  for (const [name, tx, txError, message] of rows) {
    await assert.rejects(cluster.send((await tx()).wire), rejection(txError, message), name);
  }
  const now = await state();
  assert.deepEqual(now.accounts, was.accounts, "accounts unchanged");
  assert.equal(now.payer, was.payer, "no fee was charged");
  assert.deepEqual(now.statuses, [was.statuses[0], null], "the oversized one is unknown");
  // Only the advance was journaled.
  assert.deepEqual(journalLines(path).slice(lines), [JSON.stringify({ advance: 1 })]);
  await cluster.close();
});

test("an NFT's mint transaction: its size, and the room left for name, symbol and URI", async () => {
  const cluster = openEmbeddedSolana(null, payer.address);
  const collection = await signerOfSeed(seed(60));
  await land(cluster, createCollection(payer, collection, EMPTY, UNLIMITED_GROUP));
  let n = 61;
  const sized = async (metadata: OnChainMetadata, price: bigint) => {
    const { mint, instructions } = await nft((n += 1), collection.address, ALICE, metadata);
    return Object.assign(await sign(cluster, instructions, price), { mint: mint.address });
  };
  /** name + symbol + uri of `bytes` bytes in all (the URI takes the rest). */
  const filled = (bytes: number): OnChainMetadata => ({
    name: "N".repeat(Math.min(bytes, 32)),
    symbol: "S".repeat(Math.min(Math.max(bytes - 32, 0), 10)),
    uri: "u".repeat(Math.max(bytes - 42, 0)),
  });
  // With empty strings: 811 bytes, 863 with the priority fee's two Compute Budget instructions.
  assert.equal((await sized(EMPTY, 0n)).wire.length, 811);
  assert.equal((await sized(EMPTY, 1n)).wire.length, 863);
  assert.equal((await sized(EMPTY, 1_000_000_000n)).wire.length, 863, "any price: a u64");
  // Each byte of metadata is a byte of the transaction, and one more once the metadata
  // instruction's data reaches 128 bytes (20 of its own + 108 of metadata): its length is a
  // compact-u16, one byte below 128 and two from there. So the three share 1232 - 863 - 1 = 368.
  const rows: Array<[string, number, bigint, number, boolean]> = [
    // name, metadata bytes, price, transaction bytes, lands
    ["107 bytes: one-byte data length", 107, 1n, 863 + 107, true],
    ["108 bytes: two-byte data length", 108, 1n, 863 + 108 + 1, true],
    ["368 bytes: exactly 1232", 368, 1n, 1232, true],
    ["369 bytes: one too many", 369, 1n, 1233, false],
    ["without a priority fee: 52 bytes more room", 420, 0n, 1232, true],
    ["without a priority fee, one too many", 421, 0n, 1233, false],
    ["in UTF-8 bytes, not characters", 0, 1n, 863 + 2 * 60 + 1, true],
  ];
  for (const [name, bytes, price, size, lands] of rows) {
    const metadata = bytes > 0 ? filled(bytes) : { name: "é".repeat(60), symbol: "", uri: "" };
    const tx = await sized(metadata, price);
    assert.equal(tx.wire.length, size, name);
    if (lands) {
      await cluster.send(tx.wire);
      const [status] = await cluster.statuses([tx.signature]);
      assert.equal(status?.err, null, name);
      // The metadata is on the mint as given.
      const mint = (await cluster.account(tx.mint))!;
      assert.deepEqual(tokenMetadataOf(tx.mint, mint), metadata, name);
    } else {
      await assert.rejects(
        cluster.send(tx.wire),
        rejection(null, /a cluster takes at most 1232/),
        name,
      );
    }
  }
  await cluster.close();
});

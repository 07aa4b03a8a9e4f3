// Custodial Ed25519 wallets on Solana (src/chain/solana/custodial-wallets.ts): derived from the
// master secret, a project and an owner key, and nothing else. The known answers pin the
// derivation: a change of salt, info or key format would move every user's wallet.
import assert from "node:assert/strict";
import { createHmac, sign, verify, createPrivateKey, createPublicKey } from "node:crypto";
import { test } from "node:test";
import { bytesToHex } from "viem";
import {
  custodialAddress as evmCustodialAddress,
  deriveCustodialKey,
} from "../../src/chain/evm/custodial-wallets.js";
import {
  deriveSolanaCustodialSeed,
  SOLANA_CUSTODIAL_SALT,
  solanaCustodialAddress,
} from "../../src/chain/solana/custodial-wallets.js";
import { parseSolanaAddress } from "../../src/chain/solana/address.js";
import { addressOfSeed, fromBase58, signerOfSeed } from "../../src/chain/solana/keys.js";

// Fixed master secret 0x00 01 02 ... 1f: the known answers below depend on it.
const MASTER = Uint8Array.from({ length: 32 }, (_, i) => i);
const OTHER_MASTER = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

test("known answers: a change of derivation is caught", () => {
  const rows: Array<[string, string, string, string]> = [
    // project, owner key, seed, address
    [
      "proj_test",
      "alice@example.com",
      "79a0d3fb2bcfb76d4e9273bf2a08533902af85379b0ca260b5c31aa4fb6892af",
      "CihEgpDSBhGKgYw9USxrnsUd8qyJVSau61S1QMQVxJ98",
    ],
    [
      "proj_other",
      "alice@example.com",
      "8b89a64e4f3f1c34a3e6dd8356d2289e6d51c92abd2e64be103b579e07aa868f",
      "HjZuedZStfxT7vCzyFbqD9r1swkhfMp6e6gdMwb1Bnsw",
    ],
    [
      "proj_test",
      "bob@example.com",
      "fb2379ee6d957c26b48d25b3f74b0fd2735abc838e8dca11be9e4a1a1d8a7e94",
      "AWpoCJgXZzo1nouoCmTTfxojWWL5oQMffKAbF5n8MDx",
    ],
    [
      "proj_test",
      "userId:Alice-42",
      "8d9398d712ca3f54dfce25ce93bc68af6a9589d1548718933911e923ba0224ea",
      "51mtiHPc65GmDMKAGU3tpGAqDxpR8cnSHfCkEp6R3LJP",
    ],
  ];
  for (const [project, owner, seed, address] of rows) {
    const name = `${project} ${owner}`;
    assert.equal(hex(deriveSolanaCustodialSeed(MASTER, project, owner)), seed, name);
    assert.equal(solanaCustodialAddress(MASTER, project, owner), address, name);
    // A wallet anyone can send to: an on-curve address in canonical base58.
    assert.deepEqual(parseSolanaAddress(address), { ok: true, address }, name);
  }
});

test("the seed is RFC 5869 HKDF-SHA256 with the documented salt and info", () => {
  assert.equal(SOLANA_CUSTODIAL_SALT, "herald-custodial-solana-wallet-v1");
  const rows: Array<[string, string, string]> = [
    // project, owner as given, info
    ["proj_test", "alice@example.com", "proj_test\nalice@example.com"],
    ["proj_test", " Alice@Example.COM ", "proj_test\nalice@example.com"],
    ["proj_x", "userId:Bob", "proj_x\nuserId:Bob"],
  ];
  for (const [project, owner, info] of rows) {
    // HKDF by hand (extract, then one expand block) rather than by hkdfSync.
    const prk = createHmac("sha256", SOLANA_CUSTODIAL_SALT).update(MASTER).digest();
    const okm = createHmac("sha256", prk)
      .update(Buffer.concat([Buffer.from(info), Buffer.from([1])]))
      .digest();
    assert.equal(hex(deriveSolanaCustodialSeed(MASTER, project, owner)), hex(okm), info);
  }
});

test("the address is the seed's Ed25519 public key: kit's signer agrees, and it verifies", async () => {
  const seed = deriveSolanaCustodialSeed(MASTER, "proj_test", "alice@example.com");
  const address = solanaCustodialAddress(MASTER, "proj_test", "alice@example.com");
  assert.equal((await signerOfSeed(seed)).address, address);
  assert.equal(addressOfSeed(seed), address);
  // Signed with the seed (PKCS #8), verified with the address's 32 bytes (SPKI).
  const key = createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]),
    format: "der",
    type: "pkcs8",
  });
  const message = Buffer.from("herald custodial solana wallet check");
  const signature = sign(null, message, key);
  const spki = (addr: string) =>
    createPublicKey({
      key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), fromBase58(addr)]),
      format: "der",
      type: "spki",
    });
  assert.equal(verify(null, message, spki(address), signature), true);
  const bob = solanaCustodialAddress(MASTER, "proj_test", "bob@example.com");
  assert.equal(verify(null, message, spki(bob), signature), false);
});

test("an email in any case, with any surrounding space → the same wallet", () => {
  const base = solanaCustodialAddress(MASTER, "proj_test", "alice@example.com");
  const rows = [
    "alice@example.com",
    "Alice@Example.com",
    "ALICE@EXAMPLE.COM",
    "  alice@example.com\t",
    " Alice@EXAMPLE.com ",
  ];
  for (const owner of rows) {
    assert.equal(solanaCustodialAddress(MASTER, "proj_test", owner), base, JSON.stringify(owner));
  }
});

test("a different project, owner or master secret → a different wallet", () => {
  const base = solanaCustodialAddress(MASTER, "proj_test", "alice@example.com");
  const rows: Array<[string, Uint8Array, string, string]> = [
    ["other project", MASTER, "proj_other", "alice@example.com"],
    ["project id differs in case only", MASTER, "PROJ_TEST", "alice@example.com"],
    ["other email", MASTER, "proj_test", "alice2@example.com"],
    ["plus address is another email", MASTER, "proj_test", "alice+nft@example.com"],
    ["other master secret", OTHER_MASTER, "proj_test", "alice@example.com"],
    ["a user id", MASTER, "proj_test", "userId:alice"],
    // A user id keeps its case: Alice and alice are two users.
    ["a user id in another case", MASTER, "proj_test", "userId:Alice"],
    ["a user id with the email's text", MASTER, "proj_test", "userId:alice@example.com"],
    ["a user id with surrounding space kept", MASTER, "proj_test", "userId: alice"],
  ];
  const seen = new Map([[base, "base"]]);
  for (const [name, master, project, owner] of rows) {
    const address = solanaCustodialAddress(master, project, owner);
    assert.ok(!seen.has(address), `${name} collides with ${seen.get(address)}`);
    seen.set(address, name);
  }
});

test("one owner's EVM and Solana wallets are unrelated (salts of their own)", () => {
  const rows: Array<[string, string]> = [
    ["proj_test", "alice@example.com"],
    ["proj_test", "userId:Alice-42"],
    ["proj_other", "bob@example.com"],
  ];
  for (const [project, owner] of rows) {
    const evmKey = deriveCustodialKey(MASTER, project, owner);
    const seed = deriveSolanaCustodialSeed(MASTER, project, owner);
    const name = `${project} ${owner}`;
    assert.notEqual(bytesToHex(seed), evmKey, name);
    // Neither key is the other's, and the Solana wallet is not the EVM key's Ed25519 wallet.
    assert.notEqual(addressOfSeed(Buffer.from(evmKey.slice(2), "hex")), addressOfSeed(seed), name);
    assert.match(evmCustodialAddress(evmKey), /^0x[0-9a-fA-F]{40}$/, name);
  }
});

test("bad inputs are refused", () => {
  const rows: Array<[string, () => unknown, RegExp]> = [
    [
      "master secret of 31 bytes",
      () => deriveSolanaCustodialSeed(new Uint8Array(31), "p", "a@b.co"),
      /32 bytes/,
    ],
    [
      "master secret of 33 bytes",
      () => solanaCustodialAddress(new Uint8Array(33), "p", "a@b.co"),
      /32 bytes/,
    ],
    ["empty project", () => deriveSolanaCustodialSeed(MASTER, "", "a@b.co"), /projectId/],
    ["newline in project", () => deriveSolanaCustodialSeed(MASTER, "p\nq", "a@b.co"), /projectId/],
    ["empty owner", () => deriveSolanaCustodialSeed(MASTER, "p", ""), /owner/],
    ["owner of spaces only", () => deriveSolanaCustodialSeed(MASTER, "p", "  \t "), /owner/],
    ["newline inside an email", () => deriveSolanaCustodialSeed(MASTER, "p", "a@b\n.co"), /owner/],
    ["newline in a user id", () => deriveSolanaCustodialSeed(MASTER, "p", "userId:a\nb"), /owner/],
    ["a seed of 31 bytes has no address", () => addressOfSeed(new Uint8Array(31)), /32 bytes/],
  ];
  for (const [name, run, message] of rows) assert.throws(run, message, name);
});

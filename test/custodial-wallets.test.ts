import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { bytesToHex, hexToBytes, verifyMessage, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  custodialAddress,
  custodialAddressResolver,
  deriveCustodialKey,
  isValidPrivateKey,
  SECP256K1_N,
} from "../src/chain/evm/custodial-wallets.js";

// Fixed master secret 0x00 01 02 ... 1f: the known answers below depend on it.
const MASTER = Uint8Array.from({ length: 32 }, (_, i) => i);
const OTHER_MASTER = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

test("known answers: a change of derivation is caught", () => {
  const rows: Array<[string, string, Hex, string]> = [
    // project, email, key, address
    [
      "proj_test",
      "alice@example.com",
      "0x4260d606d5af6c7984e8d5418c081a9055737b032da172494d867d26cd053e5c",
      "0x1893c901Ac215870B409D3C47093E77b6E8f4231",
    ],
    [
      "proj_other",
      "alice@example.com",
      "0x188e2a56ec61d5d81ff3c5c4173facd4d7c50a87f4bc14f7773c940c8451133c",
      "0x95549a8EBBA8C2638Bca141dDCBDd49741D5ba32",
    ],
    [
      "proj_test",
      "bob@example.com",
      "0x3e18f3d61253f6102a52643634034fb7e001222aee6447627c6fbf4e71d77c89",
      "0x802d6E4bB7C0Ccd58fd7035ee1A5792b6abB962E",
    ],
  ];
  for (const [project, email, key, address] of rows) {
    const derived = deriveCustodialKey(MASTER, project, email);
    assert.equal(derived, key, `${project} ${email}`);
    assert.equal(custodialAddress(derived), address, `${project} ${email}`);
  }
});

test("the key is RFC 5869 HKDF-SHA256 with the documented salt and info", () => {
  // HKDF computed by hand (extract, then one expand block) rather than by hkdfSync.
  const salt = "herald-custodial-wallet-v1";
  const info = "proj_test\nalice@example.com";
  const prk = createHmac("sha256", salt).update(MASTER).digest();
  const okm = createHmac("sha256", prk)
    .update(Buffer.concat([Buffer.from(info), Buffer.from([1])]))
    .digest();
  assert.equal(deriveCustodialKey(MASTER, "proj_test", "alice@example.com"), bytesToHex(okm));
});

test("same project and email (any case, any surrounding space) → same wallet", () => {
  const base = deriveCustodialKey(MASTER, "proj_test", "alice@example.com");
  const rows = [
    "alice@example.com",
    "Alice@Example.com",
    "ALICE@EXAMPLE.COM",
    "  alice@example.com\t",
    " Alice@EXAMPLE.com ",
  ];
  for (const email of rows) {
    assert.equal(deriveCustodialKey(MASTER, "proj_test", email), base, JSON.stringify(email));
  }
  // And deterministic across calls and resolvers.
  const resolve = custodialAddressResolver(MASTER);
  assert.equal(resolve("proj_test", "ALICE@example.com"), custodialAddress(base));
  assert.equal(
    custodialAddressResolver(Buffer.from(MASTER))("proj_test", "alice@example.com"),
    custodialAddress(base),
  );
});

test("different project, email or master secret → different wallet", () => {
  const base = custodialAddress(deriveCustodialKey(MASTER, "proj_test", "alice@example.com"));
  const rows: Array<[string, Uint8Array, string, string]> = [
    ["other project", MASTER, "proj_other", "alice@example.com"],
    ["project id differs in case only", MASTER, "PROJ_TEST", "alice@example.com"],
    ["other email", MASTER, "proj_test", "alice2@example.com"],
    ["plus address is another email", MASTER, "proj_test", "alice+nft@example.com"],
    ["other master secret", OTHER_MASTER, "proj_test", "alice@example.com"],
  ];
  const seen = new Set([base]);
  for (const [name, master, project, email] of rows) {
    const address = custodialAddress(deriveCustodialKey(master, project, email));
    assert.ok(!seen.has(address), name);
    seen.add(address);
  }
});

test("the derived key signs, and the signature verifies against the custodial address", async () => {
  const key = deriveCustodialKey(MASTER, "proj_test", "alice@example.com");
  const account = privateKeyToAccount(key);
  const message = "herald custodial wallet check";
  const signature = await account.signMessage({ message });
  assert.equal(await verifyMessage({ address: custodialAddress(key), message, signature }), true);
  const other = custodialAddress(deriveCustodialKey(MASTER, "proj_test", "bob@example.com"));
  assert.equal(await verifyMessage({ address: other, message, signature }), false);
});

test("bad inputs are refused", () => {
  const rows: Array<[string, () => unknown, RegExp]> = [
    [
      "master secret of 31 bytes",
      () => deriveCustodialKey(new Uint8Array(31), "p", "a@b.co"),
      /32 bytes/,
    ],
    [
      "master secret of 33 bytes",
      () => deriveCustodialKey(new Uint8Array(33), "p", "a@b.co"),
      /32 bytes/,
    ],
    [
      "resolver with a short secret",
      () => custodialAddressResolver(new Uint8Array(16)),
      /32 bytes/,
    ],
    ["empty project", () => deriveCustodialKey(MASTER, "", "a@b.co"), /projectId/],
    ["newline in the project", () => deriveCustodialKey(MASTER, "p\nq", "a@b.co"), /projectId/],
    ["blank email", () => deriveCustodialKey(MASTER, "p", "   "), /email/],
    ["newline inside the email", () => deriveCustodialKey(MASTER, "p", "a\n@b.co"), /email/],
  ];
  for (const [name, run, message] of rows) assert.throws(run, message, name);
});

test("isValidPrivateKey: 0 < k < n", () => {
  const key = (k: bigint) => hexToBytes(`0x${k.toString(16).padStart(64, "0")}`);
  const rows: Array<[string, Uint8Array, boolean]> = [
    ["zero", key(0n), false],
    ["one", key(1n), true],
    ["n - 1", key(SECP256K1_N - 1n), true],
    ["n", key(SECP256K1_N), false],
    ["n + 1", key(SECP256K1_N + 1n), false],
    ["2^256 - 1", key(2n ** 256n - 1n), false],
    ["31 bytes", new Uint8Array(31).fill(1), false],
  ];
  for (const [name, bytes, valid] of rows) assert.equal(isValidPrivateKey(bytes), valid, name);
});

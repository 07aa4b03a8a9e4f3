import assert from "node:assert/strict";
import { createPublicKey, sign, verify } from "node:crypto";
import { test } from "node:test";
import { Webhook } from "standardwebhooks";
import {
  ed25519PublicKeyOf,
  ed25519SigningKey,
  generateEd25519KeyPair,
  isValidEd25519SecretKey,
} from "../src/core/policy/ed25519-signing.js";
import {
  generateSecret,
  signaturesHeader,
  signingKeyOf,
  signingSecretFor,
} from "../src/core/policy/signing.js";

// Standard Webhooks v1a (ed25519), checked against node:crypto with nothing but the whpk_ key.

const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

/** A receiver's check: does `signature` (v1a,…) verify with the `whpk_` public key? */
function verifiesWith(publicKey: string, signature: string, content: string): boolean {
  const [version, sig] = signature.split(",");
  if (version !== "v1a" || !sig) return false;
  const raw = Buffer.from(publicKey.replace(/^whpk_/, ""), "base64");
  const key = createPublicKey({
    key: Buffer.concat([SPKI_ED25519, raw]),
    format: "der",
    type: "spki",
  });
  return verify(null, Buffer.from(content), key, Buffer.from(sig, "base64"));
}

// RFC 8032, section 7.1, test 2: the one-byte message 0x72.
const RFC_SEED = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
const RFC_PUBLIC = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
const RFC_SIGNATURE =
  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da" +
  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
const rfcSecretKey = "whsk_" + Buffer.from(RFC_SEED + RFC_PUBLIC, "hex").toString("base64");

test("a whsk_ secret key is libsodium's 64 bytes: RFC 8032's key signs as the RFC says", () => {
  assert.ok(isValidEd25519SecretKey(rfcSecretKey));
  assert.equal(
    ed25519PublicKeyOf(rfcSecretKey),
    "whpk_" + Buffer.from(RFC_PUBLIC, "hex").toString("base64"),
  );
  const signature = sign(null, Buffer.from([0x72]), ed25519SigningKey(rfcSecretKey));
  assert.equal(signature.toString("hex"), RFC_SIGNATURE);
});

test("a generated pair: whsk_ of 64 bytes ending in the whpk_ key; signatures verify with it", () => {
  const pair = generateEd25519KeyPair();
  assert.match(pair.secretKey, /^whsk_[A-Za-z0-9+/]{86}==$/);
  assert.match(pair.publicKey, /^whpk_[A-Za-z0-9+/]{43}=$/);
  const secretBytes = Buffer.from(pair.secretKey.slice(5), "base64");
  assert.deepEqual(secretBytes.subarray(32), Buffer.from(pair.publicKey.slice(5), "base64"));
  assert.ok(isValidEd25519SecretKey(pair.secretKey));
  assert.equal(ed25519PublicKeyOf(pair.secretKey), pair.publicKey);
  assert.notEqual(generateEd25519KeyPair().secretKey, pair.secretKey);

  const body = JSON.stringify({ id: "evt_1", data: { n: 1 } });
  const header = signaturesHeader([signingKeyOf(pair.secretKey)], "evt_1", 1700000000, body);
  assert.match(header, /^v1a,[A-Za-z0-9+/]{86}==$/);
  assert.ok(verifiesWith(pair.publicKey, header, `evt_1.1700000000.${body}`));
  for (const [what, content] of [
    ["another body", `evt_1.1700000000.${body.replace("1}", "2}")}`],
    ["another timestamp", `evt_1.1700000001.${body}`],
    ["another id", `evt_2.1700000000.${body}`],
  ] as const) {
    assert.ok(!verifiesWith(pair.publicKey, header, content), what);
  }
  assert.ok(
    !verifiesWith(generateEd25519KeyPair().publicKey, header, `evt_1.1700000000.${body}`),
    "another key",
  );
});

test("signingSecretFor: generated or supplied secrets, each algorithm refusing the other's", () => {
  const pair = generateEd25519KeyPair();
  const seed = Buffer.from(pair.secretKey.slice(5), "base64").subarray(0, 32);
  const otherPublic = Buffer.from(generateEd25519KeyPair().publicKey.slice(5), "base64");
  const hmac = generateSecret();
  const rows: Array<
    [string, "hmac" | "ed25519", string | undefined, RegExp | { secret: RegExp; publicKey: RegExp }]
  > = [
    ["hmac, generated", "hmac", undefined, { secret: /^whsec_/, publicKey: /^null$/ }],
    ["hmac, supplied", "hmac", hmac, { secret: /^whsec_/, publicKey: /^null$/ }],
    ["hmac refuses a whsk_ key", "hmac", pair.secretKey, /^secret must be whsec_/],
    ["hmac refuses junk", "hmac", "whsec_!!", /^secret must be whsec_/],
    ["ed25519, generated", "ed25519", undefined, { secret: /^whsk_/, publicKey: /^whpk_/ }],
    ["ed25519, supplied", "ed25519", pair.secretKey, { secret: /^whsk_/, publicKey: /^whpk_/ }],
    ["ed25519 refuses a whsec_ secret", "ed25519", hmac, /^secret must be whsk_/],
    ["ed25519 refuses 32 bytes", "ed25519", "whsk_" + seed.toString("base64"), /whsk_/],
    [
      "ed25519 refuses a public half of another key",
      "ed25519",
      "whsk_" + Buffer.concat([seed, otherPublic]).toString("base64"),
      /whsk_/,
    ],
    ["ed25519 refuses non-base64", "ed25519", "whsk_" + "!".repeat(88), /whsk_/],
    ["ed25519 refuses nothing after the prefix", "ed25519", "whsk_", /whsk_/],
  ];
  for (const [what, algorithm, supplied, expected] of rows) {
    const verdict = signingSecretFor(algorithm, supplied);
    if (expected instanceof RegExp) {
      assert.ok(!verdict.ok, what);
      assert.match(verdict.reason, expected, what);
      continue;
    }
    assert.ok(verdict.ok, what);
    assert.equal(verdict.value.algorithm, algorithm, what);
    assert.match(verdict.value.secret, expected.secret, what);
    assert.match(String(verdict.value.publicKey), expected.publicKey, what);
    if (supplied !== undefined) assert.equal(verdict.value.secret, supplied, what);
  }
  const supplied = signingSecretFor("ed25519", pair.secretKey);
  assert.ok(supplied.ok);
  assert.equal(supplied.value.publicKey, pair.publicKey, "the public key is the supplied key's");
});

test("one header, keys of both algorithms: v1a and v1 each verify with their own key", () => {
  const pair = generateEd25519KeyPair();
  const hmac = generateSecret();
  const body = JSON.stringify({ id: "evt", data: {} });
  const ts = Math.floor(Date.now() / 1000);
  const header = signaturesHeader(
    [signingKeyOf(pair.secretKey), signingKeyOf(hmac)],
    "evt",
    ts,
    body,
  );
  const [ed, mac] = header.split(" ");
  assert.match(ed!, /^v1a,/);
  assert.match(mac!, /^v1,/);
  assert.ok(verifiesWith(pair.publicKey, ed!, `evt.${ts}.${body}`));
  // standardwebhooks skips the v1a entry and verifies the v1 one.
  const headers = {
    "webhook-id": "evt",
    "webhook-timestamp": String(ts),
    "webhook-signature": header,
  };
  assert.deepEqual(new Webhook(hmac).verify(body, headers), JSON.parse(body));
  // An HMAC secret without a whsk_ prefix signs as before.
  assert.equal(signingKeyOf(hmac).algorithm, "hmac");
  assert.equal(signingKeyOf(pair.secretKey).algorithm, "ed25519");
});

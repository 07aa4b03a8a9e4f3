// @herald/receiver's verification: v1 signatures from Herald's own signer and from the npm
// `standardwebhooks` and `svix` libraries (both ways), v1a (ed25519) against node:crypto, and
// each reason a request is refused.
import assert from "node:assert/strict";
import { generateKeyPairSync, sign, verify, createPublicKey } from "node:crypto";
import { test } from "node:test";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import {
  generateSecret as heraldSecret,
  secretKeyBytes,
  signatureHeader,
  signaturesHeader,
  signingKeyOf,
} from "../../src/core/policy/signing.js";
import { generateEd25519KeyPair } from "../../src/core/policy/ed25519-signing.js";
import {
  generateKeyPair,
  generateSecret,
  parseSecretKey,
  publicKeyOf,
  signHeaders,
  signV1,
  signV1a,
  verifyWebhook,
  WebhookVerificationError,
  WebhookVerifier,
} from "../../packages/receiver/src/index.js";

const body = JSON.stringify({ type: "nfts.create.succeeded", data: { id: "é-1" } });
const now = () => Math.floor(Date.now() / 1000);

function refused(fn: () => unknown, reason: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, String(error));
    assert.equal(error.reason, reason, error.message);
    return true;
  });
}

test("v1 signatures made by Herald's own signer verify, one per key in a rotation", () => {
  const [oldSecret, newSecret] = [heraldSecret(), heraldSecret()];
  const ts = now();
  const header = signatureHeader([newSecret, oldSecret].map(secretKeyBytes), "msg_1", ts, body);
  const headers = {
    "webhook-id": "msg_1",
    "webhook-timestamp": String(ts),
    "webhook-signature": header,
  };
  for (const secret of [oldSecret, newSecret, [generateSecret(), oldSecret]])
    assert.deepEqual(verifyWebhook({ secret }, headers, body), {
      id: "msg_1",
      timestamp: ts,
      scheme: "v1",
    });
  refused(
    () => verifyWebhook({ secret: generateSecret() }, headers, body),
    "no_matching_signature",
  );
});

test("v1a signatures made by Herald's own signer verify with the whpk_ key, in a rotation too", () => {
  // Herald's key pairs and its header, as an ed25519 endpoint's deliveries carry them: the new
  // key's signature first, then the old one's, and an HMAC one during a switch of algorithm.
  const [oldPair, newPair] = [generateEd25519KeyPair(), generateEd25519KeyPair()];
  const hmac = heraldSecret();
  const ts = now();
  const header = signaturesHeader(
    [newPair.secretKey, oldPair.secretKey, hmac].map(signingKeyOf),
    "msg_a",
    ts,
    body,
  );
  assert.match(header, /^v1a,\S+ v1a,\S+ v1,\S+$/);
  const headers = {
    "webhook-id": "msg_a",
    "webhook-timestamp": String(ts),
    "webhook-signature": header,
  };
  for (const publicKey of [newPair.publicKey, oldPair.publicKey]) {
    assert.deepEqual(verifyWebhook({ publicKey }, headers, body), {
      id: "msg_a",
      timestamp: ts,
      scheme: "v1a",
    });
  }
  assert.equal(verifyWebhook({ secret: hmac }, headers, body).scheme, "v1");
  refused(
    () => verifyWebhook({ publicKey: generateKeyPair().publicKey }, headers, body),
    "no_matching_signature",
  );
  refused(
    () => verifyWebhook({ publicKey: newPair.publicKey }, headers, body + " "),
    "no_matching_signature",
  );
});

test("standardwebhooks' signatures verify here, and this library's verify with standardwebhooks", () => {
  const secret = generateSecret();
  const theirs = new StandardWebhook(secret);
  const date = new Date();
  const signature = theirs.sign("msg_sw", date, body);
  const headers = {
    "webhook-id": "msg_sw",
    "webhook-timestamp": String(Math.floor(date.getTime() / 1000)),
    "webhook-signature": signature,
  };
  assert.equal(verifyWebhook({ secret }, headers, body).id, "msg_sw");
  assert.equal(verifyWebhook({ secret }, headers, Buffer.from(body)).id, "msg_sw");

  const ours = signHeaders(secret, "msg_ours", new Date(), body);
  assert.deepEqual(theirs.verify(body, ours), JSON.parse(body));
  assert.throws(() => theirs.verify(body + " ", ours));
});

test("svix's signatures (svix-* headers) verify here, and this library's verify with svix", () => {
  const secret = generateSecret();
  const theirs = new SvixWebhook(secret);
  const date = new Date();
  const headers = {
    "svix-id": "msg_svix",
    "svix-timestamp": String(Math.floor(date.getTime() / 1000)),
    "svix-signature": theirs.sign("msg_svix", date, body),
  };
  assert.equal(verifyWebhook({ secret }, headers, body).id, "msg_svix");
  // Header names in another case (a plain object from elsewhere) and a fetch Headers object.
  const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));
  assert.equal(verifyWebhook({ secret }, upper, body).id, "msg_svix");
  assert.equal(verifyWebhook({ secret }, new Headers(headers), body).id, "msg_svix");

  const ts = now();
  const ours = {
    "svix-id": "msg_ours",
    "svix-timestamp": String(ts),
    "svix-signature": signV1(secret, "msg_ours", ts, body),
  };
  assert.deepEqual(theirs.verify(body, ours), JSON.parse(body));
});

test("v1a: an ed25519 signature made with node:crypto verifies with the whpk_ public key", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x!, "base64url");
  const whpk = "whpk_" + raw.toString("base64");
  const ts = now();
  const signature = sign(null, Buffer.from(`msg_ed.${ts}.${body}`), privateKey).toString("base64");
  const headers = {
    "webhook-id": "msg_ed",
    "webhook-timestamp": String(ts),
    // A v1 signature of another key beside it, as during a change of scheme.
    "webhook-signature": `${signV1(generateSecret(), "msg_ed", ts, body)} v1a,${signature}`,
  };
  assert.deepEqual(verifyWebhook({ publicKey: whpk }, headers, body), {
    id: "msg_ed",
    timestamp: ts,
    scheme: "v1a",
  });
  assert.equal(
    verifyWebhook(
      { secret: generateSecret(), publicKey: [generateKeyPair().publicKey, whpk] },
      headers,
      body,
    ).scheme,
    "v1a",
  );
  refused(
    () => verifyWebhook({ publicKey: generateKeyPair().publicKey }, headers, body),
    "no_matching_signature",
  );
  refused(
    () => verifyWebhook({ publicKey: whpk }, headers, body.replace("é", "e")),
    "no_matching_signature",
  );
});

test("v1a: signV1a with a whsk_ key of 64 bytes (libsodium) or 32 (seed) verifies with node:crypto", () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d!, "base64url");
  const pub = Buffer.from(jwk.x!, "base64url");
  const whsk64 = "whsk_" + Buffer.concat([seed, pub]).toString("base64");
  const whsk32 = "whsk_" + seed.toString("base64");
  const ts = now();
  const data = Buffer.from(`msg_k.${ts}.${body}`);
  for (const key of [whsk64, whsk32]) {
    const header = signV1a(key, "msg_k", ts, body);
    assert.match(header, /^v1a,/);
    assert.ok(verify(null, data, publicKey, Buffer.from(header.slice(4), "base64")));
    assert.equal(publicKeyOf(key), "whpk_" + pub.toString("base64"));
  }
  // A 64-byte key whose public half is another key's is refused.
  const other = Buffer.from(generateKeyPair().publicKey.slice(5), "base64");
  assert.throws(
    () => parseSecretKey("whsk_" + Buffer.concat([seed, other]).toString("base64")),
    /does not match/,
  );
  assert.throws(
    () => parseSecretKey("whsk_" + seed.subarray(0, 16).toString("base64")),
    /32 bytes/,
  );
});

test("generateKeyPair: a whsk_ of 64 bytes whose whpk_ verifies its signatures", () => {
  const { secretKey, publicKey } = generateKeyPair();
  assert.match(secretKey, /^whsk_/);
  assert.equal(Buffer.from(secretKey.slice(5), "base64").length, 64);
  assert.equal(Buffer.from(publicKey.slice(5), "base64").length, 32);
  assert.equal(publicKeyOf(secretKey), publicKey);
  const headers = signHeaders(secretKey, "msg_gen", new Date(), body);
  assert.match(headers["webhook-signature"], /^v1a,/);
  assert.equal(verifyWebhook({ publicKey }, headers, body).scheme, "v1a");
  // The public key reads as node:crypto reads a JWK.
  const key = createPublicKey({
    key: {
      kty: "OKP",
      crv: "Ed25519",
      x: Buffer.from(publicKey.slice(5), "base64").toString("base64url"),
    },
    format: "jwk",
  });
  const sig = signV1a(secretKey, "m", 1, "x").slice(4);
  assert.ok(verify(null, Buffer.from("m.1.x"), key, Buffer.from(sig, "base64")));
  // Keys go where they belong.
  assert.throws(() => new WebhookVerifier({ publicKey: secretKey }), /whpk_/);
  assert.throws(() => new WebhookVerifier({ secret: publicKey }), /v1a/);
  assert.throws(() => new WebhookVerifier({}), /secret/);
});

test("refusals: missing headers, bad or stale timestamps, tampered body, wrong key, bad header", () => {
  const secret = generateSecret();
  const verifier = new WebhookVerifier({ secret });
  const ts = now();
  const good = signHeaders(secret, "msg_r", ts, body);
  assert.equal(verifier.verify(good, body).id, "msg_r");

  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"] as const) {
    const { [name]: _dropped, ...rest } = good;
    refused(() => verifier.verify(rest, body), "missing_headers");
  }
  refused(() => verifier.verify({ ...good, "webhook-timestamp": "12.5" }, body), "bad_timestamp");
  refused(() => verifier.verify({ ...good, "webhook-timestamp": "soon" }, body), "bad_timestamp");
  const at = (t: number) => signHeaders(secret, "msg_t", t, body);
  refused(() => verifier.verify(at(ts - 301), body), "timestamp_too_old");
  refused(() => verifier.verify(at(ts + 301), body), "timestamp_too_new");
  assert.equal(verifier.verify(at(ts - 290), body).id, "msg_t");
  assert.equal(verifier.verify(at(ts + 290), body).id, "msg_t");
  // The tolerance is configurable.
  const strict = new WebhookVerifier({ secret, toleranceSeconds: 10 });
  refused(() => strict.verify(at(ts - 30), body), "timestamp_too_old");
  // A signature made for one timestamp does not verify with another.
  refused(
    () => verifier.verify({ ...good, "webhook-timestamp": String(ts - 1) }, body),
    "no_matching_signature",
  );
  refused(() => verifier.verify(good, body.replace("1", "2")), "no_matching_signature");
  refused(
    () => verifier.verify({ ...good, "webhook-id": "msg_other" }, body),
    "no_matching_signature",
  );
  refused(
    () => new WebhookVerifier({ secret: generateSecret() }).verify(good, body),
    "no_matching_signature",
  );
  refused(
    () => verifier.verify({ ...good, "webhook-signature": "garbage" }, body),
    "bad_signature_header",
  );
  refused(
    () => verifier.verify({ ...good, "webhook-signature": "v2,abc" }, body),
    "no_matching_signature",
  );
  // A v1a signature where only a whsec_ secret is configured: the message says so.
  const ed = signHeaders(generateKeyPair().secretKey, "msg_r", ts, body);
  assert.throws(() => verifier.verify(ed, body), /no signature of a kind/);
});

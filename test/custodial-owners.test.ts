import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ownerFields,
  ownerKey,
  parseOwner,
  type OwnerInput,
} from "../src/core/chain/custodial-owners.js";

// A custodial wallet's owner as Crossmint's wallet API names it (exactly one of email and
// userId), and the key the wallets table keeps it under.

test("parseOwner: exactly one of email and userId, each checked as recipients check it", () => {
  const long = "u".repeat(256);
  const rows: Array<[string, OwnerInput, object | RegExp]> = [
    ["email", { email: "ada@example.com" }, { email: "ada@example.com" }],
    ["email's domain lower-cased", { email: "Ada@EXAMPLE.com" }, { email: "Ada@example.com" }],
    ["email trimmed", { email: "  ada@example.com\t" }, { email: "ada@example.com" }],
    ["user id as given", { userId: "User-42" }, { userId: "User-42" }],
    [
      "user id that looks like an email",
      { userId: "ada@example.com" },
      { userId: "ada@example.com" },
    ],
    ["user id with spaces kept", { userId: " a b " }, { userId: " a b " }],
    ["neither", {}, /missing: give email or userId/],
    ["both", { email: "ada@example.com", userId: "u" }, /either email or userId, not both/],
    ["both, one empty", { email: "", userId: "u" }, /not both/],
    ["empty email", { email: "" }, /the email is empty/],
    ["not an email", { email: "ada" }, /"ada" is not a valid email address/],
    ["email with a colon", { email: "a:b@example.com" }, /not a valid email/],
    ["blank user id", { userId: "  " }, /the user id is empty/],
    ["user id of 256 characters", { userId: long }, /longer than 255 characters/],
    ["user id of 255 emoji (1020 bytes)", { userId: "😀".repeat(255) }, /longer than 900 bytes/],
    ["user id with a newline", { userId: "a\nb" }, /control characters/],
  ];
  for (const [name, input, expected] of rows) {
    const parsed = parseOwner(input);
    if (expected instanceof RegExp) {
      assert.equal(parsed.ok, false, name);
      assert.match((parsed as { message: string }).message, expected, name);
    } else {
      assert.deepEqual(parsed, { ok: true, owner: expected }, name);
    }
  }
});

test("owner keys: an email and a user id of the same text never share a key", () => {
  const rows: Array<[string, Parameters<typeof ownerKey>[0], string]> = [
    ["email lower-cased", { email: "Ada@Example.com" }, "ada@example.com"],
    ["user id as given", { userId: "Ada@Example.com" }, "userId:Ada@Example.com"],
    ["user id case kept", { userId: "USER" }, "userId:USER"],
  ];
  for (const [name, owner, key] of rows) {
    assert.equal(ownerKey(owner), key, name);
    assert.deepEqual(ownerFields(key), "email" in owner ? { email: key } : owner, name);
  }
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { parseEvmAddress } from "../src/chain/evm/address.js";
import { chainUnavailable } from "../src/core/chain/chains.js";
import {
  formatRecipient,
  parseRecipient as parseAnyRecipient,
  recipientChainMatches,
  type Recipient,
} from "../src/core/chain/recipients.js";

// Every chain here is an EVM chain; "base" is one a family knows but is not configured.
const parseRecipient = (text: string, chains: readonly string[]) =>
  parseAnyRecipient(text, {
    unavailable: (chain) => chainUnavailable(chain, chains, ["base", "base-sepolia"]),
    parseAddress: (_chain, address) => parseEvmAddress(address),
  });

const CHAINS = ["local", "polygon-amoy", "base-sepolia"] as const;
const KNOWN = "known chains: local, polygon-amoy, base-sepolia";
const ENABLE_BASE =
  'chain "base" is not configured on this Herald: add {"name":"base","rpcUrl":"…"} to HERALD_CHAINS';
// EIP-55's own test vector.
const CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
const LOWER = CHECKSUMMED.toLowerCase();
const UPPER = `0x${CHECKSUMMED.slice(2).toUpperCase()}`;
const BAD_CHECKSUM = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
const NO_TWITTER =
  "Herald has no X (Twitter) identity provider, so it cannot find a handle's wallet; " +
  'use "<chain>:<address>", "email:<email>:<chain>" or "userId:<userId>:<chain>"';
// 64 + 1 + 189 = 254 characters: the longest accepted.
const LONGEST_EMAIL = `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.com`;
const FORMS = '"<chain>:<address>", "email:<email>:<chain>" or "userId:<userId>:<chain>"';

test("parseRecipient", () => {
  const rows: Array<[string, string, Recipient | string]> = [
    // name, input, expected recipient or error message
    ["checksummed address", `local:${CHECKSUMMED}`, address("local", CHECKSUMMED)],
    ["lower-case address is checksummed", `local:${LOWER}`, address("local", CHECKSUMMED)],
    [
      "upper-case address is checksummed",
      `polygon-amoy:${UPPER}`,
      address("polygon-amoy", CHECKSUMMED),
    ],
    [
      "surrounding whitespace is ignored",
      `  base-sepolia:${LOWER}\n`,
      address("base-sepolia", CHECKSUMMED),
    ],
    [
      "wrong mixed-case checksum",
      `local:${BAD_CHECKSUM}`,
      `"${BAD_CHECKSUM}" has an invalid EIP-55 checksum (did you mean ${CHECKSUMMED}?)`,
    ],
    [
      "address too short",
      "local:0x1234",
      '"0x1234" is not an EVM address (expected 0x followed by 40 hex digits)',
    ],
    [
      "address without 0x",
      `local:${LOWER.slice(2)}`,
      `"${LOWER.slice(2)}" is not an EVM address (expected 0x followed by 40 hex digits)`,
    ],
    [
      "address with a non-hex digit",
      `local:0x${"g".repeat(40)}`,
      `"0x${"g".repeat(40)}" is not an EVM address (expected 0x followed by 40 hex digits)`,
    ],
    [
      "address with 0X prefix",
      `local:0X${LOWER.slice(2)}`,
      `"0X${LOWER.slice(2)}" is not an EVM address (expected 0x followed by 40 hex digits)`,
    ],
    ["zero address", `local:0x${"0".repeat(40)}`, "the zero address cannot receive tokens"],
    ["unknown chain", `ethereum:${CHECKSUMMED}`, `unknown chain "ethereum"; ${KNOWN}`],
    ["chain names are case-sensitive", `Local:${CHECKSUMMED}`, `unknown chain "Local"; ${KNOWN}`],
    ["known chain, not configured", `base:${CHECKSUMMED}`, ENABLE_BASE],
    ["known chain, not configured, email", "email:a@b.co:base", ENABLE_BASE],
    ["no chain", `:${CHECKSUMMED}`, `":${CHECKSUMMED}" names no chain; expected ${FORMS}`],
    ["bare address", CHECKSUMMED, `"${CHECKSUMMED}" is not a recipient; expected ${FORMS}`],
    ["empty", "   ", `recipient is empty; expected ${FORMS}`],
    ["email", "email:alice@example.com:local", email("local", "alice@example.com")],
    [
      "email domain is lower-cased, local part kept",
      "email:Alice.Smith+nft@Example.COM:polygon-amoy",
      email("polygon-amoy", "Alice.Smith+nft@example.com"),
    ],
    [
      "email with subdomain and IDN TLD",
      "email:a@mail.xn--p1ai:local",
      email("local", "a@mail.xn--p1ai"),
    ],
    ["email keyword in any case", "EMAIL:bob@example.org:local", email("local", "bob@example.org")],
    [
      "email on an unknown chain",
      "email:alice@example.com:solana",
      `unknown chain "solana"; ${KNOWN}`,
    ],
    [
      "email without a chain",
      "email:alice@example.com",
      '"email:alice@example.com" names no chain; expected "email:<email>:<chain>"',
    ],
    [
      "email with an empty chain",
      "email:alice@example.com:",
      '"email:alice@example.com:" names no chain; expected "email:<email>:<chain>"',
    ],
    [
      "email without @",
      "email:alice.example.com:local",
      '"alice.example.com" is not a valid email address',
    ],
    [
      "email without a dot in the domain",
      "email:alice@localhost:local",
      '"alice@localhost" is not a valid email address',
    ],
    [
      "email with two @",
      "email:a@b@example.com:local",
      '"a@b@example.com" is not a valid email address',
    ],
    [
      "email with a space",
      "email:al ice@example.com:local",
      '"al ice@example.com" is not a valid email address',
    ],
    [
      "email with consecutive dots",
      "email:a..b@example.com:local",
      '"a..b@example.com" is not a valid email address',
    ],
    [
      "email with a numeric TLD",
      "email:a@example.123:local",
      '"a@example.123" is not a valid email address',
    ],
    ["empty email", "email::local", "the email is empty"],
    [
      "email longer than 254 characters",
      `email:${"a".repeat(60)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.${"e".repeat(60)}.com:local`,
      "the email is longer than 254 characters",
    ],
    [
      "email of exactly 254 characters",
      `email:${LONGEST_EMAIL}:local`,
      email("local", LONGEST_EMAIL),
    ],
    [
      "email local part longer than 64 characters",
      `email:${"a".repeat(65)}@example.com:local`,
      `"${"a".repeat(65)}@example.com" is not a valid email address`,
    ],
    // Crossmint's userId form: any id the project chose, case kept; the chain after the last ':'.
    ["userId form", "userId:1234:local", { kind: "userId", chain: "local", userId: "1234" }],
    [
      "userId with colons and case",
      "userId:Tenant:Alice:local",
      { kind: "userId", chain: "local", userId: "Tenant:Alice" },
    ],
    ["userId without an id", "userId::local", "the user id is empty"],
    [
      "userId of 255 emoji: 255 characters, 1020 bytes",
      `userId:${"😀".repeat(255)}:local`,
      "the user id is longer than 900 bytes in UTF-8",
    ],
    [
      "userId of 255 characters of 3 bytes",
      `userId:${"€".repeat(255)}:local`,
      { kind: "userId", chain: "local", userId: "€".repeat(255) },
    ],
    [
      "userId without a chain",
      "userId:1234",
      '"userId:1234" names no chain; expected "userId:<userId>:<chain>"',
    ],
    ["twitter form", "twitter:@herald:local", NO_TWITTER],
    ["twitter form without @", "twitter:herald:local", NO_TWITTER],
  ];
  for (const [name, input, expected] of rows) {
    const result = parseRecipient(input, CHAINS);
    if (typeof expected === "string") {
      assert.deepEqual(result, { ok: false, message: expected }, name);
    } else {
      assert.deepEqual(result, { ok: true, recipient: expected }, name);
    }
  }
});

test("parseRecipient with no chains configured says so", () => {
  assert.deepEqual(parseRecipient(`local:${CHECKSUMMED}`, []), {
    ok: false,
    message: 'unknown chain "local"; known chains: none configured',
  });
});

test("recipientChainMatches", () => {
  const rows: Array<[Recipient, string, boolean]> = [
    [address("local", CHECKSUMMED), "local", true],
    [address("local", CHECKSUMMED), "polygon-amoy", false],
    [email("base-sepolia", "a@example.com"), "base-sepolia", true],
    [email("base-sepolia", "a@example.com"), "local", false],
  ];
  for (const [recipient, chain, expected] of rows) {
    assert.equal(
      recipientChainMatches(recipient, chain),
      expected,
      `${recipient.chain} vs ${chain}`,
    );
  }
});

test("formatRecipient gives the canonical form, which parses back to the same recipient", () => {
  const rows: Array<[string, string]> = [
    [`local:${LOWER}`, `local:${CHECKSUMMED}`],
    ["email:Bob@EXAMPLE.com:local", "email:Bob@example.com:local"],
  ];
  for (const [input, canonical] of rows) {
    const parsed = parseRecipient(input, CHAINS);
    assert.ok(parsed.ok, input);
    assert.equal(formatRecipient(parsed.recipient), canonical);
    assert.deepEqual(parseRecipient(canonical, CHAINS), parsed);
  }
});

function address(chain: string, value: string): Recipient {
  return { kind: "address", chain, address: value as `0x${string}` };
}

function email(chain: string, value: string): Recipient {
  return { kind: "email", chain, email: value };
}

// Random requests for Crossmint's wallet routes, near what they take and far from it, for the
// fuzz in test/compat/crossmint-wallets.test.ts, drawn from a seeded generator (random.ts).
import type { Random } from "./random.js";

const ADA = "ada@example.com";
const USER = "Ada@Example.com";
const NOBODY = "0x000000000000000000000000000000000000dEaD";

// prettier-ignore
const ODD = ["\u0000", "\u001f", "\u007f", "é", "\u200b", "\u202e", "😀", "\ud800", "\ufeff", '"', "\\", "/", "?", "#", "%", "%zz", ":", "@", " ", "\n", "'", "<b>", "${x}", "::"];
// prettier-ignore
const EMAILS = [ADA, "Ada@EXAMPLE.com", " ada@example.com ", "a+b@example.co", "a@b", "@example.com", "ada@", "a:b@example.com", `${"a".repeat(65)}@example.com`, `a@${"b".repeat(250)}.com`, "ünï@example.com", "ada@example.com\n"];
// prettier-ignore
const USER_IDS = [USER, "u", "", " ", "user:with:colons", "userId:nested:local", "a\u0000b", "u".repeat(255), "u".repeat(256), "😀".repeat(255), "😀".repeat(256)];
// prettier-ignore
const CHAINS = ["local", "base-sepolia", "polygon", "ethereum", "solana", "mars", "", "LOCAL", "local ", "x".repeat(101)];
// prettier-ignore
const ADDRESSES = [NOBODY, NOBODY.toLowerCase(), "0x123", "0x", "", "0xZZ00000000000000000000000000000000000000", NOBODY.toUpperCase(), `${NOBODY}00`];

function oddText(r: Random): string {
  const roll = r.next();
  if (roll < 0.05) return r.pick(ODD).repeat(300 + r.int(2000));
  let text = "";
  for (let i = r.int(30); i > 0; i--)
    text += r.next() < 0.3 ? r.pick(ODD) : String.fromCharCode(32 + r.int(95));
  return text;
}

const text = (r: Random, pool: readonly string[]) => (r.next() < 0.8 ? r.pick(pool) : oddText(r));
const anyValue = (r: Random): unknown =>
  r.pick<() => unknown>([
    () => null,
    () => r.int(1e6),
    () => [],
    () => ({}),
    () => true,
    () => oddText(r),
    () => [oddText(r)],
  ])();

export function walletBody(r: Random): string {
  const body: Record<string, unknown> = {};
  const owner = r.next();
  if (owner < 0.45 || owner > 0.9) body.email = r.next() < 0.9 ? text(r, EMAILS) : anyValue(r);
  if (owner >= 0.45) body.userId = r.next() < 0.9 ? text(r, USER_IDS) : anyValue(r);
  if (r.next() < 0.9) body.chain = r.next() < 0.9 ? text(r, CHAINS) : anyValue(r);
  if (r.next() < 0.1) body[r.pick(["type", "__proto__", "constructor", ""])] = anyValue(r);
  const json = JSON.stringify(r.next() < 0.9 ? body : anyValue(r)) ?? "null";
  const roll = r.next();
  if (roll < 0.85) return json;
  if (roll < 0.93) return json.slice(0, r.int(json.length + 1));
  return r.pick(["", " ", "{", '{"email":', "\u0000", "[]", "1e999", '{"a":1}{"b":2}']);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A query or path text: percent-encoded, raw when it is plain ASCII, or with a broken escape. */
function inUrl(r: Random, value: string): string {
  const roll = r.next();
  if (roll < 0.1) return value.replace(/[^A-Za-z0-9@:.+-]/g, "") + "%E0%A4%A";
  if (roll < 0.4 && /^[\x21-\x7e]*$/.test(value) && !/[/?#%]/.test(value)) return value;
  // A lone surrogate has no UTF-8 form: a client sends U+FFFD for it.
  return encodeURIComponent(value.replace(LONE_SURROGATE, "\ufffd"));
}

export function ownerQuery(r: Random): string {
  const parts: string[] = [];
  if (r.next() < 0.6) parts.push(`email=${inUrl(r, text(r, EMAILS))}`);
  if (r.next() < 0.5) parts.push(`userId=${inUrl(r, text(r, USER_IDS))}`);
  if (r.next() < 0.1) parts.push(`${r.pick(["email", "userId", "chain"])}=${inUrl(r, oddText(r))}`);
  return parts.length > 0 ? `?${parts.join("&")}` : r.pick(["", "?", "?email", "?userId="]);
}

function identifier(r: Random): string {
  const chain = text(r, CHAINS);
  return r.pick<() => string>([
    () => `${chain}:${text(r, ADDRESSES)}`,
    () => `email:${text(r, EMAILS)}:${chain}`,
    () => `userId:${text(r, USER_IDS)}:${chain}`,
    () => `${r.pick(["twitter", "x", "EMAIL", "userid", ""])}:${oddText(r)}:${chain}`,
    () => oddText(r),
  ])();
}

export function walletPath(r: Random): string {
  const base = `/wallets/${inUrl(r, identifier(r))}`;
  if (r.next() < 0.35) return base;
  const page = r.pick([
    "1",
    "2",
    "0",
    "-1",
    "1000000",
    "1000001",
    "1.5",
    "abc",
    "",
    "9".repeat(30),
  ]);
  const perPage = r.pick(["1", "20", "100", "101", "0", "x", ""]);
  const query = r.pick([
    `?page=${page}&perPage=${perPage}`,
    `?page=${page}`,
    "",
    `?perPage=${perPage}`,
  ]);
  return `${base}/nfts${query}`;
}

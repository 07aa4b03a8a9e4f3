import assert from "node:assert/strict";
import { test } from "node:test";
import {
  deriveSymbol,
  validateCollectionMetadata,
  validateNftMetadata,
} from "../src/core/policy/nft-metadata.js";

const IMAGE = "https://example.com/cat.png";
const URL_MESSAGE = "must be an http(s):// URL or an ipfs:// URI";
const attrs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ trait_type: `t${i}`, value: i }));

test("validateNftMetadata", () => {
  const rows: Array<[string, unknown, string | null]> = [
    // name, input, expected error (null: accepted as given)
    ["name only", { name: "Cat" }, null],
    [
      "all documented fields",
      {
        name: "Cat #1",
        image: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/1.png",
        description: "A cat",
        animation_url: "https://example.com/cat.mp4",
        attributes: [
          { trait_type: "Color", value: "Orange" },
          { trait_type: "Level", value: 5, display_type: "number" },
          { trait_type: "Boost", value: 1.5, display_type: "boost_percentage", max_value: 10 },
        ],
      },
      null,
    ],
    [
      "unknown top-level fields are kept",
      { name: "Cat", external_url: IMAGE, extra: { a: [1] } },
      null,
    ],
    ["name of 200 characters", { name: "n".repeat(200) }, null],
    ["name of 200 emoji (code points)", { name: "🐱".repeat(200) }, null],
    ["description of 2000 characters", { name: "Cat", description: "d".repeat(2000) }, null],
    ["100 attributes", { name: "Cat", attributes: attrs(100) }, null],
    ["empty attributes", { name: "Cat", attributes: [] }, null],
    ["missing metadata", undefined, "metadata is required"],
    ["null metadata", null, "metadata is required"],
    ["metadata as an array", [{ name: "Cat" }], "metadata must be a JSON object"],
    ["metadata as a string", '{"name":"Cat"}', "metadata must be a JSON object"],
    ["missing name", { image: IMAGE }, "metadata.name is required"],
    ["empty name", { name: "" }, "metadata.name must not be empty"],
    ["blank name", { name: "   " }, "metadata.name must not be empty"],
    ["numeric name", { name: 42 }, "metadata.name must be a string"],
    [
      "name of 201 characters",
      { name: "n".repeat(201) },
      "metadata.name must be at most 200 characters",
    ],
    ["image not a URL", { name: "Cat", image: "cat.png" }, `metadata.image ${URL_MESSAGE}`],
    [
      "image as ftp",
      { name: "Cat", image: "ftp://example.com/cat.png" },
      `metadata.image ${URL_MESSAGE}`,
    ],
    [
      "image as javascript:",
      { name: "Cat", image: "javascript:alert(1)" },
      `metadata.image ${URL_MESSAGE}`,
    ],
    ["image as bare ipfs://", { name: "Cat", image: "ipfs://" }, `metadata.image ${URL_MESSAGE}`],
    ["image not a string", { name: "Cat", image: 7 }, "metadata.image must be a URL string"],
    ["image null", { name: "Cat", image: null }, "metadata.image must be a URL string"],
    [
      "animation_url not a URL",
      { name: "Cat", animation_url: "movie" },
      `metadata.animation_url ${URL_MESSAGE}`,
    ],
    [
      "description of 2001 characters",
      { name: "Cat", description: "d".repeat(2001) },
      "metadata.description must be at most 2000 characters",
    ],
    [
      "description not a string",
      { name: "Cat", description: ["a"] },
      "metadata.description must be a string",
    ],
    [
      "attributes not an array",
      { name: "Cat", attributes: { a: 1 } },
      "metadata.attributes must be an array",
    ],
    [
      "101 attributes",
      { name: "Cat", attributes: attrs(101) },
      "metadata.attributes must have at most 100 entries",
    ],
    [
      "attribute not an object",
      { name: "Cat", attributes: ["Orange"] },
      "metadata.attributes[0] must be an object",
    ],
    [
      "attribute without trait_type",
      { name: "Cat", attributes: [{ trait_type: "a", value: 1 }, { value: "x" }] },
      "metadata.attributes[1].trait_type is required",
    ],
    [
      "attribute without value",
      { name: "Cat", attributes: [{ trait_type: "Color" }] },
      "metadata.attributes[0].value is required",
    ],
    [
      "attribute with a boolean value",
      { name: "Cat", attributes: [{ trait_type: "Rare", value: true }] },
      "metadata.attributes[0].value must be a string or a number",
    ],
    [
      "attribute with a NaN value (null in JSON)",
      { name: "Cat", attributes: [{ trait_type: "Level", value: NaN }] },
      "metadata.attributes[0].value must be a string or a number",
    ],
    [
      "attribute with a numeric display_type",
      { name: "Cat", attributes: [{ trait_type: "Level", value: 1, display_type: 1 }] },
      "metadata.attributes[0].display_type must be a string",
    ],
    [
      "JSON over 64 KB",
      { name: "Cat", blob: "x".repeat(64 * 1024) },
      `metadata is ${64 * 1024 + 24} bytes as JSON; at most 65536 allowed`,
    ],
    ["not JSON (bigint)", { name: "Cat", supply: 1n }, "metadata must be plain JSON"],
  ];
  for (const [name, input, expected] of rows) {
    const result = validateNftMetadata(input);
    if (expected === null) {
      assert.deepEqual(result, { ok: true, metadata: input }, name);
    } else {
      assert.deepEqual(result, { ok: false, message: expected }, name);
    }
  }
});

test("the 64 KB limit counts UTF-8 bytes of the whole JSON", () => {
  const overhead = JSON.stringify({ name: "Cat", blob: "" }).length;
  const fits = { name: "Cat", blob: "x".repeat(64 * 1024 - overhead) };
  assert.equal(validateNftMetadata(fits).ok, true);
  // "é" is two bytes in UTF-8: the same character count no longer fits.
  const multibyte = { name: "Cat", blob: `é${"x".repeat(64 * 1024 - overhead - 1)}` };
  assert.equal(validateNftMetadata(multibyte).ok, false);
});

test("validateNftMetadata returns a JSON copy", () => {
  const input = { name: "Cat", gone: undefined, nested: { at: new Date(0) } };
  const result = validateNftMetadata(input);
  assert.deepEqual(result, {
    ok: true,
    metadata: { name: "Cat", nested: { at: "1970-01-01T00:00:00.000Z" } },
  });
  assert.ok(result.ok && result.metadata !== (input as unknown));
});

test("validateCollectionMetadata", () => {
  const rows: Array<[string, unknown, Record<string, unknown> | string]> = [
    // name, input, expected normalized metadata or error
    ["symbol derived from the name", { name: "Cool Cats" }, { name: "Cool Cats", symbol: "COOLC" }],
    ["derived symbol keeps digits", { name: "a1 b2" }, { name: "a1 b2", symbol: "A1B2" }],
    [
      "derived symbol ignores non-ASCII",
      { name: "Café ñ 9" },
      { name: "Café ñ 9", symbol: "CAF9" },
    ],
    [
      "no ASCII letter or digit: fallback symbol",
      { name: "猫猫" },
      { name: "猫猫", symbol: "NFT" },
    ],
    ["symbol given", { name: "Cool Cats", symbol: "MEOW" }, { name: "Cool Cats", symbol: "MEOW" }],
    [
      "symbol of 11 characters",
      { name: "C", symbol: "ABCDEFGHIJK" },
      { name: "C", symbol: "ABCDEFGHIJK" },
    ],
    ["symbol is trimmed", { name: "C", symbol: " CAT " }, { name: "C", symbol: "CAT" }],
    [
      "all fields; unknown fields dropped",
      { name: "C", symbol: "C", description: "d", imageUrl: "ipfs://cid", extra: 1 },
      { name: "C", symbol: "C", description: "d", imageUrl: "ipfs://cid" },
    ],
    ["missing metadata", undefined, "metadata is required"],
    ["missing name", { symbol: "CAT" }, "metadata.name is required"],
    ["blank name", { name: " " }, "metadata.name must not be empty"],
    [
      "name of 201 characters",
      { name: "n".repeat(201) },
      "metadata.name must be at most 200 characters",
    ],
    [
      "symbol of 12 characters",
      { name: "C", symbol: "ABCDEFGHIJKL" },
      "metadata.symbol must be at most 11 characters",
    ],
    ["blank symbol", { name: "C", symbol: "  " }, "metadata.symbol must not be empty"],
    [
      "symbol with a control character",
      { name: "C", symbol: "A\u0000B" },
      "metadata.symbol must not contain control characters",
    ],
    ["symbol not a string", { name: "C", symbol: 5 }, "metadata.symbol must be a string"],
    [
      "description too long",
      { name: "C", description: "d".repeat(2001) },
      "metadata.description must be at most 2000 characters",
    ],
    [
      "imageUrl not a URL",
      { name: "C", imageUrl: "/logo.png" },
      `metadata.imageUrl ${URL_MESSAGE}`,
    ],
  ];
  for (const [name, input, expected] of rows) {
    const result = validateCollectionMetadata(input);
    if (typeof expected === "string") {
      assert.deepEqual(result, { ok: false, message: expected }, name);
    } else {
      assert.deepEqual(result, { ok: true, metadata: expected }, name);
    }
  }
});

test("deriveSymbol", () => {
  const rows: Array<[string, string]> = [
    ["Bored Ape Yacht Club", "BORED"],
    ["x", "X"],
    ["--", "NFT"],
    ["2024 Drops", "2024D"],
  ];
  for (const [name, symbol] of rows) assert.equal(deriveSymbol(name), symbol, name);
});

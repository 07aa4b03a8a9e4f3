// Fee ceilings as callers write them (gwei, decimal text) and how two combine
// (src/core/policy/fee-ceiling.ts): HERALD_CHAINS' maxFeePerGas and x-herald-max-fee-per-gas.
import assert from "node:assert/strict";
import { test } from "node:test";
import { lowerCeiling, parseGweiCeiling } from "../src/core/policy/fee-ceiling.js";

test("parseGweiCeiling: gwei in, wei out; anything else null", () => {
  const cases: [string, bigint | null][] = [
    ["50", 50_000_000_000n],
    ["0.5", 500_000_000n],
    ["0.000000001", 1n],
    ["1.25", 1_250_000_000n],
    [" 30 ", 30_000_000_000n],
    ["999999999999.999999999", 999_999_999_999_999_999_999n],
    ["0", null],
    ["0.000000000", null],
    ["0.0000000001", null], // below one wei
    ["1000000000000", null], // 13 digits
    ["-1", null],
    ["1e9", null],
    ["1.", null],
    [".5", null],
    ["0x10", null],
    ["", null],
    ["50 gwei", null],
  ];
  for (const [text, wei] of cases) assert.equal(parseGweiCeiling(text), wei, JSON.stringify(text));
});

test("lowerCeiling: the lower of two, either absent", () => {
  const cases: [bigint | undefined, bigint | undefined, bigint | undefined][] = [
    [undefined, undefined, undefined],
    [5n, undefined, 5n],
    [undefined, 7n, 7n],
    [5n, 7n, 5n],
    [9n, 7n, 7n],
  ];
  for (const [a, b, expected] of cases) assert.equal(lowerCeiling(a, b), expected, `${a} ${b}`);
});

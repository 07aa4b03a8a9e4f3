import assert from "node:assert/strict";
import { test } from "node:test";
import { formatAmount, parseAmount } from "../src/core/policy/token-amounts.js";

// Reward amounts in and out: decimal strings and the SDKs' numbers, to 18 decimals, never a float.

test("parseAmount: decimal strings and numbers to integer units; refusals say why", () => {
  // prettier-ignore
  const table: Array<[unknown, bigint | RegExp]> = [
    ["1.23", 1_230_000_000_000_000_000n],
    [1.23, 1_230_000_000_000_000_000n],
    ["0.000000000000000001", 1n],
    ["0.0000000000000000010", 1n],
    [1e-18, 1n],
    [1e-7, 100_000_000_000n],
    [0.001, 1_000_000_000_000_000n],
    [123.123, 123_123_000_000_000_000_000n],
    ["5", 5_000_000_000_000_000_000n],
    [" 7.5 ", 7_500_000_000_000_000_000n],
    [1e17, 10n ** 35n],
    [1e21, /too large/],
    ["0.1", 100_000_000_000_000_000n],
    [0.1, 100_000_000_000_000_000n],
    ["0.0000000000000000001", /more than 18 decimals/],
    [1e-19, /more than 18 decimals/],
    ["0", /greater than 0/],
    [0, /greater than 0/],
    ["-1", /not a decimal/],
    [-1, /not a decimal/],
    ["1e3", /not a decimal/],
    ["1,5", /not a decimal/],
    [".5", /not a decimal/],
    ["", /not a decimal/],
    ["0x10", /not a decimal/],
    [Number.NaN, /finite/],
    [Infinity, /finite/],
    [null, /decimal string/],
    [true, /decimal string/],
    [["1"], /decimal string/],
    ["1" + "0".repeat(19), /too large/],
  ];
  for (const [input, expected] of table) {
    const parsed = parseAmount(input);
    if (typeof expected === "bigint") {
      assert.deepEqual(parsed, { ok: true, units: expected }, String(input));
    } else {
      assert.equal(parsed.ok, false, String(input));
      assert.match((parsed as { message: string }).message, expected, String(input));
    }
  }
});

test("formatAmount: the shortest decimal string, and it reads back to the same units", () => {
  // prettier-ignore
  const table: Array<[bigint, string]> = [
    [1n, "0.000000000000000001"],
    [1_230_000_000_000_000_000n, "1.23"],
    [5_000_000_000_000_000_000n, "5"],
    [0n, "0"],
    [10n ** 36n, "1000000000000000000"],
  ];
  for (const [units, text] of table) {
    assert.equal(formatAmount(units), text);
    if (units > 0n) assert.deepEqual(parseAmount(text), { ok: true, units });
  }
});

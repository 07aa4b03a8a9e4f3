// The signer pool's policy (src/core/policy/signer-choice.ts), table by table.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  balanceCrossing,
  pickSigner,
  type SignerPick,
  type SignerState,
} from "../../src/core/policy/signer-choice.js";

const s = (address: string, pending: number, funded = true, maxPending = 16): SignerState => ({
  address,
  pending,
  maxPending,
  funded,
});
const all = new Set(["A", "B", "C"]);

test("pickSigner: sticky order keys, most room, unfunded and disallowed signers left out", () => {
  const cases: Array<[string, SignerState[], Set<string>, string | null, SignerPick]> = [
    [
      "the most room wins",
      [s("A", 5), s("B", 2), s("C", 9)],
      all,
      null,
      { kind: "signer", address: "B" },
    ],
    [
      "a tie goes to the first in pool order",
      [s("A", 3), s("B", 3), s("C", 3)],
      all,
      null,
      { kind: "signer", address: "A" },
    ],
    [
      "a full signer is skipped",
      [s("A", 16), s("B", 15)],
      all,
      null,
      { kind: "signer", address: "B" },
    ],
    ["all full: wait", [s("A", 16), s("B", 16)], all, null, { kind: "wait" }],
    [
      "an unfunded signer gets nothing new",
      [s("A", 0, false), s("B", 10)],
      all,
      null,
      { kind: "signer", address: "B" },
    ],
    [
      "no funded signer: unfunded",
      [s("A", 0, false), s("B", 0, false)],
      all,
      null,
      { kind: "unfunded" },
    ],
    [
      "only the contract's minters",
      [s("A", 0), s("B", 9)],
      new Set(["B"]),
      null,
      { kind: "signer", address: "B" },
    ],
    [
      "no allowed signer at all: unfunded (nothing can send it)",
      [s("A", 0)],
      new Set(["Z"]),
      null,
      { kind: "unfunded" },
    ],
    [
      "sticky: the order key's signer, however busy",
      [s("A", 15), s("B", 0)],
      all,
      "A",
      { kind: "signer", address: "A" },
    ],
    [
      "sticky and full: wait for it, never another signer",
      [s("A", 16), s("B", 0)],
      all,
      "A",
      { kind: "wait" },
    ],
    [
      "sticky even when unfunded: its pending transaction holds the order",
      [s("A", 1, false), s("B", 0)],
      all,
      "A",
      { kind: "signer", address: "A" },
    ],
    [
      "a sticky signer no longer in the pool: chosen afresh",
      [s("B", 4)],
      all,
      "A",
      { kind: "signer", address: "B" },
    ],
    [
      "custom limits",
      [s("A", 3, true, 4), s("B", 10, true, 12)],
      all,
      null,
      { kind: "signer", address: "B" },
    ],
  ];
  for (const [name, signers, allowed, sticky, expected] of cases) {
    assert.deepEqual(pickSigner(signers, allowed, sticky), expected, name);
  }
});

test("balanceCrossing: published once per crossing below the threshold", () => {
  const cases: Array<
    [boolean | undefined, bigint, bigint | null, { low: boolean; publish: boolean }]
  > = [
    [undefined, 5n, 10n, { low: true, publish: true }],
    [false, 5n, 10n, { low: true, publish: true }],
    [true, 5n, 10n, { low: true, publish: false }],
    [true, 10n, 10n, { low: false, publish: false }],
    [false, 11n, 10n, { low: false, publish: false }],
    [undefined, 0n, null, { low: false, publish: false }],
  ];
  for (const [wasLow, balance, threshold, expected] of cases) {
    assert.deepEqual(balanceCrossing(wasLow, balance, threshold), expected, `${wasLow} ${balance}`);
  }
  // A signer topped up and drained again is announced again.
  let low: boolean | undefined;
  const published: bigint[] = [];
  for (const balance of [20n, 8n, 7n, 30n, 2n, 1n]) {
    const step = balanceCrossing(low, balance, 10n);
    if (step.publish) published.push(balance);
    low = step.low;
  }
  assert.deepEqual(published, [8n, 2n]);
});

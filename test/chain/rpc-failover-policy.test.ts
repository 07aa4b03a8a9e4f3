// The RPC failover policy (src/core/policy/rpc-failover.ts), table by table.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  backoffMs,
  isLagging,
  nodeOrder,
  type NodeHealth,
} from "../../src/core/policy/rpc-failover.js";

const NOW = 1_000_000;
const node = (downUntil = 0, head: bigint | null = null): NodeHealth => ({
  downUntil,
  failures: downUntil > 0 ? 1 : 0,
  head,
});

test("nodeOrder: up nodes in configured order, lagging ones last, the soonest back when all are down", () => {
  const cases: Array<[string, NodeHealth[], number[]]> = [
    ["all up: as configured", [node(), node(), node()], [0, 1, 2]],
    ["a down node is left out", [node(NOW + 5), node(), node()], [1, 2]],
    ["its back-off over: asked again", [node(NOW), node()], [0, 1]],
    ["lagging more than 3 blocks: after the others", [node(0, 95n), node(0, 100n)], [1, 0]],
    ["3 blocks behind is not lagging", [node(0, 97n), node(0, 100n)], [0, 1]],
    ["an unknown head is not lagging", [node(0, null), node(0, 100n)], [0, 1]],
    [
      "a lagging node is still asked when the others are down",
      [node(0, 90n), node(NOW + 9, 100n)],
      [0],
    ],
    ["all down: the soonest back", [node(NOW + 9), node(NOW + 2), node(NOW + 5)], [1]],
  ];
  for (const [name, nodes, expected] of cases)
    assert.deepEqual(nodeOrder(nodes, NOW), expected, name);
  assert.deepEqual(nodeOrder([node(0, 95n), node(0, 100n)], NOW, 10), [0, 1], "lagBlocks");
  assert.equal(isLagging(null, 10n, 3), false);
  assert.equal(isLagging(1n, null, 3), false);
});

test("backoffMs: Retry-After in seconds or as a date, else 1 s doubling up to a minute", () => {
  const date = new Date(NOW + 7_000).toUTCString();
  const cases: Array<[number, string | null, number]> = [
    [1, null, 1_000],
    [2, null, 2_000],
    [3, null, 4_000],
    [7, null, 60_000],
    [50, null, 60_000],
    [1, "2", 2_000],
    [5, "0", 0],
    [1, "86400", 300_000],
    [1, date, Date.parse(date) - NOW],
    [2, "soon", 2_000],
    [1, "", 1_000],
    [1, new Date(NOW - 5_000).toUTCString(), 1_000],
  ];
  for (const [failures, retryAfter, expected] of cases) {
    assert.equal(backoffMs(failures, retryAfter, NOW), expected, `${failures} ${retryAfter}`);
  }
});

// Which recorded logs a re-read range no longer has, what Herald's record of the token gets
// back, and the announcement's body (src/core/chain/asset-reorgs.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  assetReorgedEvent,
  nftOfUndone,
  removedLogs,
  undoPatch,
} from "../../src/core/chain/asset-reorgs.js";
import type { Nft, RecordedLog } from "../../src/core/chain/chain-types.js";

const ALICE = "0xA11CE00000000000000000000000000000000001";
const BOB = "0xB0B0000000000000000000000000000000000002";

function recorded(type: string | null, txLog: Record<string, unknown> = {}): RecordedLog {
  return {
    txHash: "0xt1",
    position: 0,
    blockNumber: 20,
    event: type
      ? {
          id: "evt-1",
          projectId: "p1",
          type,
          actionId: null,
          createdAt: 1,
          payload: JSON.stringify({
            id: "evt-1",
            type,
            data: {
              asset: { uid: "nft-1", token_id: 7 },
              collection: { uid: "col-1" },
              transaction_log: { type: "transfer", ...txLog },
            },
            timestamp: 1,
          }),
        }
      : null,
  };
}

const nft = (fields: Partial<Nft>) => ({ status: "minted", owner: BOB, ...fields }) as Nft;

test("removedLogs: recorded and absent now, by transaction and position", () => {
  const log = (txHash: string, position: number) => ({ ...recorded(null), txHash, position });
  const cases: [RecordedLog[], { txHash: string; position: number }[], string[]][] = [
    [[], [], []],
    [[log("0xa", 0)], [{ txHash: "0xa", position: 0 }], []],
    [[log("0xa", 0)], [], ["0xa:0"]],
    // The same transaction mined again in another block of the range is still there.
    [[log("0xa", 0), log("0xa", 1)], [{ txHash: "0xa", position: 1 }], ["0xa:0"]],
    [[log("0xa", 0)], [{ txHash: "0xb", position: 0 }], ["0xa:0"]],
  ];
  for (const [logs, present, expected] of cases) {
    const found = removedLogs(logs, present).map((l) => `${l.txHash}:${l.position}`);
    assert.deepEqual(found, expected);
  }
});

test("undoPatch: the record goes back only while it shows the removed log's change", () => {
  const moved = { from_address: ALICE, to_address: BOB };
  const cases: [RecordedLog, Nft | null, unknown][] = [
    [recorded("asset.transferred", moved), nft({ owner: BOB }), { owner: ALICE }],
    // Addresses compare without case.
    [recorded("asset.transferred", moved), nft({ owner: BOB.toLowerCase() }), { owner: ALICE }],
    // It moved on since: a later log decides the owner.
    [recorded("asset.transferred", moved), nft({ owner: ALICE }), null],
    [recorded("asset.burned"), nft({ status: "burned" }), { status: "minted" }],
    [recorded("asset.burned"), nft({ status: "minted" }), null],
    [recorded("asset.edited"), nft({}), null],
    [recorded("asset.minted"), nft({}), null],
    [recorded("asset.transferred", moved), null, null],
    [recorded(null), nft({}), null],
  ];
  for (const [log, current, expected] of cases) {
    assert.deepEqual(undoPatch(log, current), expected, `${log.event?.type} ${current?.owner}`);
  }
});

test("nftOfUndone: the token named by the undone event, if any", () => {
  assert.deepEqual(nftOfUndone(recorded("asset.transferred")), {
    projectId: "p1",
    collectionId: "col-1",
    id: "nft-1",
  });
  assert.equal(nftOfUndone(recorded(null)), null);
});

test("assetReorgedEvent: the undone event's data, naming it", () => {
  const log = recorded("asset.transferred", { from_address: ALICE, to_address: BOB });
  const event = assetReorgedEvent(log, 1_700_000_000_000)!;
  assert.equal(event.type, "asset.reorged");
  assert.equal(event.projectId, "p1");
  assert.equal(event.actionId, null);
  const body = JSON.parse(event.payload);
  assert.equal(body.id, event.id);
  assert.equal(body.type, "asset.reorged");
  assert.equal(body.timestamp, 1_700_000_000_000);
  assert.deepEqual(body.data, {
    ...JSON.parse(log.event!.payload).data,
    undone_event: { id: "evt-1", type: "asset.transferred" },
  });
  assert.equal(assetReorgedEvent(recorded(null), 1), null);
});

// One project must not stop every project's chain work. Values a chain cannot take are refused
// at the API; jobs stored with one anyway (by an older Herald, say) fail at once as their
// action's failed event, and another project's deployment and mint go through, across a
// restart. How a failed send is classified and when it is tried again is table-tested.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { HttpRequestError, IntegerOutOfRangeError, InvalidParamsRpcError, RpcError } from "viem";
import { isPermanentFailure } from "../../src/chain/evm/jobs/failures.js";
import type { Collection } from "../../src/core/chain/chain-types.js";
import { chainRetryDelayMs } from "../../src/core/policy/chain-retry.js";
import { newId } from "../../src/core/runtime/ids.js";
import { pendingAction } from "../../src/core/webhooks/actions.js";
import {
  apiClient,
  startTestHerald,
  TEST_ADMIN_TOKEN,
  type ApiClient,
  type TestHerald,
} from "../helpers/herald.js";

const dataDir = mkdtempSync(join(tmpdir(), "herald-poison-"));
let h: TestHerald;
before(() => {
  execFileSync(process.execPath, ["scripts/build-contracts.mjs", "--quiet"]);
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

const start = () => startTestHerald({ HERALD_DATA_DIR: dataDir });

/** A collection whose deployment cannot be encoded: its supply limit is above uint256. */
async function poisonCollection(herald: TestHerald, projectId: string) {
  const now = Date.now();
  const id = `poison-${newId()}`;
  const action = pendingAction(projectId, "collections.create", { collection: { id } }, "", now);
  const collection: Collection = {
    projectId,
    id,
    chain: "local",
    metadata: { name: "Poison", symbol: "PSN" },
    fungibility: "non-fungible",
    transferable: true,
    supplyLimit: 1e308,
    status: "pending",
    contractAddress: null,
    actionId: action.id,
    createdAt: now,
    updatedAt: now,
  };
  await herald.herald.services.store.createCollection(collection, action, {
    id: newId(),
    projectId,
    chain: "local",
    kind: "deploy",
    collectionId: id,
    nftId: null,
    actionId: action.id,
    payload: { name: "Poison", symbol: "PSN", supplyLimit: 1e308 },
    runAt: now,
    createdAt: now,
  });
  return action.id;
}

async function settled(api: ApiClient, actionId: string) {
  const res = await api("GET", `/actions/${actionId}?wait=30`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** Project B deploys a collection and mints into it; both succeed. */
async function deployAndMint(api: ApiClient) {
  const created = await api("POST", "/collections", {
    chain: "local",
    metadata: { name: "Healthy", symbol: "OK" },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.equal((await settled(api, created.body.actionId)).status, "succeeded");
  const minted = await api("POST", `/collections/${created.body.id}/nfts`, {
    recipient: "local:0x00000000000000000000000000000000000000b2",
    metadata: { name: "Fine" },
  });
  assert.equal(minted.status, 200, JSON.stringify(minted.body));
  assert.equal((await settled(api, minted.body.actionId)).status, "succeeded");
}

test("a value above what the chain takes is a 400 naming the field, on create and update", async () => {
  h = await start();
  try {
    for (const supplyLimit of [1e308, 2 ** 53, -1, 1.5]) {
      const res = await h.api("POST", "/collections", {
        chain: "local",
        metadata: { name: "Big", symbol: "BIG" },
        supplyLimit,
      });
      assert.equal(res.status, 400, `${supplyLimit}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.message, /supplyLimit/);
    }
    const ok = await h.api("POST", "/collections", {
      chain: "local",
      metadata: { name: "Ok", symbol: "OK" },
      supplyLimit: Number.MAX_SAFE_INTEGER,
    });
    assert.equal(ok.status, 200);
    const patch = await h.api("PATCH", `/collections/${ok.body.id}`, { supplyLimit: 1e308 });
    assert.equal(patch.status, 400);
    assert.match(patch.body.message, /supplyLimit/);
  } finally {
    await h.stop();
  }
});

test(
  "sixteen poisoned deployments: they fail at once; another project deploys and mints, across a restart",
  { timeout: 300_000 },
  async () => {
    h = await start();
    const admin = apiClient(h.url, null);
    const other = await admin(
      "POST",
      "/admin/projects",
      { name: "other" },
      {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
      },
    );
    assert.equal(other.status, 201, JSON.stringify(other.body));
    const project = await h.herald.services.store.getProjectByName("default");
    const poisoned = [];
    for (let i = 0; i < 16; i++) poisoned.push(await poisonCollection(h, project!.id));
    h.herald.services.signals.chainJobsQueued();
    try {
      await deployAndMint(apiClient(h.url, other.body.apiKey));
      for (const actionId of poisoned) {
        const action = await settled(h.api, actionId);
        assert.equal(action.status, "failed");
        assert.equal(action.data.error.reason, "invalid_transaction");
        assert.match(action.data.error.message, /out of range|uint256|Number/i);
      }
    } finally {
      await h.stop();
    }
    // Across a restart: nothing of them is left to send; the other project still works.
    h = await start();
    try {
      assert.deepEqual(await h.herald.services.store.listSendableChainJobs("local", 100), []);
      await deployAndMint(apiClient(h.url, other.body.apiKey));
    } finally {
      await h.stop();
    }
  },
);

test("a failed send: for good when the request can never be valid, else again later", () => {
  const rows: Array<[string, unknown, boolean]> = [
    ["a number out of range", new IntegerOutOfRangeError({ max: "1", min: "0", value: "2" }), true],
    ["invalid params", new InvalidParamsRpcError(new Error("bad")), true],
    ["the RPC is down", new HttpRequestError({ url: "http://rpc", status: 502 }), false],
    [
      "an RPC error",
      new RpcError(new Error("nonce too low"), { code: -32000, shortMessage: "nonce too low" }),
      false,
    ],
    ["anything else", new Error("socket hang up"), false],
  ];
  for (const [what, error, permanent] of rows)
    assert.equal(isPermanentFailure(error), permanent, what);

  const T = 1_000_000;
  const delays: Array<[number, number]> = [
    [0, 1000], // at least a second
    [8000, 2000], // a quarter of the time waited
    [3_600_000, 300_000], // at most five minutes
  ];
  for (const [age, delay] of delays) assert.equal(chainRetryDelayMs(T - age, T), delay);
});

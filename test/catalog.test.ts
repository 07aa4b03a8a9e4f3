import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BUILT_IN_EVENT_TYPES,
  EVENT_CATALOG,
  exampleBody,
  findEventType,
  isValidEventTypeName,
} from "../src/core/webhooks/catalog/catalog.js";
import { DESIGN_EVENT_TYPES, PINNED_BODY_KEYS } from "./helpers/design.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Json = Record<string, unknown>;
const crossmint = EVENT_CATALOG.filter((info) => info.family === "crossmint");
const allExamples = EVENT_CATALOG.flatMap((info) =>
  info.examples.map((example) => ({ info, ...example })),
);

test("every built-in type is present exactly once, in the design's order", () => {
  assert.deepEqual(
    EVENT_CATALOG.map((info) => info.name),
    DESIGN_EVENT_TYPES,
  );
  assert.deepEqual([...BUILT_IN_EVENT_TYPES], DESIGN_EVENT_TYPES);
  for (const name of DESIGN_EVENT_TYPES) assert.equal(findEventType(name)?.name, name);
  assert.equal(findEventType("nfts.create"), undefined);
});

test("families and descriptions", () => {
  const family = (prefix: string) =>
    EVENT_CATALOG.filter((i) => i.name.startsWith(prefix)).map((i) => i.family);
  assert.ok(family("collections.").every((f) => f === "crossmint"));
  assert.ok(family("asset.").every((f) => f === "chain-observed"));
  assert.equal(findEventType("wallet.created")?.family, "chain-observed");
  assert.equal(findEventType("endpoint.disabled")?.family, "operational");
  assert.equal(findEventType("delivery.exhausted")?.family, "operational");
  for (const info of EVENT_CATALOG) assert.ok(info.description.length > 0, info.name);
});

test("every example is a webhook body: id, type = name, data, numeric timestamp", () => {
  for (const { info, label, body } of allExamples) {
    const where = `${info.name} ${label}`;
    assert.match(String(body.id), UUID, where);
    assert.equal(body.type, info.name, where);
    assert.equal(typeof body.data, "object", where);
    assert.ok(body.data !== null, where);
    assert.equal(typeof body.timestamp, "number", where);
    assert.ok(Number.isInteger(body.timestamp), where);
    for (const key of Object.keys(body))
      assert.ok(PINNED_BODY_KEYS.includes(key), `${where}: ${key}`);
  }
  const ids = allExamples.map((e) => e.body.id);
  assert.equal(new Set(ids).size, ids.length, "example ids are unique");
});

test("every Crossmint type has an EVM example; Solana where Crossmint shows one", () => {
  for (const info of crossmint) assert.equal(info.examples[0]?.label, "EVM", info.name);
  for (const name of [
    "collections.create.succeeded",
    "nfts.create.succeeded",
    "nfts.update.succeeded",
  ]) {
    assert.ok(exampleBody(name, "Solana"), name);
  }
});

test("Crossmint examples carry the action fields; failed ones have no completedAt", () => {
  for (const info of crossmint) {
    for (const { label, body } of info.examples) {
      const where = `${info.name} ${label}`;
      // A wallet is not made by an action: its event has no actionId, as Herald sends it.
      if (info.name.startsWith("wallets.")) assert.equal("actionId" in body, false, where);
      else assert.match(String(body.actionId), UUID, where);
      assert.match(String(body.startedAt), ISO, where);
      assert.match(String(body.resource), /^http:\/\/localhost:8080\/api\/2022-06-09\//, where);
      if (info.name.endsWith(".succeeded")) {
        assert.match(String(body.completedAt), ISO, where);
        assert.ok(Date.parse(String(body.completedAt)) >= Date.parse(String(body.startedAt)));
        assert.ok(Number(body.timestamp) >= Date.parse(String(body.completedAt)), where);
      } else {
        assert.ok(info.name.endsWith(".failed"), where);
        assert.equal("completedAt" in body, false, where);
      }
    }
  }
});

test("EVM collections carry contractAddress, Solana ones mintAddress", () => {
  let checked = 0;
  for (const info of crossmint) {
    for (const { label, body } of info.examples) {
      const data = body.data as Json;
      const collection = data.collection as Json | undefined;
      if (collection === undefined) continue;
      const where = `${info.name} ${label}`;
      if (label === "Solana") {
        assert.equal(data.chain, "solana", where);
        assert.equal(typeof collection.mintAddress, "string", where);
        assert.equal("contractAddress" in collection, false, where);
      } else if (info.name === "collections.create.failed") {
        // The deployment failed: there is no contract to point at.
        assert.equal("contractAddress" in collection, false, where);
      } else {
        assert.match(String(collection.contractAddress), /^0x[0-9a-fA-F]{40}$/, where);
      }
      checked++;
    }
  }
  assert.ok(checked >= 10);
});

test("failed examples explain the revert like Crossmint's nfts.create.failed", () => {
  for (const name of ["nfts.create.failed", "collections.create.failed"]) {
    const error = (exampleBody(name)?.data as Json).error as Json;
    assert.equal(error.reason, "execution_reverted", name);
    assert.equal(typeof error.message, "string", name);
    assert.equal(typeof error.revertReason, "string", name);
    const callInfo = error.callInfo as Json;
    assert.equal(typeof callInfo.functionName, "string", name);
    assert.equal(typeof callInfo.arguments, "object", name);
    assert.match(String(callInfo.calldata), /^0x[0-9a-f]+$/, name);
  }
  const nft = exampleBody("nfts.create.failed")?.data as Json;
  assert.equal(((nft.error as Json).callInfo as Json).functionName, "mintTo");
});

test("chain-observed examples hold Original's data, not its envelope", () => {
  for (const { info, body } of allExamples.filter((e) => e.info.family === "chain-observed")) {
    const data = body.data as Json;
    assert.equal(typeof (data.app as Json).uid, "string", info.name);
    for (const key of ["event", "sent_at", "response", "x-app-uid", "x-webhook-attempt"]) {
      assert.equal(key in body, false, `${info.name}: ${key}`);
      assert.equal(key in data, false, `${info.name}: data.${key}`);
    }
  }
  const logType = (name: string) =>
    ((exampleBody(name)?.data as Json).transaction_log as Json).type;
  assert.equal(logType("asset.minted"), "mint");
  assert.equal(logType("asset.transferred"), "transfer");
  assert.equal(logType("asset.burned"), "burn");
  assert.equal(logType("asset.edited"), "edit");
  assert.deepEqual((exampleBody("asset.reorged")?.data as Json).undone_event, {
    id: "0189b0dd-a166-7145-96c2-38c5075a9df4",
    type: "asset.transferred",
  });
  const transfer = (exampleBody("asset.transferred")?.data as Json).transaction_log as Json;
  assert.match(String(transfer.from_address), /^0x[0-9a-f]{40}$/);
  assert.match(String(transfer.to_address), /^0x[0-9a-f]{40}$/);
  assert.ok((exampleBody("reward.allocated")?.data as Json).allocation);
  assert.ok((exampleBody("reward.claimed")?.data as Json).claim);
  assert.ok((exampleBody("reward.withdrawn")?.data as Json).withdraw);
  const wallet = exampleBody("wallet.created")?.data as Json;
  assert.ok(wallet.app_user && wallet.wallet);
});

test("operational examples carry what a receiver needs to act", () => {
  const disabled = exampleBody("endpoint.disabled")?.data as Json;
  for (const key of ["endpointId", "url", "reason"]) assert.ok(key in disabled, key);
  const exhausted = exampleBody("delivery.exhausted")?.data as Json;
  for (const key of [
    "endpointId",
    "eventId",
    "eventType",
    "deliveryId",
    "attempts",
    "lastStatusCode",
    "lastError",
  ]) {
    assert.ok(key in exhausted, key);
  }
  const reorged = exampleBody("action.reorged") as Json;
  assert.equal(reorged.actionId, (reorged.data as Json).actionId);
  for (const key of ["actionId", "action", "previousStatus", "chain", "orphaned"]) {
    assert.ok(key in (reorged.data as Json), key);
  }
  const low = exampleBody("signer.balance_low")?.data as Json;
  for (const key of ["chain", "address", "balance", "threshold"]) assert.ok(key in low, key);
});

test("exampleBody returns a deep copy, picks by label, and knows nothing else", () => {
  const body = exampleBody("nfts.create.succeeded") as Json;
  assert.deepEqual(body, findEventType("nfts.create.succeeded")?.examples[0]?.body);
  body.type = "changed";
  ((body.data as Json).collection as Json).id = "changed";
  const again = exampleBody("nfts.create.succeeded") as Json;
  assert.equal(again.type, "nfts.create.succeeded");
  assert.equal(((again.data as Json).collection as Json).id, "default-polygon");

  assert.equal((exampleBody("nfts.create.succeeded", "Solana")?.data as Json).chain, "solana");
  assert.equal(exampleBody("nfts.create.failed", "Solana"), undefined);
  assert.equal(exampleBody("no.such.type"), undefined);
});

test("the catalog itself cannot be changed by a caller", () => {
  const body = findEventType("asset.minted")?.examples[0]?.body as Json;
  assert.throws(() => {
    (body.data as Json).app = null;
  }, TypeError);
});

test("isValidEventTypeName", () => {
  const cases: Array<[string, boolean]> = [
    ["nfts.create.succeeded", true],
    ["asset.minted", true],
    ["order", true],
    ["wallets:nfts.transfer.succeeded", true],
    ["my-app_v2.user:signed-up", true],
    ["A.B.C", true],
    ["x".repeat(100), true],
    ["x".repeat(101), false],
    ["", false],
    [".leading", false],
    ["trailing.", false],
    ["double..dot", false],
    ["nfts.*", false],
    ["*", false],
    ["has space", false],
    ["slash/type", false],
    ["emoji.🎉", false],
    ["new\nline", false],
  ];
  for (const [name, valid] of cases) assert.equal(isValidEventTypeName(name), valid, name);
});

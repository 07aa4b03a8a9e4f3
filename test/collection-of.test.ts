import assert from "node:assert/strict";
import { test } from "node:test";
import { collectionOf } from "../src/core/policy/collection-of.js";

test("collectionOf reads the collection an event is about, and never throws", () => {
  const cases: Array<[string, string, string | null]> = [
    ["Crossmint data.collection.id", '{"data":{"collection":{"id":"col-1"}}}', "col-1"],
    ["Original data.collection.uid", '{"data":{"collection":{"uid":"9c06"}}}', "9c06"],
    [
      "the resource URL",
      '{"data":{},"resource":"https://h/api/2022-06-09/collections/default-polygon/nfts/1"}',
      "default-polygon",
    ],
    ["percent-encoded", '{"resource":"https://h/collections/a%20b/nfts/1"}', "a b"],
    ["bad percent-encoding, as written", '{"resource":"https://h/collections/%ZZ/nfts/1"}', "%ZZ"],
    ["none", '{"data":{"tokenId":"1"}}', null],
    ["an empty id", '{"data":{"collection":{"id":""}}}', null],
    ["not JSON", "{", null],
    ["null body", "null", null],
  ];
  for (const [name, payload, expected] of cases)
    assert.equal(collectionOf(payload), expected, name);
});

import assert from "node:assert/strict";
import { test } from "node:test";
import { CHAIN_ADAPTERS } from "../src/chain/families.js";
import { parseChains as parseAnyChains } from "../src/core/chain/chains.js";

const parseChains = (text: string) => parseAnyChains(text, CHAIN_ADAPTERS);

const KEY = "0x" + "ab".repeat(32);

test("HERALD_CHAINS parsing", () => {
  const good = parseChains(
    JSON.stringify([
      {
        name: "base-sepolia",
        rpcUrl: "https://sepolia.base.org",
        chainId: 84532,
        confirmations: 3,
        privateKey: KEY,
      },
    ]),
  );
  assert.deepEqual(good, [
    {
      name: "base-sepolia",
      family: "evm",
      chainId: 84532,
      confirmations: 3,
      finality: 64,
      rpcUrl: "https://sepolia.base.org",
      replaceAfterMs: 60_000,
      privateKey: KEY,
    },
  ]);
  assert.deepEqual(parseChains(""), []);
  // `local` is the embedded chain: its settings change, it has no rpcUrl.
  assert.deepEqual(parseChains('[{"name":"local","confirmations":2,"finality":5}]'), [
    {
      name: "local",
      family: "evm",
      chainId: 31337,
      confirmations: 2,
      finality: 5,
      rpcUrl: null,
      replaceAfterMs: 30_000,
    },
  ]);
  assert.equal(parseChains('[{"name":"local","confirmations":20}]')[0]!.finality, 20);
  assert.equal(parseChains('[{"name":"a","rpcUrl":"http://x","chainId":1}]')[0]!.confirmations, 1);
  const bad: Array<[string, RegExp]> = [
    ["{", /JSON array/],
    ['{"name":"a"}', /JSON array/],
    ["[1]", /chain 1 must be an object/],
    ['[{"name":"Bad Name","rpcUrl":"http://x","chainId":1}]', /name must be/],
    ['[{"name":"local","rpcUrl":"http://x","chainId":1}]', /embedded chain and takes no rpcUrl/],
    ['[{"name":"a","rpcUrl":"http://x","chainId":1,"confirmations":3,"finality":2}]', /finality/],
    ['[{"name":"a","rpcUrl":"http://x","chainId":1,"replaceAfterMs":"5"}]', /replaceAfterMs/],
    [
      '[{"name":"a","rpcUrl":"http://x","chainId":1},{"name":"a","rpcUrl":"http://y","chainId":2}]',
      /"a" is taken/,
    ],
    ['[{"name":"a","rpcUrl":"ftp://x","chainId":1}]', /rpcUrl/],
    ['[{"name":"a","rpcUrl":"http://x","chainId":0}]', /chainId/],
    ['[{"name":"a","rpcUrl":"http://x","chainId":1,"confirmations":0}]', /confirmations/],
    ['[{"name":"a","rpcUrl":"http://x","chainId":1,"privateKey":"0x12"}]', /privateKey/],
  ];
  for (const [text, message] of bad) assert.throws(() => parseChains(text), message, text);
});

test("HERALD_CHAINS: a chain Crossmint names needs only its rpcUrl", () => {
  assert.deepEqual(parseChains('[{"name":"base","rpcUrl":"https://mainnet.base.org"}]'), [
    {
      name: "base",
      family: "evm",
      chainId: 8453,
      confirmations: 1,
      finality: 64,
      rpcUrl: "https://mainnet.base.org",
      replaceAfterMs: 60_000,
    },
  ]);
  // Saying the same id again is fine; other settings as for any chain.
  const amoy = parseChains(
    '[{"name":"polygon-amoy","rpcUrl":"http://x","chainId":80002,"confirmations":5}]',
  )[0]!;
  assert.equal(amoy.chainId, 80002);
  assert.equal(amoy.confirmations, 5);
  const bad: Array<[string, RegExp]> = [
    // Another id under Crossmint's name: refused, naming the chain and its id.
    [
      '[{"name":"base","rpcUrl":"http://x","chainId":31337}]',
      /chain 1 \(base\): chainId 31337 contradicts "base", which is chain id 8453/,
    ],
    ['[{"name":"base-sepolia","rpcUrl":"http://x","chainId":"84532"}]', /chainId must be/],
    // A known name still needs where to reach it.
    ['[{"name":"base"}]', /chain 1 \(base\): rpcUrl must be/],
    // A name Crossmint does not use needs its chainId, as before.
    ['[{"name":"devnet","rpcUrl":"http://x"}]', /chain 1 \(devnet\): chainId must be/],
    ['[{"name":"Base","rpcUrl":"http://x"}]', /name must be/],
  ];
  for (const [text, message] of bad) assert.throws(() => parseChains(text), message, text);
});

test("HERALD_CHAINS: signer pools (privateKeys, signers, maxPendingPerSigner, signerBalanceLow)", () => {
  const KEY2 = "0x" + "cd".repeat(32);
  const entry = (fields: Record<string, unknown>) =>
    JSON.stringify([{ name: "devnet", rpcUrl: "https://rpc.example", chainId: 5, ...fields }]);
  const [pool] = parseChains(
    entry({ privateKeys: [KEY, KEY2], maxPendingPerSigner: 64, signerBalanceLow: "0.05" }),
  );
  assert.deepEqual(pool!.privateKeys, [KEY, KEY2]);
  assert.equal(pool!.maxPendingPerSigner, 64);
  assert.equal(pool!.signerBalanceLow, "50000000000000000", "kept in wei");
  assert.equal(parseChains(entry({ signers: 8 }))[0]!.signers, 8);
  assert.equal(parseChains(entry({ mintBatch: 1 }))[0]!.mintBatch, 1);
  assert.equal(parseChains(entry({}))[0]!.mintBatch, undefined, "the runner's default");
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ privateKeys: [] }, /privateKeys must be a list of 1 to 64 keys/],
    [{ privateKeys: KEY }, /privateKeys must be a list/],
    [{ privateKeys: [KEY, "0x12"] }, /each 0x and 64 hex digits/],
    [{ privateKeys: Array.from({ length: 65 }, () => KEY) }, /1 to 64 keys/],
    [{ privateKeys: [KEY, KEY.toUpperCase().replace("0X", "0x")] }, /lists a key twice/],
    [{ privateKeys: [KEY], privateKey: KEY2 }, /not two of them/],
    [{ privateKeys: [KEY], signers: 2 }, /not two of them/],
    [{ signers: 0 }, /signers must be a whole number from 1 to 64/],
    [{ signers: 65 }, /from 1 to 64/],
    [{ signers: 1.5 }, /whole number/],
    [{ signers: 2, privateKey: KEY }, /privateKey or signers, not both/],
    [{ maxPendingPerSigner: 0 }, /maxPendingPerSigner must be a whole number from 1 to 1000/],
    [{ maxPendingPerSigner: 1e9 }, /from 1 to 1000/],
    [{ mintBatch: 0 }, /mintBatch must be a whole number from 1 to 100/],
    [{ mintBatch: 101 }, /from 1 to 100/],
    [{ mintBatch: 2.5 }, /whole number/],
    [{ mintBatch: "25" }, /whole number/],
    [{ signerBalanceLow: 0.05 }, /signerBalanceLow must be a decimal string/],
    [{ signerBalanceLow: "-1" }, /decimal string/],
    [{ signerBalanceLow: "1e18" }, /decimal string/],
    [{ signerBalanceLow: "0.1234567890123456789" }, /decimal string/],
  ];
  for (const [fields, message] of bad) {
    assert.throws(() => parseChains(entry(fields)), message, JSON.stringify(fields));
  }
});

test("HERALD_CHAINS: rpcUrls, several nodes of one chain", () => {
  const entry = (fields: Record<string, unknown>) =>
    JSON.stringify([{ name: "devnet", chainId: 5, ...fields }]);
  const [chain] = parseChains(entry({ rpcUrls: ["https://a.example", "https://b.example"] }));
  assert.equal(chain!.rpcUrl, "https://a.example", "the first is preferred");
  assert.deepEqual(chain!.rpcUrls, ["https://a.example", "https://b.example"]);
  const [single] = parseChains(entry({ rpcUrls: ["https://a.example"] }));
  assert.equal(single!.rpcUrls, undefined, "one URL needs no failover");
  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ rpcUrls: [] }, /rpcUrls must be a list of 1 to 8/],
    [{ rpcUrls: "https://a.example" }, /rpcUrls must be a list/],
    [{ rpcUrls: ["ftp://a.example"] }, /http\(s\) or ws\(s\) URLs/],
    [{ rpcUrls: Array.from({ length: 9 }, (_, i) => `https://${i}.example`) }, /1 to 8/],
    [{ rpcUrls: ["https://a.example", "https://a.example"] }, /lists a URL twice/],
    [
      { rpcUrls: ["https://a.example"], rpcUrl: "https://b.example" },
      /rpcUrl or rpcUrls, not both/,
    ],
  ];
  for (const [fields, message] of bad) {
    assert.throws(() => parseChains(entry(fields)), message, JSON.stringify(fields));
  }
  assert.throws(
    () => parseChains(JSON.stringify([{ name: "local", rpcUrls: ["https://a.example"] }])),
    /embedded chain and takes no rpcUrl/,
  );
  assert.throws(
    () =>
      parseChains(
        JSON.stringify([
          { name: "sol", family: "solana", rpcUrls: ["https://a.example", "https://b.example"] },
        ]),
      ),
    /Solana chain takes one rpcUrl/,
  );
});

test("HERALD_CHAINS: maxFeePerGas, a fee ceiling in gwei", () => {
  const entry = (fields: Record<string, unknown>) =>
    JSON.stringify([{ name: "devnet", rpcUrl: "https://rpc.example", chainId: 5, ...fields }]);
  assert.equal(parseChains(entry({ maxFeePerGas: "50" }))[0]!.maxFeePerGas, "50000000000");
  assert.equal(parseChains(entry({ maxFeePerGas: "0.5" }))[0]!.maxFeePerGas, "500000000");
  assert.equal(parseChains(entry({}))[0]!.maxFeePerGas, undefined);
  for (const bad of [50, "-1", "1e9", "0", "0.0000000001", "abc"]) {
    assert.throws(
      () => parseChains(entry({ maxFeePerGas: bad })),
      /maxFeePerGas must be/,
      String(bad),
    );
  }
});

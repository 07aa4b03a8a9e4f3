// The failover transport (src/chain/evm/failover-transport.ts) over scripted JSON-RPC nodes: a
// 429 with Retry-After, a node that refuses connections, a JSON-RPC error answered (not failed
// over), the highest head of all nodes, a receipt only another node has, and a broadcast to
// every node.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, test } from "node:test";
import { createPublicClient, defineChain, type Hex } from "viem";
import { failoverTransport } from "../../src/chain/evm/failover-transport.js";

type Handler = (
  method: string,
  params: unknown[],
) => { status?: number; headers?: Record<string, string>; body: unknown };

class ScriptedNode {
  readonly calls: string[] = [];
  handler: Handler = () => ({ body: { result: null } });
  url = "";
  private readonly server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = JSON.parse(Buffer.concat(chunks).toString()) as {
        id: number;
        method: string;
        params: unknown[];
      };
      this.calls.push(request.method);
      const answer = this.handler(request.method, request.params ?? []);
      res.writeHead(answer.status ?? 200, {
        "content-type": "application/json",
        ...answer.headers,
      });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: request.id, ...(answer.body as object) }));
    });
  });

  static async start(): Promise<ScriptedNode> {
    const node = new ScriptedNode();
    await new Promise<void>((resolve) => node.server.listen(0, "127.0.0.1", resolve));
    node.url = `http://127.0.0.1:${(node.server.address() as AddressInfo).port}`;
    return node;
  }

  count(method: string): number {
    return this.calls.filter((c) => c === method).length;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const chain = defineChain({
  id: 31337,
  name: "scripted",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [] } },
});
const nodes: ScriptedNode[] = [];
after(async () => {
  for (const node of nodes) await node.close().catch(() => undefined);
});

async function pair() {
  const a = await ScriptedNode.start();
  const b = await ScriptedNode.start();
  nodes.push(a, b);
  let clock = 1_000_000;
  const { transport, status } = failoverTransport([a.url, b.url], {
    chain,
    now: () => clock,
    timeoutMs: 2_000,
  });
  const client = createPublicClient({ chain, transport });
  return { a, b, client, status, advance: (ms: number) => (clock += ms) };
}

test("a 429 with Retry-After: the next node answers, and the first is left out until then", async () => {
  const { a, b, client, status, advance } = await pair();
  a.handler = () => ({
    status: 429,
    headers: { "retry-after": "30" },
    body: { error: { code: 429, message: "slow down" } },
  });
  b.handler = () => ({ body: { result: "0x7" } });
  assert.equal(await client.getChainId(), 7);
  assert.equal(a.count("eth_chainId"), 1);
  assert.equal(await client.getChainId(), 7);
  assert.equal(a.count("eth_chainId"), 1, "not asked again during its Retry-After");
  assert.deepEqual(
    status().map((n) => n.up),
    [false, true],
  );
  a.handler = () => ({ body: { result: "0x8" } });
  advance(30_000);
  assert.equal(await client.getChainId(), 8, "asked again once it is over, first as configured");
});

test("a node that refuses connections: the other answers; a JSON-RPC error is an answer", async () => {
  const { a, b, client } = await pair();
  await a.close();
  b.handler = () => ({ body: { result: "0x1" } });
  assert.equal(await client.getChainId(), 1);
  // The node answered with an error: given as it is, not asked elsewhere.
  const c = await pair();
  c.a.handler = () => ({ body: { error: { code: -32000, message: "nonce too low" } } });
  c.b.handler = () => ({ body: { result: "0x2" } });
  await assert.rejects(c.client.request({ method: "eth_gasPrice" }), /nonce too low/);
  assert.equal(c.b.count("eth_gasPrice"), 0);
});

test("heads: the highest is the answer and a node 5 behind reads last; a receipt another node has", async () => {
  const { a, b, client, status } = await pair();
  a.handler = (method) => {
    if (method === "eth_blockNumber") return { body: { result: "0x5f" } }; // 95: lagging
    return { body: { result: method === "eth_chainId" ? "0x1" : null } };
  };
  b.handler = (method) => {
    if (method === "eth_blockNumber") return { body: { result: "0x64" } }; // 100
    return { body: { result: method === "eth_chainId" ? "0x2" : null } };
  };
  assert.equal(await client.getBlockNumber({ cacheTime: 0 }), 100n);
  assert.deepEqual(status(), [
    { up: true, head: 95, lagging: true },
    { up: true, head: 100, lagging: false },
  ]);
  assert.equal(await client.getChainId(), 2, "the lagging preferred node goes after the other");
  // Fresh heads again, and a receipt the preferred node does not have yet.
  a.handler = (method) => ({ body: { result: method === "eth_blockNumber" ? "0x64" : null } });
  await client.getBlockNumber({ cacheTime: 0 });
  const receipt = {
    transactionHash: `0x${"ab".repeat(32)}`,
    blockHash: `0x${"cd".repeat(32)}`,
    blockNumber: "0x64",
    transactionIndex: "0x0",
    from: `0x${"11".repeat(20)}`,
    to: `0x${"22".repeat(20)}`,
    cumulativeGasUsed: "0x5208",
    gasUsed: "0x5208",
    effectiveGasPrice: "0x1",
    contractAddress: null,
    logs: [],
    logsBloom: `0x${"00".repeat(256)}`,
    status: "0x1",
    type: "0x2",
  };
  b.handler = (method) => ({
    body: { result: method === "eth_getTransactionReceipt" ? receipt : "0x64" },
  });
  const found = await client.getTransactionReceipt({ hash: receipt.transactionHash as Hex });
  assert.equal(found.status, "success");
  assert.equal(a.count("eth_getTransactionReceipt"), 1, "asked first, answered null");
});

test("a raw transaction goes to every node that is up; one taking it is enough", async () => {
  const { a, b, client } = await pair();
  const hash = `0x${"ef".repeat(32)}`;
  a.handler = () => ({ body: { error: { code: -32000, message: "already known" } } });
  b.handler = () => ({ body: { result: hash } });
  assert.equal(await client.request({ method: "eth_sendRawTransaction", params: ["0x02"] }), hash);
  assert.equal(a.count("eth_sendRawTransaction"), 1);
  assert.equal(b.count("eth_sendRawTransaction"), 1);
});

// A JSON-RPC proxy in front of a node, as a public RPC provider behaves: it counts every call by
// method, and refuses a sender's transaction when the sender already has `maxPendingPerSender`
// pending (public mempools and providers cap this; 16 is common), with the error such nodes
// give. It reads the counts from the node it fronts (`pending` minus `latest` nonce counts).
// With `lagBlocks` set it plays a node that is that many blocks behind: its head, its `latest`
// nonce counts and blocks, and the receipts it knows stop there. With `blockReceipts` it answers
// `eth_getBlockReceipts` (which Hardhat lacks) from the node's own block and receipts, as
// providers that have the method do.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { parseTransaction, recoverTransactionAddress, type Hex } from "viem";

interface RpcRequest {
  id?: unknown;
  method?: string;
  params?: unknown[];
}

export class RpcProxy {
  /** Calls by method, batches counted per request. */
  readonly calls = new Map<string, number>();
  /** Transactions refused for the pending limit, by sender. */
  readonly refused = new Map<string, number>();
  /** Transactions passed on, by sender (lower case). */
  readonly sent = new Map<string, number>();
  url = "";
  /** Blocks this node pretends to be behind the one it fronts. */
  lagBlocks = 0;
  /** Serves `eth_getBlockReceipts` (otherwise passed on: Hardhat refuses it). */
  blockReceipts = false;
  private readonly server = createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Set<Socket>();
  /** Each sender's sends, checked and passed on one at a time (the count must not race). */
  private readonly senderQueues = new Map<string, Promise<unknown>>();

  private constructor(
    private readonly target: string,
    private readonly maxPendingPerSender: number,
  ) {}

  static async start(target: string, maxPendingPerSender = 16): Promise<RpcProxy> {
    const proxy = new RpcProxy(target, maxPendingPerSender);
    proxy.server.on("connection", (socket) => {
      proxy.sockets.add(socket);
      socket.on("close", () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    return proxy;
  }

  get totalCalls(): number {
    return [...this.calls.values()].reduce((a, b) => a + b, 0);
  }

  private async node(method: string, params: unknown[]): Promise<unknown> {
    const res = await fetch(this.target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(body.error.message);
    return body.result;
  }

  private async answer(request: RpcRequest): Promise<unknown> {
    const method = request.method ?? "";
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
    if (method === "eth_sendRawTransaction") {
      const raw = request.params?.[0] as Hex;
      const sender = (
        await recoverTransactionAddress({ serializedTransaction: raw as never })
      ).toLowerCase();
      const previous = this.senderQueues.get(sender) ?? Promise.resolve();
      const turn = previous.then(() => this.send(request, raw, sender));
      this.senderQueues.set(
        sender,
        turn.catch(() => undefined),
      );
      return await turn;
    }
    if (method === "eth_getBlockReceipts" && this.blockReceipts) {
      const result = await this.receiptsOf(request.params?.[0] as string);
      return { jsonrpc: "2.0", id: request.id ?? null, result };
    }
    if (this.lagBlocks > 0) {
      const lagged = await this.lagged(request);
      if (lagged !== undefined) return { jsonrpc: "2.0", id: request.id ?? null, result: lagged };
    }
    return await this.forward(request);
  }

  /** A block's receipts in block order, or null for a block the node does not have. */
  private async receiptsOf(tag: string): Promise<unknown[] | null> {
    const block = (await this.node("eth_getBlockByNumber", [tag, false])) as {
      transactions: string[];
    } | null;
    if (!block) return null;
    return await Promise.all(
      block.transactions.map((hash) => this.node("eth_getTransactionReceipt", [hash])),
    );
  }

  /** What a node `lagBlocks` behind answers, for the methods where it differs. */
  private async lagged(request: RpcRequest): Promise<unknown> {
    const head = Number(await this.node("eth_blockNumber", [])) - this.lagBlocks;
    const tag = `0x${Math.max(0, head).toString(16)}`;
    const params = request.params ?? [];
    switch (request.method) {
      case "eth_blockNumber":
        return tag;
      case "eth_getTransactionCount":
        return params[1] === "latest"
          ? await this.node(request.method, [params[0], tag])
          : undefined;
      case "eth_getBlockByNumber":
        return params[0] === "latest"
          ? await this.node(request.method, [tag, params[1]])
          : undefined;
      case "eth_getTransactionReceipt": {
        const receipt = (await this.node(request.method, params)) as { blockNumber: string } | null;
        return receipt && Number(receipt.blockNumber) <= head ? receipt : null;
      }
      default:
        return undefined;
    }
  }

  private async forward(request: RpcRequest): Promise<unknown> {
    const res = await fetch(this.target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    return await res.json();
  }

  private async send(request: RpcRequest, raw: Hex, sender: string): Promise<unknown> {
    const nonce = parseTransaction(raw).nonce ?? 0;
    const [pending, latest] = await Promise.all([
      this.node("eth_getTransactionCount", [sender, "pending"]),
      this.node("eth_getTransactionCount", [sender, "latest"]),
    ]);
    // A replacement (a nonce already pending) does not add to the sender's pending count.
    const adds = nonce >= Number(pending);
    if (adds && Number(pending) - Number(latest) >= this.maxPendingPerSender) {
      this.refused.set(sender, (this.refused.get(sender) ?? 0) + 1);
      return {
        jsonrpc: "2.0",
        id: request.id ?? null,
        error: {
          code: -32000,
          message: `in-flight transaction limit reached for sender (${this.maxPendingPerSender})`,
        },
      };
    }
    this.sent.set(sender, (this.sent.get(sender) ?? 0) + 1);
    return await this.forward(request);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RpcRequest | RpcRequest[];
      const answering = Array.isArray(body)
        ? Promise.all(body.map((r) => this.answer(r)))
        : this.answer(body);
      answering.then(
        (answer) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(answer));
        },
        (error: unknown) => {
          res.writeHead(502, { "content-type": "text/plain" });
          res.end(String(error));
        },
      );
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

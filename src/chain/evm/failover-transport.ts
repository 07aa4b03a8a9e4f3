// One viem transport over several JSON-RPC nodes of a chain (`rpcUrls`): each request goes to
// the first node the failover policy names (core/policy/rpc-failover.ts) and on to the next when
// that node does not answer (down, timed out, 5xx, 429: left out for its back-off, `Retry-After`
// honoured). A node's JSON-RPC error is its answer, given as it is (a revert, "nonce too low").
// Three methods read more than one node:
// - eth_blockNumber asks every node that is up: the highest head is the answer, and each node's
//   head tells the policy which ones lag (their reads go last);
// - a receipt or transaction one node does not have (null) is asked of the others, so a lagging
//   node never makes a mined transaction look unmined;
// - eth_sendRawTransaction goes to every node that is up, and succeeds when one takes it.
import {
  custom,
  http,
  HttpRequestError,
  RpcRequestError,
  TimeoutError,
  type Chain,
  type EIP1193RequestFn,
  type Transport,
} from "viem";
import type { RpcNodeStatus } from "../../core/ports/chain-adapter.js";
import {
  backoffMs,
  DEFAULT_LAG_BLOCKS,
  highestHead,
  isLagging,
  nodeOrder,
  type NodeHealth,
} from "../../core/policy/rpc-failover.js";

const TIMEOUT_MS = 10_000;
/** JSON-RPC codes that mean "slow down", not an answer (Infura's and others' limit errors). */
const RATE_LIMITED_CODES = new Set([-32005, 429]);
const ASK_EVERY_NODE = new Set(["eth_getTransactionReceipt", "eth_getTransactionByHash"]);

interface RpcNode extends NodeHealth {
  url: string;
  request: EIP1193RequestFn;
}

type Args = { method: string; params?: unknown };

/** Whether the node did not answer (so another may), and the Retry-After it sent. */
function unanswered(error: unknown): { retryAfter: string | null } | null {
  if (error instanceof HttpRequestError) {
    return { retryAfter: error.headers?.get("retry-after") ?? null };
  }
  if (error instanceof TimeoutError) return { retryAfter: null };
  if (error instanceof RpcRequestError && RATE_LIMITED_CODES.has(error.code)) {
    return { retryAfter: null };
  }
  // fetch's own failures (connection refused, reset) reach here wrapped by viem as above; any
  // other error is the node's answer.
  return null;
}

export interface FailoverOptions {
  chain: Chain;
  lagBlocks?: number;
  now?: () => number;
  timeoutMs?: number;
}

export interface Failover {
  transport: Transport;
  /** Each node's state, in configured order, for operators. */
  status(): RpcNodeStatus[];
}

export function failoverTransport(urls: readonly string[], options: FailoverOptions): Failover {
  const now = options.now ?? Date.now;
  const nodes: RpcNode[] = urls.map((url) => ({
    url,
    request: http(url, { retryCount: 0, timeout: options.timeoutMs ?? TIMEOUT_MS })({
      chain: options.chain,
      retryCount: 0,
    }).request,
    downUntil: 0,
    failures: 0,
    head: null,
  }));

  const ask = async (node: RpcNode, args: Args): Promise<unknown> => {
    try {
      const result = await node.request(args as never);
      node.failures = 0;
      node.downUntil = 0;
      return result;
    } catch (error) {
      const failed = unanswered(error);
      if (failed) {
        node.failures += 1;
        node.downUntil = now() + backoffMs(node.failures, failed.retryAfter, now());
      }
      throw error;
    }
  };

  const order = () => nodeOrder(nodes, now(), options.lagBlocks).map((i) => nodes[i]!);

  /** In order until a node answers; `acceptable` false (a null receipt) asks the next too. */
  const first = async (args: Args, acceptable: (result: unknown) => boolean = () => true) => {
    let lastError: unknown = null;
    let fallback: { result: unknown } | null = null;
    for (const node of order()) {
      try {
        const result = await ask(node, args);
        if (acceptable(result)) return result;
        fallback ??= { result };
      } catch (error) {
        if (!unanswered(error)) throw error;
        lastError = error;
      }
    }
    if (fallback) return fallback.result;
    throw lastError;
  };

  const headOf = async (): Promise<unknown> => {
    const asked = order();
    const heads = await Promise.allSettled(
      asked.map((node) => ask(node, { method: "eth_blockNumber" })),
    );
    let best: { head: bigint; raw: unknown } | null = null;
    heads.forEach((outcome, i) => {
      if (outcome.status !== "fulfilled") return;
      const head = BigInt(outcome.value as string);
      asked[i]!.head = head;
      if (!best || head > best.head) best = { head, raw: outcome.value };
    });
    if (best) return (best as { raw: unknown }).raw;
    const failure = heads.find((h) => h.status === "rejected") as PromiseRejectedResult;
    throw failure.reason;
  };

  const broadcast = async (args: Args): Promise<unknown> => {
    const asked = order();
    const sent = await Promise.allSettled(asked.map((node) => ask(node, args)));
    const taken = sent.find((s) => s.status === "fulfilled");
    if (taken) return (taken as PromiseFulfilledResult<unknown>).value;
    // None took it: the preferred node's answer says why (an answer over a silence).
    const answered = sent.find((s) => s.status === "rejected" && !unanswered(s.reason));
    throw ((answered ?? sent[0]) as PromiseRejectedResult).reason;
  };

  const transport = custom(
    {
      async request(args: Args) {
        if (args.method === "eth_blockNumber") return headOf();
        if (args.method === "eth_sendRawTransaction") return broadcast(args);
        if (ASK_EVERY_NODE.has(args.method)) return first(args, (result) => result !== null);
        return first(args);
      },
    },
    { retryCount: 0 },
  );
  const status = (): RpcNodeStatus[] => {
    const highest = highestHead(nodes);
    return nodes.map((n) => ({
      up: n.downUntil <= now(),
      head: n.head === null ? null : Number(n.head),
      lagging: isLagging(n.head, highest, options.lagBlocks ?? DEFAULT_LAG_BLOCKS),
    }));
  };
  return { transport, status };
}

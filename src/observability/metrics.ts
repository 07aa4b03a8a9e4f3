// Herald's Prometheus metrics (prom-client): one registry per running Herald. Counters and
// histograms are fed as things happen (attempts, API requests, RPC calls); what the store
// knows (the backlog, endpoints by state, chain jobs) is read at each scrape.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ChainMetrics } from "../core/ports/chain-adapter.js";
import type { Store } from "../core/ports/store.js";
import type { AttemptObserver, AttemptResult } from "../dispatcher/attempt.js";
import { processRegistry } from "./process-metrics.js";

/** An attempt's outcome as the metric labels it. */
function outcomeLabel(result: AttemptResult): string {
  if ("herald" in result) return "herald_error";
  const { outcome } = result;
  if (outcome.status === "succeeded") return "succeeded";
  if (outcome.status === "pending") return "retry";
  return "failed";
}

export class HeraldMetrics implements ChainMetrics {
  readonly registry = new Registry();
  private readonly deliveries: Counter<"outcome" | "destination">;
  private readonly attemptSeconds: Histogram<"outcome" | "destination">;
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly requestSeconds: Histogram<"method" | "route">;
  private readonly rpcCalls: Counter<"chain" | "method">;
  private readonly rpcErrors: Counter<"chain" | "method">;
  private readonly signerBalance: Gauge<"chain" | "address">;
  private readonly signerNonce: Gauge<"chain" | "address">;

  constructor(store: Store, now: () => number = Date.now) {
    const registers = [this.registry];
    this.deliveries = new Counter({
      name: "herald_delivery_attempts_total",
      help: "Delivery attempts by outcome (succeeded, retry, failed: no retry left or gone, herald_error: not made) and destination type",
      labelNames: ["outcome", "destination"],
      registers,
    });
    this.attemptSeconds = new Histogram({
      name: "herald_delivery_attempt_duration_seconds",
      help: "How long a delivery attempt took, by outcome and destination type",
      labelNames: ["outcome", "destination"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
      registers,
    });
    this.requests = new Counter({
      name: "herald_http_requests_total",
      help: "API requests by method, route (its template) and status",
      labelNames: ["method", "route", "status"],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: "herald_http_request_duration_seconds",
      help: "API request durations by method and route",
      labelNames: ["method", "route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30],
      registers,
    });
    this.rpcCalls = new Counter({
      name: "herald_rpc_calls_total",
      help: "JSON-RPC calls to chains (the embedded ones included), by chain and method",
      labelNames: ["chain", "method"],
      registers,
    });
    this.rpcErrors = new Counter({
      name: "herald_rpc_errors_total",
      help: "JSON-RPC calls that failed (after the client's own retries), by chain and method",
      labelNames: ["chain", "method"],
      registers,
    });
    this.signerBalance = new Gauge({
      name: "herald_signer_balance",
      help: "A chain signer's native balance, in the chain's whole coins (ETH), read every 30 s",
      labelNames: ["chain", "address"],
      registers,
    });
    this.signerNonce = new Gauge({
      name: "herald_signer_nonce",
      help: "The next nonce a chain signer uses",
      labelNames: ["chain", "address"],
      registers,
    });
    this.storeGauges(store, now, registers);
  }

  /** Gauges read from the store at each scrape (one query for all of them). */
  private storeGauges(store: Store, now: () => number, registers: Registry[]) {
    let pending: ReturnType<Store["operationalStats"]> | null = null;
    let readAt = 0;
    // The gauges of one scrape share one read of the store.
    const stats = () => {
      if (!pending || now() - readAt > 1000) {
        readAt = now();
        pending = store.operationalStats(readAt);
      }
      return pending;
    };
    new Gauge({
      name: "herald_deliveries_pending",
      help: "Deliveries not finished (due, in flight, or waiting for a retry)",
      registers,
      async collect() {
        this.set((await stats()).pendingDeliveries);
      },
    });
    new Gauge({
      name: "herald_deliveries_due",
      help: "Deliveries due now and not taken by a worker: the backlog",
      registers,
      async collect() {
        this.set((await stats()).dueDeliveries);
      },
    });
    new Gauge({
      name: "herald_oldest_due_delivery_age_seconds",
      help: "How long the oldest due delivery has waited (0 when none is due)",
      registers,
      async collect() {
        const { oldestDueAt } = await stats();
        this.set(oldestDueAt === null ? 0 : Math.max(0, (now() - oldestDueAt) / 1000));
      },
    });
    new Gauge({
      name: "herald_endpoints",
      help: "Endpoints by state: healthy, failing (its attempts fail), disabled",
      labelNames: ["state"],
      registers,
      async collect() {
        const { endpoints } = await stats();
        for (const state of ["healthy", "failing", "disabled"])
          this.set({ state }, endpoints[state] ?? 0);
      },
    });
    new Gauge({
      name: "herald_chain_jobs",
      help: "Chain jobs not finished, by chain and state (queued, sent, confirmed)",
      labelNames: ["chain", "state"],
      registers,
      async collect() {
        this.reset();
        for (const { chain, status, count } of (await stats()).openChainJobs)
          this.set({ chain, state: status }, count);
      },
    });
  }

  /** This Herald's metrics and its process's. */
  async render(): Promise<{ contentType: string; body: string }> {
    const both = Registry.merge([this.registry, processRegistry()]);
    return { contentType: this.registry.contentType, body: await both.metrics() };
  }

  /** Counts each delivery attempt and its duration. */
  readonly attempts: AttemptObserver = {
    start: (claim) => {
      const end = this.attemptSeconds.startTimer();
      const destination = claim.endpoint.destinationType;
      return {
        end: (result) => {
          const outcome = outcomeLabel(result);
          this.deliveries.inc({ outcome, destination });
          end({ outcome, destination });
        },
      };
    },
  };

  /** One API request, as it ended. */
  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestSeconds.observe({ method, route }, seconds);
  }

  rpcCall(chain: string, method: string, failed: boolean): void {
    this.rpcCalls.inc({ chain, method });
    if (failed) this.rpcErrors.inc({ chain, method });
  }

  signer(chain: string, address: string, state: { balance?: number; nonce?: number }): void {
    if (state.balance !== undefined) this.signerBalance.set({ chain, address }, state.balance);
    if (state.nonce !== undefined) this.signerNonce.set({ chain, address }, state.nonce);
  }
}

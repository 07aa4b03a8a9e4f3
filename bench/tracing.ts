// What metrics and tracing cost: the same deliveries on fresh SQLite Heralds back to back in one
// run: metrics off (HERALD_METRICS=false), metrics on (the default), metrics off again (the two
// metrics-off runs measure the run-to-run noise the metrics' cost is judged against), then
// tracing everything (OTEL_TRACES_SAMPLER=always_on) to an OTLP/HTTP sink in this process that
// takes each export and throws it away (counting its spans).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startCluster, type ClusterSettings } from "./cluster.js";
import { CpuWindow, type CpuUsage } from "./cpu.js";
import { measureDeliveries, type PhaseResult } from "./phases.js";
import type { BenchReceiver } from "./receiver.js";

export interface TracingRun {
  result: PhaseResult;
  cpu: CpuUsage | null;
}

export interface TracingResult {
  events: number;
  /** Metrics off, before and after the metrics-on run. */
  metricsOff: [TracingRun, TracingRun];
  /** Metrics on, tracing off: the default. */
  off: TracingRun;
  on: TracingRun;
  /** Spans the sink received from the traced Herald; of them, attempts' spans (one per
   * delivery made, both phases: fewer means the exporter's queue dropped some). */
  spans: number;
  attemptSpans: number;
  deliveries: number;
}

/** An OTLP/HTTP receiver that answers every export at once and keeps nothing but counts. */
async function startSink() {
  const counts = { spans: 0, attempts: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      for (const resource of body.resourceSpans ?? []) {
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            counts.spans++;
            if (span.name === "webhook.attempt") counts.attempts++;
          }
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function measureTracing(opts: {
  receiver: BenchReceiver;
  settings: ClusterSettings;
  events: number;
  batch: number;
  publishConcurrency: number;
  latencySeconds: number;
}): Promise<TracingResult> {
  const sink = await startSink();
  const run = async (label: string, env: Record<string, string>): Promise<TracingRun> => {
    const cluster = await startCluster({ store: "sqlite" }, { ...opts.settings, env });
    try {
      const cpu = new CpuWindow();
      const result = await measureDeliveries({
        url: cluster.url,
        apiKey: opts.settings.apiKey,
        receiver: opts.receiver,
        events: opts.events,
        endpoints: 1,
        batch: opts.batch,
        publishConcurrency: opts.publishConcurrency,
        latencySeconds: opts.latencySeconds,
        label,
        onPhase: (phase) =>
          phase === "throughput" ? cpu.start() : phase === "latency" && cpu.stop(),
      });
      return { result, cpu: cpu.usage() };
    } finally {
      // Stopping exports the spans still buffered.
      await cluster.stop();
    }
  };
  try {
    const quiet = { OTEL_SDK_DISABLED: "true" };
    const metricsOff = await run("metrics off", { ...quiet, HERALD_METRICS: "false" });
    const off = await run("metrics on, tracing off", quiet);
    const metricsOffAgain = await run("metrics off again", { ...quiet, HERALD_METRICS: "false" });
    const on = await run("tracing on", {
      OTEL_SDK_DISABLED: "false",
      OTEL_TRACES_EXPORTER: "otlp",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sink.url}/v1/traces`,
      OTEL_TRACES_SAMPLER: "always_on",
    });
    return {
      events: opts.events,
      metricsOff: [metricsOff, metricsOffAgain],
      off,
      on,
      spans: sink.counts.spans,
      attemptSpans: sink.counts.attempts,
      deliveries: opts.events + on.result.latencyEvents,
    };
  } finally {
    await sink.close();
  }
}

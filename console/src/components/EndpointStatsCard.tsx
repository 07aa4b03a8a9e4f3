import { useId, useState } from "react";
import { useApi } from "../api-context";
import { formatMs, formatPercent, plural } from "../format";
import { useLiveQuery } from "../hooks/useLiveQuery";
import { Link } from "../router";
import type { Endpoint, EndpointStats, StatsWindow } from "../types";
import { BarChart, type ChartPoint } from "./BarChart";
import { InlineError } from "./InlineError";
import { StatusBadge } from "./StatusBadge";

const WINDOW_NAMES: Record<StatsWindow, string> = { "1h": "last hour", "24h": "last day" };

function bucketName(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? "hour" : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? "minute" : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

function ratePoints(stats: EndpointStats): ChartPoint[] {
  return stats.buckets.map((b) => {
    const attempts = b.succeeded + b.failed;
    return {
      start: b.start,
      value: attempts === 0 ? null : b.succeeded / attempts,
      detail: attempts === 0 ? undefined : `${b.succeeded} succeeded, ${b.failed} failed`,
    };
  });
}

function latencyPoints(stats: EndpointStats): ChartPoint[] {
  return stats.buckets.map((b) => ({
    start: b.start,
    value: b.avgMs,
    detail: b.maxMs === null ? undefined : `slowest ${formatMs(b.maxMs)}`,
  }));
}

function Totals({ stats, window }: { stats: EndpointStats | undefined; window: StatsWindow }) {
  const name = WINDOW_NAMES[window];
  const attempts = stats ? stats.totals.succeeded + stats.totals.failed : 0;
  return (
    <>
      <div>
        <dt>Success rate, {name}</dt>
        <dd data-testid={`success-rate-${window}`}>
          {stats ? formatPercent(stats.totals.successRate) : "…"}
          {stats && attempts > 0 && (
            <span className="hint"> of {plural(attempts, "attempt", "attempts")}</span>
          )}
        </dd>
      </div>
      <div>
        <dt>Average latency, {name}</dt>
        <dd data-testid={`avg-latency-${window}`}>{stats ? formatMs(stats.totals.avgMs) : "…"}</dd>
      </div>
    </>
  );
}

interface EndpointStatsCardProps {
  endpoint: Endpoint;
  refreshMs?: number;
}

/** One endpoint's health: totals for the last hour and day, charts for the chosen window. */
export function EndpointStatsCard({ endpoint, refreshMs = 10_000 }: EndpointStatsCardProps) {
  const api = useApi();
  const id = useId();
  const [chartWindow, setChartWindow] = useState<StatsWindow>("1h");
  const hour = useLiveQuery(`${endpoint.id}:1h`, (s) => api.endpointStats(endpoint.id, "1h", s), {
    intervalMs: refreshMs,
  });
  const day = useLiveQuery(`${endpoint.id}:24h`, (s) => api.endpointStats(endpoint.id, "24h", s), {
    intervalMs: refreshMs,
  });
  const charted = chartWindow === "1h" ? hour.data : day.data;
  const error = hour.error ?? day.error;
  const name = endpoint.description || endpoint.url;
  const per = charted ? bucketName(charted.bucketSeconds) : "";

  return (
    <article
      className="card"
      aria-labelledby={`${id}-name`}
      data-testid="endpoint-stats"
      data-endpoint-id={endpoint.id}
    >
      <header className="card-header">
        <h2 id={`${id}-name`}>
          <Link to={`/endpoints/${endpoint.id}`}>{name}</Link>
        </h2>
        <StatusBadge status={endpoint.enabled ? "active" : "inactive"} />
      </header>
      {endpoint.description && <p className="hint wrap">{endpoint.url}</p>}
      <dl className="stats">
        <Totals stats={hour.data} window="1h" />
        <Totals stats={day.data} window="24h" />
      </dl>
      <InlineError message={error && `Statistics could not be loaded: ${error}`} />
      <fieldset className="segmented">
        <legend className="visually-hidden">Charts for</legend>
        {(["1h", "24h"] as const).map((w) => (
          <span key={w}>
            <input
              type="radio"
              id={`${id}-${w}`}
              name={`${id}-window`}
              checked={chartWindow === w}
              onChange={() => setChartWindow(w)}
            />
            <label htmlFor={`${id}-${w}`}>{w === "1h" ? "Last hour" : "Last day"}</label>
          </span>
        ))}
      </fieldset>
      {charted && (
        <div className="charts">
          <BarChart
            title={`Success rate per ${per}, ${WINDOW_NAMES[chartWindow]}`}
            points={ratePoints(charted)}
            max={1}
            format={(v) => formatPercent(v)}
            valueLabel="Success rate"
            showRemainder
            testId="chart-success-rate"
          />
          <BarChart
            title={`Average latency per ${per}, ${WINDOW_NAMES[chartWindow]}`}
            points={latencyPoints(charted)}
            format={(v) => formatMs(v)}
            valueLabel="Average latency"
            testId="chart-latency"
          />
        </div>
      )}
    </article>
  );
}

// Tracing is configured by OpenTelemetry's standard environment variables, read here (from the
// environment Herald was given, so that each Herald of a process has its own). Tracing is off
// unless an OTLP endpoint is given; a bad value stops start-up, as any other setting does.

export type SamplerKind = "always_on" | "always_off" | "traceidratio";

export interface TracingSettings {
  /** Where spans are posted: OTLP over HTTP, JSON. */
  url: string;
  /** Headers each export carries (a collector's credentials). */
  headers: Record<string, string>;
  /** The resource's attributes, `service.name` among them. */
  resource: Record<string, string>;
  sampler: { kind: SamplerKind; ratio: number; parentBased: boolean };
  exportTimeoutMs: number;
  /** The batch span processor's settings (OTEL_BSP_*). */
  batch: {
    scheduledDelayMillis: number;
    exportTimeoutMillis: number;
    maxQueueSize: number;
    maxExportBatchSize: number;
  };
}

type Env = Record<string, string | undefined>;

const SAMPLERS: Record<string, { kind: SamplerKind; parentBased: boolean }> = {
  always_on: { kind: "always_on", parentBased: false },
  always_off: { kind: "always_off", parentBased: false },
  traceidratio: { kind: "traceidratio", parentBased: false },
  parentbased_always_on: { kind: "always_on", parentBased: true },
  parentbased_always_off: { kind: "always_off", parentBased: true },
  parentbased_traceidratio: { kind: "traceidratio", parentBased: true },
};

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function wholeNumber(env: Env, name: string, fallback: number): number {
  const v = value(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1) {
    throw new Error(`${name}: must be a whole number from 1, got "${v}"`);
  }
  return Number(v);
}

/** `key1=value1,key2=value2`, values percent-encoded (OTEL_RESOURCE_ATTRIBUTES, *_HEADERS). */
function keyValues(env: Env, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value(env, name) ?? "").split(",")) {
    if (!pair.trim()) continue;
    const at = pair.indexOf("=");
    if (at <= 0) throw new Error(`${name}: "${pair.trim()}" is not key=value`);
    try {
      out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(
        pair.slice(at + 1).trim(),
      );
    } catch {
      throw new Error(`${name}: "${pair.trim()}" has a bad percent-encoding`);
    }
  }
  return out;
}

function httpUrl(name: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${name}: must be an http(s) URL, got "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`${name}: must be an http(s) URL, got "${text}"`);
  }
  return url.toString();
}

/** The traces endpoint: the signal's own URL as given, or the base URL + `/v1/traces`. */
function tracesUrl(env: Env): string | null {
  const own = value(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  if (own) return httpUrl("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", own);
  const base = value(env, "OTEL_EXPORTER_OTLP_ENDPOINT");
  if (!base) return null;
  return httpUrl("OTEL_EXPORTER_OTLP_ENDPOINT", base.replace(/\/+$/, "") + "/v1/traces");
}

function checkExporterChoice(env: Env): "otlp" | "none" {
  const names = (value(env, "OTEL_TRACES_EXPORTER") ?? "otlp").split(",").map((s) => s.trim());
  const bad = names.find((n) => n !== "otlp" && n !== "none");
  if (bad) {
    throw new Error(
      `OTEL_TRACES_EXPORTER: Herald exports traces with otlp (or none), got "${bad}"`,
    );
  }
  return names.includes("otlp") ? "otlp" : "none";
}

function checkProtocol(env: Env): void {
  for (const name of ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"]) {
    const v = value(env, name);
    // Every OTLP/HTTP receiver takes JSON: Herald sends JSON whichever HTTP encoding is named.
    if (v === undefined || v === "http/json" || v === "http/protobuf") continue;
    throw new Error(`${name}: Herald sends OTLP over HTTP (http/json), got "${v}"`);
  }
}

function sampler(env: Env): TracingSettings["sampler"] {
  const name = value(env, "OTEL_TRACES_SAMPLER") ?? "parentbased_always_on";
  const known = SAMPLERS[name];
  if (!known) {
    throw new Error(
      `OTEL_TRACES_SAMPLER: must be one of ${Object.keys(SAMPLERS).join(", ")}, got "${name}"`,
    );
  }
  const arg = value(env, "OTEL_TRACES_SAMPLER_ARG");
  const ratio = arg === undefined || known.kind !== "traceidratio" ? 1 : Number(arg);
  if (!(ratio >= 0 && ratio <= 1)) {
    throw new Error(`OTEL_TRACES_SAMPLER_ARG: must be a ratio from 0 to 1, got "${arg}"`);
  }
  return { ...known, ratio };
}

/** Tracing's settings, or null when tracing is off (no endpoint, disabled, exporter none). */
export function tracingSettings(env: Env): TracingSettings | null {
  if (value(env, "OTEL_SDK_DISABLED")?.toLowerCase() === "true") return null;
  if (checkExporterChoice(env) === "none") return null;
  const url = tracesUrl(env);
  if (!url) return null;
  checkProtocol(env);
  const resource = keyValues(env, "OTEL_RESOURCE_ATTRIBUTES");
  resource["service.name"] =
    value(env, "OTEL_SERVICE_NAME") ?? resource["service.name"] ?? "herald";
  const exportTimeoutMs = wholeNumber(
    env,
    "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
    wholeNumber(env, "OTEL_EXPORTER_OTLP_TIMEOUT", 10_000),
  );
  return {
    url,
    headers: {
      ...keyValues(env, "OTEL_EXPORTER_OTLP_HEADERS"),
      ...keyValues(env, "OTEL_EXPORTER_OTLP_TRACES_HEADERS"),
    },
    resource,
    sampler: sampler(env),
    exportTimeoutMs,
    batch: {
      scheduledDelayMillis: wholeNumber(env, "OTEL_BSP_SCHEDULE_DELAY", 5000),
      exportTimeoutMillis: wholeNumber(env, "OTEL_BSP_EXPORT_TIMEOUT", 30_000),
      maxQueueSize: wholeNumber(env, "OTEL_BSP_MAX_QUEUE_SIZE", 2048),
      maxExportBatchSize: wholeNumber(env, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", 512),
    },
  };
}

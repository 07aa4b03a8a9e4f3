// How values read on screen. Times are shown in the viewer's locale and time zone; the
// ISO value stays in <time dateTime> for copy-paste and assistive technology.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const timeOnly = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : timeOnly.format(date);
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return "no deliveries";
  const percent = ratio * 100;
  // 99.96 % is not "100 %": keep one decimal near the ends of the scale.
  const digits = percent > 99 && percent < 100 ? 2 : percent > 0 && percent < 1 ? 2 : 1;
  return `${Number(percent.toFixed(digits))} %`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms)} ms`;
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** JSON for a <pre>: indented, and never throws on odd values. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `<input type="datetime-local">` value for a moment, in local time. */
export function toDateTimeLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** The ISO instant of a datetime-local value (read as local time), or null if invalid. */
export function fromDateTimeLocal(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export const DESTINATION_LABELS: Record<string, string> = {
  https: "HTTPS",
  sqs: "Amazon SQS",
  amqp: "RabbitMQ",
};

export const FAMILY_LABELS: Record<string, string> = {
  crossmint: "Actions (Crossmint)",
  "chain-observed": "Chain-observed (Original)",
  operational: "Operational",
};

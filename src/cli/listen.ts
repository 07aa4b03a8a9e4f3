import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { SETTINGS } from "../config.js";
import type { ClaimedDelivery } from "../core/interfaces.js";
import { isValidSecret } from "../core/policy/signing.js";
import { DEFAULT_WEBHOOK_FORMAT } from "../core/policy/webhook-format.js";
import { parseAllowList } from "../core/policy/ssrf-policy.js";
import { SecretBox } from "../core/runtime/secret-box.js";
import { prepareMessage, type AttemptContext } from "../dispatcher/attempt.js";
import { httpsDestination } from "../destinations/https/https-destination.js";
import { fail } from "./context.js";
import { defaultStatePath, ListenState } from "./listen-state.js";
import { readStream, StreamRefused, type StreamedEvent } from "./listen-stream.js";

// `herald listen`: a running Herald's events of one project, forwarded to a local URL as real
// deliveries (the dispatcher's body, headers and signature; the HTTPS destination's POST),
// signed with a secret of its own. One event at a time, in the stream's order: a failing
// receiver holds the next ones back until it answers 2xx. docs/listen.md.

export interface ListenFlags {
  forwardTo: string;
  events?: string;
  api?: string;
  apiKey?: string;
  since?: string;
  state?: string;
  secret?: string;
}

const DEFAULT_API = `http://127.0.0.1:${SETTINGS.find((s) => s.env === "PORT")!.default}`;
export const LISTEN_DEFAULT_API = DEFAULT_API;
const FORWARD_TIMEOUT_MS = 15_000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5_000;

const backOff = (ms: number, max: number) => Math.min(ms * 2, max);

interface Paint {
  dim(text: string): string;
  type(text: string): string;
  ok(text: string): string;
  bad(text: string): string;
}

function paint(enabled: boolean): Paint {
  const code = (open: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[0m` : text;
  return { dim: code(2), type: code(36), ok: code(32), bad: code(31) };
}

function checkedFlags(flags: ListenFlags) {
  const apiKey = flags.apiKey ?? process.env.HERALD_API_KEY;
  if (!apiKey) fail("listen needs the project's API key: --api-key or HERALD_API_KEY");
  const url = (text: string, name: string) => {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      fail(`${name} must be an http:// or https:// URL, got "${text}"`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      fail(`${name} must be an http:// or https:// URL, got "${text}"`);
    }
    return parsed.toString();
  };
  const forwardTo = url(flags.forwardTo, "--forward-to");
  const api = url(flags.api ?? DEFAULT_API, "--api").replace(/\/+$/, "");
  let since: string | null = null;
  if (flags.since !== undefined) {
    const ms = Date.parse(flags.since);
    if (Number.isNaN(ms)) fail(`--since must be a time such as 2026-12-01T10:00:00Z`);
    since = new Date(ms).toISOString();
  }
  const types = flags.events
    ? flags.events
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== "")
    : null;
  if (flags.secret !== undefined && !isValidSecret(flags.secret)) {
    fail("--secret must be a whsec_ secret (whsec_ and 24 to 64 bytes as base64)");
  }
  return { apiKey, forwardTo, api, since, types: types?.length ? types : null };
}

export async function runListen(flags: ListenFlags): Promise<void> {
  const { apiKey, forwardTo, api, since, types } = checkedFlags(flags);
  let state: ListenState;
  try {
    state = ListenState.load(flags.state ?? defaultStatePath(api, apiKey), flags.secret);
  } catch (error) {
    fail((error as Error).message);
  }
  if (since) state.restart();
  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const p = paint(colour);
  const print = (line: string) => process.stdout.write(line + "\n");
  print(`Forwarding ${types ? types.join(", ") : "every event"} from ${api} to ${forwardTo}`);
  print(`Signing secret: ${state.secret}`);
  print(p.dim(`State: ${state.path}`));

  // The message a real endpoint with this secret would get: the dispatcher builds it.
  const box = new SecretBox(randomBytes(32));
  const secretEnc = box.seal(state.secret);
  // prepareMessage reads only the secret box of an attempt's context.
  const context = { box } as AttemptContext;
  const sender = httpsDestination.open(parseAllowList("0.0.0.0/0,::/0"));
  let projectId = "";

  const forward = async (event: StreamedEvent) => {
    const payload = JSON.stringify(event.payload);
    let wait = RETRY_MIN_MS;
    for (let attempt = 1; ; attempt++) {
      const claim: ClaimedDelivery = {
        id: `listen-${event.id}`,
        eventId: event.id,
        projectId,
        eventType: event.type,
        payload,
        attempt,
        scheduleIndex: 0,
        endpoint: {
          id: "listen",
          url: forwardTo,
          destinationType: "https",
          destinationEnc: null,
          secretEnc,
          previousSecretEnc: null,
          previousSecretExpiresAt: null,
          failingSince: null,
          quietUntil: null,
          rateLimit: null,
          format: DEFAULT_WEBHOOK_FORMAT,
        },
      };
      const started = performance.now();
      const message = prepareMessage(claim, context, Date.now());
      const result = await sender.deliver(
        { type: "https", url: forwardTo },
        message,
        FORWARD_TIMEOUT_MS,
      );
      const ms = Math.round(performance.now() - started);
      const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
      const answer = result.statusCode !== null ? String(result.statusCode) : result.error;
      const head = `${p.dim(event.createdAt)}  ${p.type(event.type)}  ${event.id}`;
      if (ok) {
        state.forwarded(event.id);
        print(`${head}  ${p.ok(`${answer}`)} ${p.dim(`(${ms} ms)`)}`);
        return;
      }
      print(
        `${head}  ${p.bad(`${answer}`)} ${p.dim(`(${ms} ms)`)}  ` +
          p.bad(`failed (attempt ${attempt}), retrying in ${wait / 1000} s`),
      );
      await sleep(wait);
      wait = backOff(wait, RETRY_MAX_MS);
    }
  };

  const stop = new AbortController();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stop.abort();
      process.exit(0);
    });
  }
  // Until an event is forwarded, a reconnection starts where the first connection started.
  let start = since;
  let reconnect = RECONNECT_MIN_MS;
  let connected = false;
  for (;;) {
    try {
      const stream = readStream({
        api,
        apiKey,
        after: state.lastEventId,
        since: state.lastEventId ? null : start,
        types,
        signal: stop.signal,
      });
      for await (const message of stream) {
        if (message.kind === "project") {
          projectId = message.id;
          start ??= message.since;
          reconnect = RECONNECT_MIN_MS;
          print(p.dim(`Connected: project ${projectId}`));
          connected = true;
          continue;
        }
        if (state.wasForwarded(message.event.id)) continue;
        await forward(message.event);
      }
      print(p.dim(`The stream ended; reconnecting in ${reconnect / 1000} s`));
    } catch (error) {
      if (error instanceof StreamRefused) fail(error.message);
      const why = (error as { code?: string }).code === "ECONNREFUSED" ? "connection refused" : "";
      const said = why || (error as Error).message;
      print(
        p.bad(`${connected ? "Disconnected" : "Cannot connect"} (${said}); `) +
          p.dim(`reconnecting in ${reconnect / 1000} s`),
      );
    }
    connected = false;
    await sleep(reconnect);
    reconnect = backOff(reconnect, RECONNECT_MAX_MS);
  }
}

import { Type } from "@sinclair/typebox";
import { Agent, request, errors } from "undici";
import { checkUrlShape, type AllowList } from "../../core/policy/ssrf-policy.js";
import type {
  Destination,
  DestinationResult,
  DestinationType,
  OutboundMessage,
} from "../destination.js";
import { checkUrlTarget } from "../guarded-lookup.js";
import { guardedConnector } from "../guarded-sockets.js";

export interface HttpsConfig {
  type: "https";
  url: string;
}

const RESPONSE_BODY_LIMIT = 4096;
/** Reading the recorded part of an answer's body has its own bound, after the status line. */
const RESPONSE_BODY_MS = 1000;
const USER_AGENT = "Herald-Webhooks/0.1";

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof errors.RequestAbortedError || (error as Error).name === "AbortError") {
    return `timed out after ${timeoutMs} ms`;
  }
  const code = (error as { code?: string }).code;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? code;
  const message = (error as Error).message ?? String(error);
  if (detail === "ECONNRESET" || code === "UND_ERR_SOCKET") return `connection reset (${message})`;
  if (detail === "ECONNREFUSED") return "connection refused";
  if (code === "ERR_SSRF_BLOCKED" || cause?.code === "ERR_SSRF_BLOCKED") {
    return `blocked: ${cause?.message ?? message}`;
  }
  return detail ? `${detail}: ${message}` : message;
}

/**
 * The first 4 KiB of the body, read for at most a second: whatever has arrived by then (a
 * receiver that answers 200 and then drips its body is still acknowledged).
 */
async function readLimited(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = setTimeout(() => body.destroy(), RESPONSE_BODY_MS);
  try {
    for await (const chunk of body) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= RESPONSE_BODY_LIMIT) break;
    }
  } catch {
    // Cut short (the bound above, or the connection): keep what arrived.
  } finally {
    clearTimeout(stop);
    body.destroy();
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString("utf8");
}

/** POSTs over pooled keep-alive connections; redirects are never followed. */
class HttpsSender implements Destination<HttpsConfig> {
  private readonly agent: Agent;

  constructor(allow: AllowList) {
    this.agent = new Agent({
      // Every socket passes the SSRF guard: its resolved addresses, or its IP literal.
      connect: guardedConnector(allow, { timeout: 10_000 }),
      keepAliveTimeout: 30_000,
    });
  }

  async deliver(
    { url: target }: HttpsConfig,
    message: OutboundMessage,
    timeoutMs: number,
  ): Promise<DestinationResult> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const response = await request(target, {
        method: "POST",
        dispatcher: this.agent,
        signal: abort.signal,
        headers: {
          ...message.headers,
          "content-type": "application/json",
          "user-agent": USER_AGENT,
        },
        body: message.body,
      });
      // The status line arrived within the timeout: that is the answer.
      clearTimeout(timer);
      const responseBody = await readLimited(response.body);
      const retryAfter = response.headers["retry-after"];
      return {
        statusCode: response.statusCode,
        error: null,
        retryAfter: typeof retryAfter === "string" ? retryAfter : null,
        responseBody,
      };
    } catch (error) {
      return {
        statusCode: null,
        error: describeError(error, timeoutMs),
        retryAfter: null,
        responseBody: null,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/** A URL that receives a POST per event: the default destination, given as just `url`. */
export const httpsDestination: DestinationType<HttpsConfig> = {
  type: "https",
  schema: Type.Object(
    {
      type: Type.Literal("https"),
      url: Type.String({
        minLength: 1,
        maxLength: 2048,
        description: "https:// URL that receives a POST per event",
      }),
    },
    { additionalProperties: false, title: "HTTPS" },
  ),
  validate: (config) => {
    const shape = checkUrlShape(config.url);
    return shape.ok ? null : `destination.${shape.reason}`;
  },
  hosts: (config) => {
    const shape = checkUrlShape(config.url);
    return shape.ok ? [shape.host] : [];
  },
  // Plain http:// only to hosts the operator allow-listed, besides the address ranges.
  checkTarget: async (config, allow, resolve) => {
    const verdict = await checkUrlTarget(config.url, allow, resolve);
    return verdict.ok ? null : `destination.url: ${verdict.reason}`;
  },
  mask: (config) => ({ type: "https", url: config.url }),
  address: (config) => config.url,
  open: (allow) => new HttpsSender(allow),
};

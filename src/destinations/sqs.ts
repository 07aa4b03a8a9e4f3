// Amazon SQS (or an SQS-compatible service at a custom endpoint): one SendMessage per attempt,
// the webhook body as the message body and the signature headers as message attributes.
import { createHash } from "node:crypto";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { Type } from "@sinclair/typebox";
import { checkAddress, type AllowList } from "../core/ssrf-policy.js";
import type {
  Destination,
  DestinationResult,
  DestinationType,
  OutboundMessage,
} from "./destination.js";
import { checkUrlTarget, createGuardedLookup } from "./guarded-lookup.js";
import { maskCredential } from "./masking.js";
import {
  checkSqsSettings,
  classifySqsError,
  connectHost,
  isAwsSqsHost,
  isIpLiteral,
  sendMessageInput,
  sqsHosts,
  type SqsSettings,
} from "./sqs-policy.js";

export type SqsConfig = SqsSettings & { type: "sqs" };

/** Clients kept at once; the least recently used one is closed beyond this. */
const MAX_CLIENTS = 64;
const MAX_SOCKETS_PER_CLIENT = 50;
const CONNECT_TIMEOUT_MS = 10_000;
const RESPONSE_BODY_LIMIT = 4096;

const schema = Type.Object(
  {
    type: Type.Literal("sqs", { description: "Deliver to an Amazon SQS queue." }),
    queueUrl: Type.String({
      minLength: 1,
      maxLength: 2048,
      description:
        "The queue's URL, e.g. https://sqs.us-east-1.amazonaws.com/123456789012/orders. A queue whose name ends in .fifo is a FIFO queue: Herald sets the deduplication id to the event id.",
    }),
    region: Type.String({
      minLength: 1,
      maxLength: 32,
      description: "The queue's AWS region, e.g. us-east-1.",
    }),
    accessKeyId: Type.String({
      minLength: 1,
      maxLength: 128,
      description:
        "Access key id of an IAM identity allowed sqs:SendMessage on the queue. Shown masked.",
    }),
    secretAccessKey: Type.String({
      minLength: 1,
      maxLength: 256,
      description: "The secret access key for accessKeyId. Write-only: never shown again.",
    }),
    endpoint: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2048,
        description:
          "An SQS-compatible endpoint to call instead of AWS, e.g. http://localhost:4566 for LocalStack. Subject to the private-network guard (HERALD_ALLOW_PRIVATE_NETWORKS).",
      }),
    ),
    // No `default` keyword: the API fills defaults in, and this one applies only to FIFO queues.
    messageGroup: Type.Optional(
      Type.Union(
        [Type.Literal("endpoint"), Type.Literal("collection"), Type.Literal("eventType")],
        {
          description:
            "FIFO queues only: what the message group id is, i.e. what is kept in order. endpoint (the default): all of this endpoint's messages; collection: per NFT collection (events without one group by endpoint); eventType: per event type.",
        },
      ),
    ),
  },
  { additionalProperties: false, description: "An Amazon SQS queue." },
);

interface ClientEntry {
  client: SQSClient;
  /** Why the SSRF guard refuses the endpoint's IP-literal host, or null. */
  blocked: string | null;
  inFlight: number;
  evicted: boolean;
}

const failure = (statusCode: number | null, error: string): DestinationResult => ({
  statusCode,
  error,
  retryAfter: null,
  responseBody: null,
});

class SqsSender implements Destination<SqsConfig> {
  private readonly clients = new Map<string, ClientEntry>();

  constructor(private readonly allow: AllowList) {}

  private clientKey(config: SqsConfig): string {
    const secret = createHash("sha256").update(config.secretAccessKey).digest("base64");
    return JSON.stringify([config.region, config.endpoint ?? null, config.accessKeyId, secret]);
  }

  private createEntry(config: SqsConfig): ClientEntry {
    const host = connectHost(config) ?? "";
    // AWS's own SQS hosts are exempt; everything else resolves through the guard, and IP
    // literals (which net connects to without a lookup) are checked here.
    const guarded = !isAwsSqsHost(host);
    const literal = guarded && isIpLiteral(host) ? checkAddress(host, this.allow) : null;
    const agentOptions = {
      keepAlive: true,
      maxSockets: MAX_SOCKETS_PER_CLIENT,
      ...(guarded ? { lookup: createGuardedLookup(this.allow) } : {}),
    };
    const client = new SQSClient({
      region: config.region,
      credentials: {
        accessKeyId: config.accessKeyId,
        secretAccessKey: config.secretAccessKey,
      },
      // Without a custom endpoint the SDK calls the region's own endpoint
      // (sqs.<region>.amazonaws.com); the queue URL is only a parameter.
      ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
      useQueueUrlAsEndpoint: false,
      // Standard mode retries throttling, 5xx and connection failures within one attempt.
      maxAttempts: 3,
      retryMode: "standard",
      requestHandler: new NodeHttpHandler({
        httpAgent: new HttpAgent(agentOptions),
        httpsAgent: new HttpsAgent(agentOptions),
        connectionTimeout: CONNECT_TIMEOUT_MS,
      }),
    });
    return {
      client,
      blocked: literal && !literal.allowed ? literal.reason : null,
      inFlight: 0,
      evicted: false,
    };
  }

  private acquire(config: SqsConfig): ClientEntry {
    const key = this.clientKey(config);
    let entry = this.clients.get(key);
    if (entry) {
      this.clients.delete(key); // re-inserted below: the Map's order is least recently used first
    } else {
      entry = this.createEntry(config);
      while (this.clients.size >= MAX_CLIENTS) {
        const [oldestKey, oldest] = this.clients.entries().next().value!;
        this.clients.delete(oldestKey);
        oldest.evicted = true;
        if (oldest.inFlight === 0) oldest.client.destroy();
      }
    }
    this.clients.set(key, entry);
    entry.inFlight += 1;
    return entry;
  }

  private release(entry: ClientEntry): void {
    entry.inFlight -= 1;
    if (entry.evicted && entry.inFlight === 0) entry.client.destroy();
  }

  async deliver(
    config: SqsConfig,
    message: OutboundMessage,
    timeoutMs: number,
  ): Promise<DestinationResult> {
    let entry: ClientEntry;
    try {
      entry = this.acquire(config);
    } catch (error) {
      return failure(null, `could not set up the SQS client: ${(error as Error).message}`);
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      if (entry.blocked) return failure(null, `blocked: ${entry.blocked}`);
      const command = new SendMessageCommand(sendMessageInput(config, message));
      const output = await entry.client.send(command, { abortSignal: abort.signal });
      const status = output.$metadata.httpStatusCode;
      return {
        statusCode: status !== undefined && status >= 200 && status < 300 ? status : 200,
        error: null,
        retryAfter: null,
        responseBody: `MessageId ${output.MessageId ?? "(none)"}`.slice(0, RESPONSE_BODY_LIMIT),
      };
    } catch (error) {
      // An abort surfaces as AbortError, whatever the SDK was doing at the time.
      const cause = abort.signal.aborted
        ? Object.assign(new Error("aborted"), { name: "AbortError" })
        : error;
      const { statusCode, error: text } = classifySqsError(cause, {
        queueUrl: config.queueUrl,
        timeoutMs,
      });
      return failure(statusCode, text);
    } finally {
      clearTimeout(timer);
      this.release(entry);
    }
  }

  async close(): Promise<void> {
    for (const entry of this.clients.values()) entry.client.destroy();
    this.clients.clear();
  }
}

export const sqsDestination: DestinationType<SqsConfig> = {
  type: "sqs",
  schema,
  validate: (config) => checkSqsSettings(config),
  hosts: (config) => sqsHosts(config),
  // A custom endpoint follows the HTTPS rules: the SSRF ranges, and plain http:// only to
  // hosts the operator allow-listed (messages and signatures would travel in the clear).
  checkTarget: async (config, allow) => {
    if (sqsHosts(config).length === 0 || config.endpoint === undefined) return null;
    const verdict = await checkUrlTarget(config.endpoint, allow);
    return verdict.ok ? null : `destination.endpoint: ${verdict.reason}`;
  },
  mask: (config) => ({
    type: config.type,
    queueUrl: config.queueUrl,
    region: config.region,
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(config.messageGroup !== undefined ? { messageGroup: config.messageGroup } : {}),
    accessKeyId: maskCredential(config.accessKeyId),
    secretAccessKey: "****",
  }),
  address: (config) => config.queueUrl,
  open: (allow) => new SqsSender(allow),
};

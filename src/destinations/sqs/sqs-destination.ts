// Amazon SQS (or an SQS-compatible service at a custom endpoint): the webhook body as the
// message body and the signature headers as message attributes.
//
// Concurrent attempts to the same queue (same client, same queue URL) share SendMessageBatch
// calls: each waits in its queue's lane until the next macrotask (setImmediate), or until the
// lane holds 10 entries or the next entry would take it over 256 KiB, whichever comes first; an
// attempt on its own thus waits one tick, never a timer. Each attempt gets its own entry's
// result; a message over 256 KiB is sent alone with SendMessage (and gets SQS's own answer).
// (SendMessageBatch needs the same IAM permission as SendMessage: sqs:SendMessage.)
import { createHash } from "node:crypto";
import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { Type } from "@sinclair/typebox";
import { checkHostAddresses, type AllowList } from "../../core/policy/ssrf-policy.js";
import type {
  Destination,
  DestinationResult,
  DestinationType,
  OutboundMessage,
} from "../destination.js";
import { checkUrlTarget, type ResolveHost } from "../guarded-lookup.js";
import { maskCredential } from "../masking.js";
import { createSqsClient, sdkEndpointHost } from "./sqs-client.js";
import {
  BATCH_MAX_BYTES,
  BATCH_MAX_ENTRIES,
  batchEntry,
  batchOutcomes,
  checkSqsSettings,
  classifySqsError,
  endpointOwner,
  payloadBytes,
  sendMessageInput,
  sqsHosts,
  type SendMessageInput,
  type SqsFailure,
  type SqsSettings,
} from "./policy.js";

export type SqsConfig = SqsSettings & { type: "sqs" };

/** Clients kept at once; the least recently used one is closed beyond this. */
const MAX_CLIENTS = 64;
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
  inFlight: number;
  evicted: boolean;
}

/** One attempt waiting in a lane, then in a batch in flight, until it has its result. */
interface Pending {
  input: SendMessageInput;
  bytes: number;
  timeoutMs: number;
  /** The client this attempt acquired (held until it has its result). */
  client: ClientEntry;
  /** The lane it waits in until its batch is sent; null once sent or timed out. */
  lane: Lane | null;
  /** Its batch once sent. */
  batch: Batch | null;
  settled: boolean;
  settle: (result: DestinationResult) => void;
}

/** The attempts to one queue (through one client) waiting for the next batch. */
interface Lane {
  key: string;
  queueUrl: string;
  pending: Pending[];
  bytes: number;
  /** The flush on the next macrotask, once an entry waits. */
  scheduled: NodeJS.Immediate | null;
}

interface Batch {
  abort: AbortController;
  /** Entries whose attempt still waits for the answer; the call is aborted when none does. */
  waiting: number;
}

const failure = (statusCode: number | null, error: string): DestinationResult => ({
  statusCode,
  error,
  retryAfter: null,
  responseBody: null,
});

const failed = ({ statusCode, error }: SqsFailure) => failure(statusCode, error);

const delivered = (status: number | undefined, messageId: string | undefined) => ({
  statusCode: status !== undefined && status >= 200 && status < 300 ? status : 200,
  error: null,
  retryAfter: null,
  responseBody: `MessageId ${messageId ?? "(none)"}`.slice(0, RESPONSE_BODY_LIMIT),
});

const abortError = () => Object.assign(new Error("aborted"), { name: "AbortError" });

class SqsSender implements Destination<SqsConfig> {
  private readonly clients = new Map<string, ClientEntry>();
  /** By client key and queue URL. */
  private readonly lanes = new Map<string, Lane>();

  constructor(private readonly allow: AllowList) {}

  private clientKey(config: SqsConfig): string {
    const secret = createHash("sha256").update(config.secretAccessKey).digest("base64");
    return JSON.stringify([config.region, config.endpoint ?? null, config.accessKeyId, secret]);
  }

  private createEntry(config: SqsConfig): ClientEntry {
    return { client: createSqsClient(config, this.allow), inFlight: 0, evicted: false };
  }

  private acquire(config: SqsConfig): { key: string; entry: ClientEntry } {
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
    return { key, entry };
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
    let key: string;
    let entry: ClientEntry;
    try {
      ({ key, entry } = this.acquire(config));
    } catch (error) {
      return failure(null, `could not set up the SQS client: ${(error as Error).message}`);
    }
    try {
      const input = sendMessageInput(config, message);
      const bytes = payloadBytes(input);
      if (bytes > BATCH_MAX_BYTES) return await this.sendAlone(entry, input, timeoutMs);
      return await this.enqueue(key, entry, input, bytes, timeoutMs);
    } catch (error) {
      // Not expected (both paths report failures as results); deliver() never throws.
      return failure(null, `could not send to SQS: ${(error as Error).message}`);
    } finally {
      this.release(entry);
    }
  }

  /** A message too large for any batch: one SendMessage, bounded by timeoutMs. */
  private async sendAlone(
    entry: ClientEntry,
    input: SendMessageInput,
    timeoutMs: number,
  ): Promise<DestinationResult> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const command = new SendMessageCommand(input);
      const output = await entry.client.send(command, { abortSignal: abort.signal });
      return delivered(output.$metadata.httpStatusCode, output.MessageId);
    } catch (error) {
      // An abort surfaces as AbortError, whatever the SDK was doing at the time.
      const cause = abort.signal.aborted ? abortError() : error;
      return failed(classifySqsError(cause, { queueUrl: input.QueueUrl, timeoutMs }));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Adds the message to its queue's lane; resolves with its own result, or on timeout. */
  private enqueue(
    clientKey: string,
    client: ClientEntry,
    input: SendMessageInput,
    bytes: number,
    timeoutMs: number,
  ): Promise<DestinationResult> {
    return new Promise((resolve) => {
      const key = `${clientKey}\n${input.QueueUrl}`;
      let lane = this.lanes.get(key);
      // Entries keep the order of the deliver() calls, within a batch and from one to the next.
      if (lane && lane.bytes + bytes > BATCH_MAX_BYTES) {
        this.flush(lane);
        lane = undefined;
      }
      if (!lane) {
        lane = { key, queueUrl: input.QueueUrl, pending: [], bytes: 0, scheduled: null };
        this.lanes.set(key, lane);
      }
      const timer = setTimeout(() => {
        if (pending.lane) {
          // Not sent yet: it leaves the lane and is never sent.
          this.remove(pending.lane, pending);
        } else if (pending.batch) {
          // In flight: SQS may still store the message and answer success after this. The
          // attempt counts as failed all the same and is retried, so the message may arrive
          // twice: at-least-once, as with a timed-out HTTPS request its receiver did get.
          // Once every attempt of the batch gave up, nobody waits for the answer any more.
          if (--pending.batch.waiting === 0) pending.batch.abort.abort();
        }
        pending.settle(failure(null, `timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const pending: Pending = {
        input,
        bytes,
        timeoutMs,
        client,
        lane,
        batch: null,
        settled: false,
        settle: (result) => {
          if (pending.settled) return;
          pending.settled = true;
          clearTimeout(timer);
          resolve(result);
        },
      };
      lane.pending.push(pending);
      lane.bytes += bytes;
      if (lane.pending.length >= BATCH_MAX_ENTRIES) this.flush(lane);
      else if (lane.scheduled === null) {
        const next = lane;
        next.scheduled = setImmediate(() => this.flush(next));
      }
    });
  }

  private remove(lane: Lane, pending: Pending): void {
    const index = lane.pending.indexOf(pending);
    if (index !== -1) lane.pending.splice(index, 1);
    lane.bytes -= pending.bytes;
    pending.lane = null;
    if (lane.pending.length === 0) {
      if (lane.scheduled !== null) clearImmediate(lane.scheduled);
      lane.scheduled = null;
      if (this.lanes.get(lane.key) === lane) this.lanes.delete(lane.key);
    }
  }

  /** Sends what the lane holds as one batch; the lane is done with (the next one is new). */
  private flush(lane: Lane): void {
    if (lane.scheduled !== null) clearImmediate(lane.scheduled);
    lane.scheduled = null;
    if (this.lanes.get(lane.key) === lane) this.lanes.delete(lane.key);
    const pending = lane.pending;
    lane.pending = [];
    lane.bytes = 0;
    if (pending.length === 0) return;
    this.sendBatch(lane.queueUrl, pending).catch((error: unknown) => {
      // Not expected; no attempt may wait forever.
      const result = failure(null, `could not send to SQS: ${(error as Error).message}`);
      for (const p of pending) p.settle(result);
    });
  }

  private async sendBatch(queueUrl: string, pending: Pending[]): Promise<void> {
    const batch: Batch = { abort: new AbortController(), waiting: pending.length };
    for (const p of pending) {
      p.lane = null;
      p.batch = batch;
    }
    // The first attempt's client: it stays acquired by that attempt until now, and by the
    // batch until the answer (every attempt in a lane has the same client key).
    const entry = pending[0]!.client;
    entry.inFlight += 1;
    let results: DestinationResult[];
    try {
      const command = new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: pending.map((p, index) => batchEntry(p.input, index)),
      });
      const output = await entry.client.send(command, { abortSignal: batch.abort.signal });
      const status = output.$metadata.httpStatusCode;
      results = batchOutcomes(output, pending.length, { queueUrl }).map((outcome) =>
        "messageId" in outcome ? delivered(status, outcome.messageId) : failed(outcome),
      );
    } catch (error) {
      // Aborted only once every attempt timed out: each has its result already.
      if (batch.abort.signal.aborted) return;
      // A whole-call error (network, credentials, missing queue, throttling after the SDK's
      // retries) is every entry's.
      const timeoutMs = pending[0]!.timeoutMs;
      const result = failed(classifySqsError(error, { queueUrl, timeoutMs }));
      results = pending.map(() => result);
    } finally {
      this.release(entry);
    }
    pending.forEach((p, index) => p.settle(results[index]!));
  }

  async close(): Promise<void> {
    for (const lane of [...this.lanes.values()]) {
      const waiting = [...lane.pending];
      for (const pending of waiting) this.remove(lane, pending);
      for (const pending of waiting) {
        pending.settle(failure(null, "the SQS destination closed before the message was sent"));
      }
    }
    this.lanes.clear();
    for (const entry of this.clients.values()) entry.client.destroy();
    this.clients.clear();
  }
}

/**
 * AWS's endpoint for the region, as the SDK picks it, under AWS's rule. A name that does not
 * resolve now is let through (AWS's host is not the tenant's to fix); every socket is guarded.
 */
async function checkAwsEndpoint(
  config: SqsConfig,
  allow: AllowList,
  resolve: ResolveHost,
): Promise<string | null> {
  const host = await sdkEndpointHost(config);
  const addresses = host === null ? [] : await resolve(host).catch(() => []);
  if (host === null || addresses.length === 0) return null;
  const verdict = checkHostAddresses(host, addresses, allow, "aws");
  return verdict.ok ? null : verdict.reason;
}

export const sqsDestination: DestinationType<SqsConfig> = {
  type: "sqs",
  schema,
  validate: (config) => checkSqsSettings(config),
  hosts: (config) => sqsHosts(config),
  // A custom endpoint follows the HTTPS rules: the SSRF ranges, and plain http:// only to
  // hosts the operator allow-listed (messages and signatures would travel in the clear).
  checkTarget: async (config, allow, resolve) => {
    if (config.endpoint !== undefined) {
      const owner = endpointOwner(config);
      const verdict = await checkUrlTarget(config.endpoint, allow, resolve, owner);
      return verdict.ok ? null : `destination.endpoint: ${verdict.reason}`;
    }
    const blocked = await checkAwsEndpoint(config, allow, resolve);
    return blocked && `destination.region: ${blocked}`;
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

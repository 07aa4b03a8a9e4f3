// What a SendMessage (or a SendMessageBatch entry) carries, what fits in one batch, and how a
// batch's answer maps back to each delivery. Pure.
import { createHash } from "node:crypto";
import { collectionOf } from "../../core/policy/collection-of.js";
import { VERIFY_HEADERS, type OutboundMessage } from "../destination.js";
import { classifySqsEntryError, type BatchEntryFailure, type SqsFailure } from "./errors.js";
import {
  DEFAULT_MESSAGE_GROUP,
  isFifoQueueUrl,
  type MessageGroup,
  type SqsSettings,
} from "./settings.js";

export interface StringAttribute {
  DataType: "String";
  StringValue: string;
}

export interface SendMessageInput {
  QueueUrl: string;
  MessageBody: string;
  MessageAttributes: Record<string, StringAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/** SQS allows 10 message attributes; these 6 are what a receiver needs to verify and route. */
export const ATTRIBUTE_HEADERS = VERIFY_HEADERS;
export const EVENT_TYPE_ATTRIBUTE = "x-webhook-event-type";

/** SQS takes 1-128 printable ASCII characters; anything else would fail every attempt. */
const VALID_GROUP_ID = /^[\x21-\x7e]{1,128}$/;

function groupKey(group: MessageGroup, message: OutboundMessage): string {
  switch (group) {
    case "collection":
      // Read from the body only here: no other destination needs the payload parsed.
      return collectionOf(message.body) ?? message.endpointId;
    case "eventType":
      return message.eventType;
    case "endpoint":
      return message.endpointId;
  }
}

/** The group's key as SQS accepts it: as is when valid, else its SHA-256 (same key, same group). */
export function messageGroupId(group: MessageGroup, message: OutboundMessage): string {
  const key = groupKey(group, message);
  return VALID_GROUP_ID.test(key) ? key : createHash("sha256").update(key).digest("hex");
}

/** The SendMessage input: the body exactly as HTTPS sends it, the signature in attributes. */
export function sendMessageInput(config: SqsSettings, message: OutboundMessage): SendMessageInput {
  const attributes: Record<string, StringAttribute> = {};
  const set = (name: string, value: string | undefined) => {
    // SQS rejects empty attribute values.
    if (value !== undefined && value !== "") {
      attributes[name] = { DataType: "String", StringValue: value };
    }
  };
  for (const name of ATTRIBUTE_HEADERS) set(name, message.headers[name]);
  set(EVENT_TYPE_ATTRIBUTE, message.eventType);
  const input: SendMessageInput = {
    QueueUrl: config.queueUrl,
    MessageBody: message.body,
    MessageAttributes: attributes,
  };
  if (isFifoQueueUrl(config.queueUrl)) {
    input.MessageDeduplicationId = message.eventId;
    input.MessageGroupId = messageGroupId(config.messageGroup ?? DEFAULT_MESSAGE_GROUP, message);
  }
  return input;
}

// ---------------------------------------------------------------------------------------------
// Batches

/** SendMessageBatch takes at most 10 entries ... */
export const BATCH_MAX_ENTRIES = 10;
/** ... whose payloads together are at most 256 KiB; a larger message goes alone (SendMessage). */
export const BATCH_MAX_BYTES = 262_144;
/** What SQS accepts as a batch entry's Id. */
export const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The bytes a message counts toward SQS's size limits: the body and each attribute's name,
 * type and value, in UTF-8. (The type is counted too: SQS does, and it only errs on the safe side.)
 */
export function payloadBytes(
  input: Pick<SendMessageInput, "MessageBody" | "MessageAttributes">,
): number {
  let bytes = Buffer.byteLength(input.MessageBody, "utf8");
  for (const name in input.MessageAttributes) {
    const attribute = input.MessageAttributes[name]!;
    bytes +=
      Buffer.byteLength(name, "utf8") +
      Buffer.byteLength(attribute.DataType, "utf8") +
      Buffer.byteLength(attribute.StringValue, "utf8");
  }
  return bytes;
}

export interface BatchEntry {
  Id: string;
  MessageBody: string;
  MessageAttributes: Record<string, StringAttribute>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

/**
 * The SendMessageBatch entry for a SendMessage input: the same body, attributes, group and
 * deduplication ids, and as Id the entry's index in the batch (unique, and what SQS accepts).
 */
export function batchEntry(input: SendMessageInput, index: number): BatchEntry {
  const entry: BatchEntry = {
    Id: String(index),
    MessageBody: input.MessageBody,
    MessageAttributes: input.MessageAttributes,
  };
  if (input.MessageDeduplicationId !== undefined) {
    entry.MessageDeduplicationId = input.MessageDeduplicationId;
  }
  if (input.MessageGroupId !== undefined) entry.MessageGroupId = input.MessageGroupId;
  return entry;
}

/** SQS's answer to SendMessageBatch, as far as the result of each entry goes. */
export interface BatchAnswer {
  Successful?: readonly { Id?: string | undefined; MessageId?: string | undefined }[] | undefined;
  Failed?: readonly BatchEntryFailure[] | undefined;
}

/** One entry's outcome: SQS's message id, or the failure. */
export type BatchEntryOutcome = { messageId: string } | SqsFailure;

/**
 * The outcome of each of the `count` entries (Ids "0" to count - 1) from SQS's answer. An entry
 * the answer does not mention failed: whatever answered did not answer as SQS does.
 */
export function batchOutcomes(
  answer: BatchAnswer,
  count: number,
  context: { queueUrl: string },
): BatchEntryOutcome[] {
  const outcomes: (BatchEntryOutcome | undefined)[] = new Array(count).fill(undefined);
  const indexOf = (id: string | undefined): number | null => {
    const index = Number(id);
    return Number.isInteger(index) && index >= 0 && index < count && String(index) === id
      ? index
      : null;
  };
  for (const entry of answer.Failed ?? []) {
    const index = indexOf(entry.Id);
    if (index !== null && outcomes[index] === undefined) {
      outcomes[index] = classifySqsEntryError(entry, context);
    }
  }
  for (const entry of answer.Successful ?? []) {
    const index = indexOf(entry.Id);
    if (index !== null && outcomes[index] === undefined) {
      outcomes[index] = { messageId: entry.MessageId ?? "(none)" };
    }
  }
  return outcomes.map(
    (outcome) =>
      outcome ?? {
        statusCode: null,
        error:
          "the endpoint answered SendMessageBatch without a result for this message, not as SQS does",
      },
  );
}

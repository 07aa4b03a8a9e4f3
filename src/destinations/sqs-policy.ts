// The pure half of the SQS destination, one file per concern: settings and hosts, the message
// and its batches, and what errors mean.
export * from "./sqs-settings.js";
export * from "./sqs-message.js";
export * from "./sqs-errors.js";

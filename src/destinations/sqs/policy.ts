// The pure half of the SQS destination, one file per concern: settings and hosts, the message
// and its batches, and what errors mean.
export * from "./settings.js";
export * from "./message.js";
export * from "./errors.js";

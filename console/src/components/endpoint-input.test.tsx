import { describe, expect, it } from "vitest";
import { checkDestination, destinationBody, fieldOfMessage, withPassword } from "./endpoint-input";

const SQS = ["queueUrl", "region", "accessKeyId", "secretAccessKey", "endpoint", "messageGroup"];
const AMQP = ["url", "exchange", "routingKey"];

describe("fieldOfMessage", () => {
  it.each([
    ["body.destination.queueUrl must match pattern", SQS, "queueUrl"],
    [
      "destination.queueUrl is a queue in us-east-1 but destination.region is eu-west-3",
      SQS,
      "queueUrl",
    ],
    ["destination.accessKeyId must be an AWS access key id", SQS, "accessKeyId"],
    ["destination.url: 10.0.0.8 is a private address", AMQP, "url"],
    ["url must use https:// (or http://), not ftp://", ["url"], "url"],
    ['eventTypes: "x y" is not a valid event type', ["url"], "eventTypes"],
    ["body.rateLimit must be <= 100000", ["url"], "rateLimit"],
    ["body/destination/exchange must match pattern", AMQP, "exchange"],
    ["could not resolve host hooks.example.com", ["url"], null],
    ["give either url or destination, not both", ["url"], null],
    ["body.destination must have required property 'region'", SQS, null],
  ])("%s → %s", (message, fields, field) => {
    expect(fieldOfMessage(message, fields)).toBe(field);
  });
});

describe("destinationBody", () => {
  it("sends HTTPS as a bare url, trimmed", () => {
    expect(destinationBody("https", { url: " https://a.example/h " })).toEqual({
      url: "https://a.example/h",
    });
  });

  it("leaves optional SQS and AMQP fields out when empty", () => {
    const sqs = {
      queueUrl: "q",
      region: "r",
      accessKeyId: "a",
      secretAccessKey: "s",
      endpoint: " ",
    };
    expect(destinationBody("sqs", sqs)).toEqual({
      destination: {
        type: "sqs",
        queueUrl: "q",
        region: "r",
        accessKeyId: "a",
        secretAccessKey: "s",
      },
    });
    expect(destinationBody("amqp", { url: "amqp://mq" })).toEqual({
      destination: { type: "amqp", url: "amqp://mq", exchange: "" },
    });
  });
});

describe("withPassword", () => {
  it("puts the broker password, encoded, into the URL typed without it", () => {
    expect(withPassword("amqps://herald@mq.example.com:5671/prod", "p@ss:w/rd")).toBe(
      "amqps://herald:p%40ss%3Aw%2Frd@mq.example.com:5671/prod",
    );
    expect(withPassword("amqp://mq", "")).toBe("amqp://mq");
    expect(withPassword("not a url", "x")).toBe("not a url");
    expect(
      destinationBody("amqp", { url: "amqp://u@mq/v", password: "s3cr3t", exchange: "x" }),
    ).toEqual({ destination: { type: "amqp", url: "amqp://u:s3cr3t@mq/v", exchange: "x" } });
  });
});

describe("checkDestination", () => {
  it("asks for each required field of the type", () => {
    expect(Object.keys(checkDestination("sqs", { queueUrl: "q" }))).toEqual([
      "region",
      "accessKeyId",
      "secretAccessKey",
    ]);
    expect(checkDestination("amqp", { url: "amqp://mq" })).toEqual({});
    expect(checkDestination("https", { url: "  " })).toHaveProperty("url");
  });
});

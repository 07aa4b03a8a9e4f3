// local-aws-sqs in-process, on 127.0.0.1 and a free port, for tests that need a real SQS API.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import { createSqsServer } from "local-aws-sqs";

export const SQS_TEST_REGION = "us-east-1";
export const SQS_TEST_ACCOUNT = "123456789012";
/** local-aws-sqs checks no credentials; any values work. */
export const SQS_TEST_CREDENTIALS = { accessKeyId: "AKIAHERALDTEST0001", secretAccessKey: "test" };

export interface SqsTestServer {
  /** e.g. http://127.0.0.1:43127: the `endpoint` of an SQS destination. */
  endpoint: string;
  port: number;
  region: string;
  /** A client of this server, for creating queues and receiving what Herald sent. */
  client: SQSClient;
  /** The URL of a queue on this server (whether or not it exists). */
  queueUrl(name: string): string;
  /** Creates a queue (FIFO when the name ends in .fifo) and returns its URL. */
  createQueue(name: string, attributes?: Record<string, string>): Promise<string>;
  /**
   * Up to `max` messages now visible in the queue, with their message attributes and system
   * attributes (MessageGroupId, MessageDeduplicationId, ...); deleted unless `keep` is set.
   */
  receive(queueUrl: string, options?: { max?: number; keep?: boolean }): Promise<Message[]>;
  /**
   * The action of every HTTP request this server received since it started or since the last
   * `clearRequests()`, in arrival order ("SendMessageBatch", "ReceiveMessage", ...), this
   * helper's own requests included.
   */
  requests(): string[];
  clearRequests(): void;
  /** Holds every answer back `ms` milliseconds from now on (0: answer at once again). */
  delayAnswers(ms: number): void;
  stop(): Promise<void>;
}

/** "AmazonSQS.SendMessage" (JSON protocol) or Action=SendMessage (query protocol). */
function actionOf(request: IncomingMessage): string {
  const target = request.headers["x-amz-target"];
  if (typeof target === "string") return target.slice(target.lastIndexOf(".") + 1);
  const url = new URL(request.url ?? "/", "http://sqs.test");
  return url.searchParams.get("Action") ?? `${request.method} (query protocol)`;
}

const fifoAttributes = (name: string): Record<string, string> =>
  name.endsWith(".fifo") ? { FifoQueue: "true" } : {};

export async function startSqsServer(
  /** `port`: listen there (a restarted server at the same address); default a free one. */
  options: { queues?: string[]; region?: string; port?: number } = {},
): Promise<SqsTestServer> {
  const region = options.region ?? SQS_TEST_REGION;
  const server: Server = await createSqsServer({
    port: options.port ?? 0,
    hostname: "127.0.0.1",
    region,
    accountId: SQS_TEST_ACCOUNT,
    // Tests delete and recreate queues; AWS's 60-second wait would only slow them down.
    emulateQueueCreationLifecycle: false,
    queues: (options.queues ?? []).map((QueueName) => ({
      QueueName,
      Attributes: fifoAttributes(QueueName),
    })),
  });
  // Every request is seen (and, on request, held back) before local-aws-sqs's own handler.
  // Its body waits in the paused request stream meanwhile.
  const requests: string[] = [];
  let delayMs = 0;
  const handlers = server.listeners("request") as ((
    request: IncomingMessage,
    response: ServerResponse,
  ) => void)[];
  server.removeAllListeners("request");
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    requests.push(actionOf(request));
    const handle = () => {
      for (const handler of handlers) handler.call(server, request, response);
    };
    if (delayMs > 0) setTimeout(handle, delayMs);
    else handle();
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({
    region,
    endpoint,
    credentials: { ...SQS_TEST_CREDENTIALS },
    maxAttempts: 1,
  });
  return {
    endpoint,
    port,
    region,
    client,
    queueUrl: (name) => `${endpoint}/${SQS_TEST_ACCOUNT}/${name}`,
    async createQueue(name, attributes = {}) {
      const out = await client.send(
        new CreateQueueCommand({
          QueueName: name,
          Attributes: { ...fifoAttributes(name), ...attributes },
        }),
      );
      return out.QueueUrl!;
    },
    async receive(queueUrl, { max = 10, keep = false } = {}) {
      const out = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: 0,
          MessageAttributeNames: ["All"],
          // local-aws-sqs reads the older AttributeNames, not MessageSystemAttributeNames.
          AttributeNames: ["All"],
        }),
      );
      const messages = out.Messages ?? [];
      if (!keep) {
        for (const message of messages) {
          await client.send(
            new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
          );
        }
      }
      return messages;
    },
    requests: () => [...requests],
    clearRequests() {
      requests.length = 0;
    },
    delayAnswers(ms) {
      delayMs = ms;
    },
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The AWS SDK client an SQS destination sends through. The SDK, not Herald, decides which host
// it dials: without a custom endpoint, AWS's endpoint for the region's partition
// (sqs.<region>.amazonaws.com, but sqs.us-iso-east-1.c2s.ic.gov, sqs.cn-north-1.amazonaws.com.cn,
// and sqs-fips… or dual-stack names when the AWS environment settings ask for them). So the
// guard sits on the client's sockets, judging the addresses actually connected to.
import { SQSClient, type SQSClientConfig } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { AllowList } from "../../core/policy/ssrf-policy.js";
import { guardedAgents } from "../guarded-sockets.js";
import { endpointOwner, type SqsSettings } from "./settings.js";

const MAX_SOCKETS_PER_CLIENT = 50;
const CONNECT_TIMEOUT_MS = 10_000;

function clientConfig(config: SqsSettings): SQSClientConfig {
  return {
    region: config.region,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    // Without a custom endpoint the SDK calls the region's own endpoint; the queue URL is
    // only a parameter.
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    useQueueUrlAsEndpoint: false,
    // Standard mode retries throttling, 5xx and connection failures within one attempt.
    maxAttempts: 3,
    retryMode: "standard",
  };
}

/** A client whose every socket passes the SSRF guard (AWS's rule when the SDK picks the host). */
export function createSqsClient(config: SqsSettings, allow: AllowList): SQSClient {
  const agents = guardedAgents(allow, endpointOwner(config), {
    keepAlive: true,
    maxSockets: MAX_SOCKETS_PER_CLIENT,
  });
  return new SQSClient({
    ...clientConfig(config),
    requestHandler: new NodeHttpHandler({ ...agents, connectionTimeout: CONNECT_TIMEOUT_MS }),
  });
}

/**
 * The host the SDK sends this config's messages to, as the SDK's own endpoint rules pick it
 * (with the FIPS and dual-stack settings of the environment); null when they refuse the
 * combination. For the check made when an endpoint is saved; sockets are guarded regardless.
 */
export async function sdkEndpointHost(config: SqsSettings): Promise<string | null> {
  const client = new SQSClient(clientConfig(config));
  try {
    const { endpointProvider, useFipsEndpoint, useDualstackEndpoint } = client.config;
    const endpoint = endpointProvider({
      Region: config.region,
      UseFIPS: await useFipsEndpoint(),
      UseDualStack: await useDualstackEndpoint(),
      ...(config.endpoint !== undefined ? { Endpoint: config.endpoint } : {}),
    });
    return endpoint.url.hostname.replace(/^\[(.*)\]$/, "$1");
  } catch {
    return null;
  } finally {
    client.destroy();
  }
}

// Every socket a destination opens passes the SSRF guard, whatever host its client library
// decided to dial: names through the guarded lookup (net calls it with the name it is about to
// connect to), IP literals (which net connects to without a lookup) checked just before the
// connect. The clients get their sockets from here: undici (HTTPS) through `guardedConnector`,
// the AWS SDK (SQS) through `guardedAgents`; amqplib takes `lookup` and checks its literal
// itself (amqp/link.ts).
import { Agent as HttpAgent, type AgentOptions, type ClientRequestArgs } from "node:http";
import { Agent as HttpsAgent, type RequestOptions } from "node:https";
import type { Duplex } from "node:stream";
import { buildConnector } from "undici";
import type { AllowList, HostOwner } from "../core/policy/ssrf-policy.js";
import { createGuardedLookup, refuseIpLiteral } from "./guarded-lookup.js";

type SocketCallback = (error: Error | null, socket: Duplex) => void;

/** The host a node:http(s) agent is asked to connect to (http.request sets `host`). */
const hostOf = (options: ClientRequestArgs) => options.host ?? options.hostname ?? "localhost";

class GuardedHttpAgent extends HttpAgent {
  constructor(
    private readonly allow: AllowList,
    private readonly owner: HostOwner,
    options: AgentOptions,
  ) {
    super({ ...options, lookup: createGuardedLookup(allow, owner) });
  }

  override createConnection(options: ClientRequestArgs, callback?: SocketCallback) {
    const refused = refuseIpLiteral(hostOf(options), this.allow, this.owner);
    // The agent fails the request with the error it is called back with.
    if (refused) return void callback?.(refused, undefined as never);
    return super.createConnection(options, callback);
  }
}

class GuardedHttpsAgent extends HttpsAgent {
  constructor(
    private readonly allow: AllowList,
    private readonly owner: HostOwner,
    options: AgentOptions,
  ) {
    super({ ...options, lookup: createGuardedLookup(allow, owner) });
  }

  override createConnection(options: RequestOptions, callback?: SocketCallback) {
    const refused = refuseIpLiteral(hostOf(options), this.allow, this.owner);
    if (refused) return void callback?.(refused, undefined as never);
    return super.createConnection(options, callback);
  }
}

/** node:http and node:https agents (for the AWS SDK's request handler) whose sockets are guarded. */
export function guardedAgents(
  allow: AllowList,
  owner: HostOwner,
  options: AgentOptions,
): { httpAgent: HttpAgent; httpsAgent: HttpsAgent } {
  return {
    httpAgent: new GuardedHttpAgent(allow, owner, options),
    httpsAgent: new GuardedHttpsAgent(allow, owner, options),
  };
}

/** undici's `connect` option: its connector, with every socket guarded. */
export function guardedConnector(
  allow: AllowList,
  options: { timeout: number },
): buildConnector.connector {
  const connect = buildConnector({ ...options, lookup: createGuardedLookup(allow) });
  return (target, callback) => {
    const refused = refuseIpLiteral(target.hostname, allow);
    if (refused) return callback(refused, null);
    return connect(target, callback);
  };
}

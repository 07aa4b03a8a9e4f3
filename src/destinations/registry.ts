import { Type, type TSchema } from "@sinclair/typebox";
import { checkHostAddresses, type AllowList } from "../core/policy/ssrf-policy.js";
import { amqpDestination } from "./amqp/amqp-destination.js";
import type {
  Destination,
  DestinationConfig,
  DestinationResult,
  DestinationType,
  OutboundMessage,
} from "./destination.js";
import { resolveAll, type ResolveHost } from "./guarded-lookup.js";
import { httpsDestination } from "./https/https-destination.js";
import { sqsDestination } from "./sqs/sqs-destination.js";

// The one place that lists every destination type: a new type is its own file plus a line here.
const TYPES: DestinationType[] = [httpsDestination, sqsDestination, amqpDestination];

const byType = new Map(TYPES.map((t) => [t.type, t as DestinationType]));

export const DESTINATION_TYPE_NAMES = TYPES.map((t) => t.type);

/**
 * The `destination` object of API bodies: one schema per type, told apart by `type` (Ajv's
 * discriminator, so an error names the field of the chosen type, not every alternative).
 */
export function destinationSchema(): TSchema {
  return Type.Unsafe({
    type: "object",
    required: ["type"],
    oneOf: TYPES.map((t) => t.schema),
    discriminator: { propertyName: "type" },
    description: `Where events go: ${DESTINATION_TYPE_NAMES.join(", ")}`,
  });
}

/** Every host the config connects to resolves only to addresses the guard allows. */
async function checkHosts(
  hosts: string[],
  allow: AllowList,
  resolve: ResolveHost,
): Promise<string | null> {
  for (const host of hosts) {
    const addresses = await resolve(host).catch(() => []);
    const verdict = checkHostAddresses(host, addresses, allow);
    if (!verdict.ok) return verdict.reason;
  }
  return null;
}

export type DestinationCheck = { ok: true; address: string } | { ok: false; reason: string };

export class DestinationRegistry {
  private readonly senders = new Map<string, Destination>();

  constructor(
    private readonly allow: AllowList,
    private readonly resolve: ResolveHost = resolveAll,
  ) {}

  private typeOf(config: DestinationConfig): DestinationType {
    const type = byType.get(config.type);
    if (!type) throw new Error(`no destination type ${config.type}`);
    return type;
  }

  /** Formats first, then the SSRF guard on the hosts it will connect to; run before saving. */
  async check(config: DestinationConfig): Promise<DestinationCheck> {
    const type = byType.get(config.type);
    if (!type) {
      const names = DESTINATION_TYPE_NAMES.join(", ");
      return { ok: false, reason: `destination.type must be one of ${names}` };
    }
    const invalid = type.validate(config);
    if (invalid) return { ok: false, reason: invalid };
    const blocked = type.checkTarget
      ? await type.checkTarget(config, this.allow, this.resolve)
      : await checkHosts(type.hosts(config), this.allow, this.resolve).then((reason) =>
          reason ? `destination: ${reason}` : null,
        );
    return blocked ? { ok: false, reason: blocked } : { ok: true, address: type.address(config) };
  }

  /** What the API shows of a destination: credentials masked. */
  view(config: DestinationConfig): Record<string, unknown> {
    return this.typeOf(config).mask(config);
  }

  /** Each type's sender is opened on first use and kept (it pools its connections). */
  deliver(
    config: DestinationConfig,
    message: OutboundMessage,
    timeoutMs: number,
  ): Promise<DestinationResult> {
    let sender = this.senders.get(config.type);
    if (!sender) {
      sender = this.typeOf(config).open(this.allow);
      this.senders.set(config.type, sender);
    }
    return sender.deliver(config, message, timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((d) => d.close()));
    this.senders.clear();
  }
}

import type { PageRequest, Store } from "../ports/store.js";
import { findEventType } from "./catalog/catalog.js";
import { openDestination } from "./destination-config.js";
import {
  statsRange,
  summarizeStats,
  type EndpointStats,
  type StatsWindow,
} from "../policy/endpoint-stats.js";
import { conflict, invalid, notFound } from "../errors.js";
import { isValidSubscription } from "../policy/event-filter.js";
import { hashRequest, newId } from "../runtime/ids.js";
import type {
  Delivery,
  DeliveryFilter,
  DestinationConfig,
  Endpoint,
  EndpointPatch,
  Page,
  StoredEndpoint,
} from "../interfaces.js";
import type { SecretBox } from "../runtime/secret-box.js";
import {
  DEFAULT_SIGNING,
  signingSecretFor,
  type SigningAlgorithm,
  type SigningSecret,
} from "../policy/signing.js";
import { DEFAULT_WEBHOOK_FORMAT, type WebhookFormat } from "../policy/webhook-format.js";
import type { Signals } from "../runtime/signals.js";
import { NO_TRACE, type TraceContext } from "../ports/trace.js";

/** What the destinations layer knows of each type; core names none of them. */
export interface DestinationRules {
  /** Formats, then the SSRF guard on the hosts it connects to; `address` is shown as `url`. */
  check(
    config: DestinationConfig,
  ): Promise<{ ok: true; address: string } | { ok: false; reason: string }>;
  /** The settings as the API shows them: credentials masked. */
  view(config: DestinationConfig): Record<string, unknown>;
}

/** What a user may change; `url` or `destination` replaces where events go. */
export interface EndpointUpdate {
  url?: string;
  destination?: DestinationConfig;
  description?: string;
  eventTypes?: string[] | null;
  enabled?: boolean;
  rateLimit?: number | null;
  format?: WebhookFormat;
}

/** An endpoint as the API shows it: its destination with credentials masked. */
export type EndpointView = Endpoint & { destination: Record<string, unknown> };

export interface EndpointInput {
  /** An HTTPS destination, as `{destination: {type: "https", url}}`. */
  url?: string;
  destination?: DestinationConfig;
  eventTypes?: string[] | null;
  description?: string;
  enabled?: boolean;
  rateLimit?: number | null;
  format?: WebhookFormat;
  /** hmac (default): `whsec_` secrets, v1 signatures; ed25519: `whsk_`/`whpk_` keys, v1a. */
  signing?: SigningAlgorithm;
  /** `whsec_…` (hmac) or `whsk_…` (ed25519) to bring one's own; generated if omitted. */
  secret?: string;
}

/** An endpoint's signing secret and, for ed25519, its public key. */
export interface EndpointSecret {
  secret: string;
  publicKey: string | null;
}

function signingSecret(algorithm: SigningAlgorithm, supplied?: string): SigningSecret {
  const verdict = signingSecretFor(algorithm, supplied);
  if (!verdict.ok) throw invalid(verdict.reason);
  return verdict.value;
}

export function publicEndpoint(e: StoredEndpoint): Endpoint {
  const {
    secretEnc: _s,
    previousSecretEnc: _p,
    previousSecretExpiresAt: _x,
    destinationEnc: _d,
    ...visible
  } = e;
  return visible;
}

/** `url` (an HTTPS endpoint, as before destinations existed) or `destination`, not both. */
function destinationOf(input: { url?: string; destination?: DestinationConfig }) {
  if (input.url !== undefined && input.destination !== undefined)
    throw invalid("give either url or destination, not both");
  if (input.destination !== undefined) return { config: input.destination, field: "destination" };
  if (input.url !== undefined)
    return { config: { type: "https", url: input.url } as DestinationConfig, field: "url" };
  return null;
}

function checkEventTypes(types: string[] | null | undefined): void {
  if (!types) return;
  if (types.length === 0)
    throw invalid("eventTypes must list at least one type, or be omitted for all");
  for (const t of types)
    if (!isValidSubscription(t)) throw invalid(`eventTypes: "${t}" is not a valid event type`);
}

export class EndpointService {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly destinations: DestinationRules,
    private readonly signals: Signals,
    private readonly secretGraceMs: number,
    private readonly traces: TraceContext = NO_TRACE,
    private readonly now: () => number = Date.now,
  ) {}

  /** The columns a destination is stored in; credentials sealed with the master key. */
  private async saveable(config: DestinationConfig, field: string) {
    const verdict = await this.destinations.check(config);
    if (!verdict.ok) {
      // Reasons name the destination's fields; given as a bare `url`, they name that.
      const reason =
        field === "url" ? verdict.reason.replace(/^destination(\.url)?/, "url") : verdict.reason;
      throw invalid(reason);
    }
    return {
      url: verdict.address,
      destinationType: config.type,
      // An HTTPS destination is its URL alone, kept in the clear as before.
      destinationEnc: config.type === "https" ? null : this.box.seal(JSON.stringify(config)),
    };
  }

  view(e: StoredEndpoint): EndpointView {
    return { ...publicEndpoint(e), destination: this.destinationView(e) };
  }

  /** One endpoint whose settings cannot be opened (another master key) still lists. */
  private destinationView(e: StoredEndpoint): Record<string, unknown> {
    try {
      return this.destinations.view(openDestination(this.box, e));
    } catch {
      return {
        type: e.destinationType,
        error: "the settings cannot be opened: they were sealed with another HERALD_MASTER_KEY",
      };
    }
  }

  async create(projectId: string, input: EndpointInput, idempotencyKey?: string) {
    checkEventTypes(input.eventTypes);
    const signing = signingSecret(input.signing ?? DEFAULT_SIGNING, input.secret);
    const destination = destinationOf(input);
    if (!destination) throw invalid("url or destination is required");
    const saved = await this.saveable(destination.config, destination.field);
    const now = this.now();
    const enabled = input.enabled ?? true;
    const endpoint: StoredEndpoint = {
      id: newId(),
      projectId,
      ...saved,
      description: input.description ?? "",
      eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : null,
      enabled,
      disabledReason: enabled ? null : "created disabled",
      rateLimit: input.rateLimit ?? null,
      format: input.format ?? DEFAULT_WEBHOOK_FORMAT,
      signing: signing.algorithm,
      publicKey: signing.publicKey,
      failingSince: null,
      secretEnc: this.box.seal(signing.secret),
      previousSecretEnc: null,
      previousSecretExpiresAt: null,
      createdAt: now,
      updatedAt: now,
    };
    const idempotency = idempotencyKey
      ? { key: idempotencyKey, requestHash: hashRequest({ ...input, secret: undefined }) }
      : undefined;
    const result = await this.store.createEndpoint(endpoint, idempotency);
    if (result.kind === "conflict")
      throw conflict("Idempotency-Key was already used with a different request");
    const stored = result.value;
    return {
      endpoint: this.view(stored),
      secret: this.box.open(stored.secretEnc),
      replayed: result.kind === "replayed",
    };
  }

  async getStored(projectId: string, id: string): Promise<StoredEndpoint> {
    const endpoint = await this.store.getEndpoint(projectId, id);
    if (!endpoint) throw notFound("endpoint");
    return endpoint;
  }

  async get(projectId: string, id: string): Promise<EndpointView> {
    return this.view(await this.getStored(projectId, id));
  }

  async list(projectId: string, page: PageRequest): Promise<Page<EndpointView>> {
    const found = await this.store.listEndpoints(projectId, page);
    return { data: found.data.map((e) => this.view(e)), nextCursor: found.nextCursor };
  }

  async update(projectId: string, id: string, input: EndpointUpdate): Promise<EndpointView> {
    const { url, destination: newDestination, ...rest } = input;
    checkEventTypes(rest.eventTypes);
    const patch: EndpointPatch = { ...rest };
    const destination = destinationOf({ url, destination: newDestination });
    if (destination) {
      const before = await this.getStored(projectId, id);
      if (destination.field === "url" && before.destinationType !== "https")
        throw invalid(
          `url: this endpoint delivers to ${before.destinationType}; change destination instead`,
        );
      Object.assign(patch, await this.saveable(destination.config, destination.field));
    }
    const updated = await this.store.updateEndpoint(projectId, id, patch, this.now());
    if (!updated) throw notFound("endpoint");
    if (rest.enabled) this.signals.deliveriesQueued();
    return this.view(updated);
  }

  async delete(projectId: string, id: string): Promise<void> {
    if (!(await this.store.deleteEndpoint(projectId, id))) throw notFound("endpoint");
  }

  async secret(projectId: string, id: string): Promise<EndpointSecret> {
    const endpoint = await this.getStored(projectId, id);
    return { secret: this.box.open(endpoint.secretEnc), publicKey: endpoint.publicKey };
  }

  /**
   * A new secret (or key pair) of the endpoint's algorithm, or of `signing` to change it; the
   * old one keeps signing alongside it for the grace period, so receivers can switch.
   */
  async rotateSecret(
    projectId: string,
    id: string,
    options: { secret?: string; signing?: SigningAlgorithm } = {},
  ): Promise<EndpointSecret> {
    const algorithm = options.signing ?? (await this.getStored(projectId, id)).signing;
    const next = signingSecret(algorithm, options.secret);
    const now = this.now();
    const rotated = await this.store.rotateEndpointSecret(
      projectId,
      id,
      { secretEnc: this.box.seal(next.secret), signing: algorithm, publicKey: next.publicKey },
      now + this.secretGraceMs,
      now,
    );
    if (!rotated) throw notFound("endpoint");
    return { secret: next.secret, publicKey: next.publicKey };
  }

  async deliveries(
    projectId: string,
    id: string,
    filter: DeliveryFilter,
    page: PageRequest,
  ): Promise<Page<Delivery>> {
    await this.getStored(projectId, id);
    return this.store.listEndpointDeliveries(projectId, id, filter, page);
  }

  /** Every failed delivery created since `since` is due again (same event ids). */
  async resendFailed(projectId: string, id: string, since: number): Promise<number> {
    const count = await this.store.resendFailedDeliveries(projectId, id, since, this.now());
    if (count === null) throw notFound("endpoint");
    if (count > 0) this.signals.deliveriesQueued();
    return count;
  }

  /** Attempts, success rate and latency over the last hour or day. */
  async stats(projectId: string, id: string, window: StatsWindow): Promise<EndpointStats> {
    await this.getStored(projectId, id);
    const now = this.now();
    const { from, bucketMs } = statsRange(window, now);
    return summarizeStats(window, now, await this.store.endpointAttemptStats(id, from, bucketMs));
  }

  /** Sends the catalog's example of `eventType` to this endpoint only. */
  async sendTest(projectId: string, id: string, eventType: string) {
    const info = findEventType(eventType);
    if (!info) throw invalid(`eventType: "${eventType}" is not in the event catalog`);
    await this.getStored(projectId, id);
    const now = this.now();
    const eventId = newId();
    const { id: _exampleId, timestamp: _t, ...example } = info.examples[0]!.body;
    const payload = JSON.stringify({ id: eventId, ...example, timestamp: now });
    const result = await this.store.publishEvent({
      id: eventId,
      projectId,
      type: info.name,
      actionId: null,
      payload,
      createdAt: now,
      onlyEndpointId: id,
      traceParent: this.traces.current(),
    });
    if (result.kind === "conflict") throw conflict("test event conflict");
    this.signals.deliveriesQueued();
    return result.value.event;
  }
}

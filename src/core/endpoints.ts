import type { PageRequest, Store } from "../store/store.js";
import { findEventType } from "./catalog.js";
import { conflict, invalid, notFound } from "./errors.js";
import { isValidSubscription } from "./event-filter.js";
import { hashRequest, newId } from "./ids.js";
import type {
  Delivery,
  DeliveryFilter,
  Endpoint,
  EndpointPatch,
  Page,
  StoredEndpoint,
} from "./interfaces.js";
import type { SecretBox } from "./secret-box.js";
import { generateSecret, isValidSecret } from "./signing.js";
import type { Signals } from "./signals.js";

/** Checks that a URL may be called (shape, scheme, SSRF ranges); supplied by the I/O layer. */
export type TargetCheck = (url: string) => Promise<{ ok: true } | { ok: false; reason: string }>;

export interface EndpointInput {
  url: string;
  eventTypes?: string[] | null;
  description?: string;
  enabled?: boolean;
  rateLimit?: number | null;
  secret?: string;
}

export function publicEndpoint(e: StoredEndpoint): Endpoint {
  const { secretEnc: _s, previousSecretEnc: _p, previousSecretExpiresAt: _x, ...visible } = e;
  return visible;
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
    private readonly checkTarget: TargetCheck,
    private readonly signals: Signals,
    private readonly secretGraceMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private async checkUrl(url: string): Promise<void> {
    const verdict = await this.checkTarget(url);
    if (!verdict.ok) throw invalid(`url: ${verdict.reason}`);
  }

  async create(projectId: string, input: EndpointInput, idempotencyKey?: string) {
    checkEventTypes(input.eventTypes);
    if (input.secret !== undefined && !isValidSecret(input.secret)) {
      throw invalid("secret must be whsec_ followed by 24 to 64 base64-encoded bytes");
    }
    await this.checkUrl(input.url);
    const now = this.now();
    const secret = input.secret ?? generateSecret();
    const enabled = input.enabled ?? true;
    const endpoint: StoredEndpoint = {
      id: newId(),
      projectId,
      url: input.url,
      description: input.description ?? "",
      eventTypes: input.eventTypes ? [...new Set(input.eventTypes)] : null,
      enabled,
      disabledReason: enabled ? null : "created disabled",
      rateLimit: input.rateLimit ?? null,
      failingSince: null,
      secretEnc: this.box.seal(secret),
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
      endpoint: publicEndpoint(stored),
      secret: this.box.open(stored.secretEnc),
      replayed: result.kind === "replayed",
    };
  }

  async getStored(projectId: string, id: string): Promise<StoredEndpoint> {
    const endpoint = await this.store.getEndpoint(projectId, id);
    if (!endpoint) throw notFound("endpoint");
    return endpoint;
  }

  async get(projectId: string, id: string): Promise<Endpoint> {
    return publicEndpoint(await this.getStored(projectId, id));
  }

  list(projectId: string, page: PageRequest): Promise<Page<Endpoint>> {
    return this.store.listEndpoints(projectId, page);
  }

  async update(projectId: string, id: string, patch: EndpointPatch): Promise<Endpoint> {
    checkEventTypes(patch.eventTypes);
    if (patch.url !== undefined) await this.checkUrl(patch.url);
    const updated = await this.store.updateEndpoint(projectId, id, patch, this.now());
    if (!updated) throw notFound("endpoint");
    if (patch.enabled) this.signals.deliveriesQueued();
    return publicEndpoint(updated);
  }

  async delete(projectId: string, id: string): Promise<void> {
    if (!(await this.store.deleteEndpoint(projectId, id))) throw notFound("endpoint");
  }

  async secret(projectId: string, id: string): Promise<string> {
    return this.box.open((await this.getStored(projectId, id)).secretEnc);
  }

  /** A new secret; the old one keeps signing alongside it for the grace period. */
  async rotateSecret(projectId: string, id: string, secret?: string): Promise<string> {
    if (secret !== undefined && !isValidSecret(secret)) {
      throw invalid("secret must be whsec_ followed by 24 to 64 base64-encoded bytes");
    }
    const next = secret ?? generateSecret();
    const now = this.now();
    const rotated = await this.store.rotateEndpointSecret(
      projectId,
      id,
      this.box.seal(next),
      now + this.secretGraceMs,
      now,
    );
    if (!rotated) throw notFound("endpoint");
    return next;
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
    });
    if (result.kind === "conflict") throw conflict("test event conflict");
    this.signals.deliveriesQueued();
    return result.value.event;
  }
}

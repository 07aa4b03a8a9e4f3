// The JSON body every destination receives: Crossmint's webhook payload plus `id`.

export interface EnvelopeFields {
  id: string;
  type: string;
  actionId?: string | null;
  startedAt?: number | null;
  completedAt?: number | null;
  data: unknown;
  resource?: string | null;
  timestamp: number;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Keys in the order of Crossmint's examples, absent ones omitted. */
export function buildEnvelope(f: EnvelopeFields): string {
  const body: Record<string, unknown> = { id: f.id, type: f.type };
  if (f.actionId) body.actionId = f.actionId;
  if (f.startedAt != null) body.startedAt = iso(f.startedAt);
  if (f.completedAt != null) body.completedAt = iso(f.completedAt);
  body.data = f.data;
  if (f.resource) body.resource = f.resource;
  body.timestamp = f.timestamp;
  return JSON.stringify(body);
}

// The shapes Herald's API answers with (see src/api/schemas.ts on the server).

export type Iso = string;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export type DestinationType = "https" | "sqs" | "amqp";

/** An endpoint's destination as the API shows it: credentials masked. */
export interface DestinationView {
  type: string;
  [field: string]: unknown;
}

export interface Endpoint {
  id: string;
  url: string;
  destination: DestinationView;
  description: string;
  eventTypes: string[] | null;
  enabled: boolean;
  disabledReason: string | null;
  rateLimit: number | null;
  failingSince: Iso | null;
  createdAt: Iso;
  updatedAt: Iso;
}

export interface EndpointWithSecret extends Endpoint {
  secret: string;
}

export type SqsMessageGroup = "endpoint" | "collection" | "eventType";

export type DestinationInput =
  | { type: "https"; url: string }
  | {
      type: "sqs";
      queueUrl: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
      endpoint?: string;
      messageGroup?: SqsMessageGroup;
    }
  | { type: "amqp"; url: string; exchange: string; routingKey?: string };

export interface CreateEndpointInput {
  url?: string;
  destination?: DestinationInput;
  /** Omitted or null: every event type. */
  eventTypes?: string[] | null;
  description?: string;
  enabled?: boolean;
  rateLimit?: number | null;
}

export type UpdateEndpointInput = Partial<
  Pick<CreateEndpointInput, "url" | "destination" | "eventTypes" | "description" | "enabled">
> & { rateLimit?: number | null };

export type EventFamily = "crossmint" | "chain-observed" | "operational" | string;

export interface EventTypeInfo {
  name: string;
  family: EventFamily;
  description: string;
  examples: Array<{ label: string; body: unknown }>;
}

export type DeliveryStatus = "pending" | "succeeded" | "failed" | "paused";

export interface Delivery {
  id: string;
  eventId: string;
  endpointId: string;
  eventType: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Iso | null;
  lastStatusCode: number | null;
  createdAt: Iso;
  updatedAt: Iso;
  completedAt: Iso | null;
}

export interface Attempt {
  id: number;
  number: number;
  startedAt: Iso;
  durationMs: number;
  statusCode: number | null;
  responseBody: string | null;
  error: string | null;
  outcome: "succeeded" | "failed";
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  type?: string;
  since?: Iso;
}

export type ActionStatus = "pending" | "succeeded" | "failed";

export interface Action {
  actionId: string;
  action: string;
  status: ActionStatus;
  data: unknown;
  startedAt: Iso;
  completedAt?: Iso;
  resource: string;
}

export type StatsWindow = "1h" | "24h";

export interface StatsBucket {
  start: Iso;
  succeeded: number;
  failed: number;
  avgMs: number | null;
  maxMs: number | null;
}

export interface EndpointStats {
  window: StatsWindow;
  bucketSeconds: number;
  buckets: StatsBucket[];
  totals: {
    succeeded: number;
    failed: number;
    /** 0..1, null when nothing was attempted. */
    successRate: number | null;
    avgMs: number | null;
  };
}

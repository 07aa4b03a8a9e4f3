// The console's names for what Herald's API answers and accepts. They are the typed client's
// (packages/client, generated from the server's own schemas by `npm run openapi`), so they
// cannot drift from it; only shapes the server has no name for are derived here.
import type { components, operations } from "../../packages/client/src/index.js";

type Schemas = components["schemas"];

export type Endpoint = Schemas["Endpoint"];
export type EndpointWithSecret = Schemas["EndpointWithSecret"];
export type EndpointPage = Schemas["EndpointPage"];
export type OriginalUserSummary = Schemas["OriginalUserSummary"];
export type OriginalUserPage = Schemas["OriginalUserSummaryPage"];
export type OriginalAssetSummary = Schemas["OriginalAssetSummary"];
export type OriginalAssetPage = Schemas["OriginalAssetSummaryPage"];
export type OriginalRewardSummary = Schemas["OriginalRewardSummary"];
export type OriginalRewardPage = Schemas["OriginalRewardSummaryPage"];
export type RewardOperationSummary = Schemas["RewardOperationSummary"];
/** The server names no type for these two: taken from the operations route. */
type RewardOperationsRoute = operations["listOriginalRewardOperations"];
export type RewardOperationKind = RewardOperationsRoute["parameters"]["query"]["kind"];
export type RewardOperationList =
  RewardOperationsRoute["responses"][200]["content"]["application/json"];
export type Secret = Schemas["Secret"];
export type TestEventSent = Schemas["TestEventSent"];

/** An endpoint's destination as the API shows it: credentials masked. */
export type DestinationView = Endpoint["destination"];
/** A destination as the API takes it, one shape per type. */
export type DestinationInput = Schemas["DestinationInput"];
export type DestinationType = DestinationInput["type"];
export type SqsMessageGroup = NonNullable<
  Extract<DestinationInput, { type: "sqs" }>["messageGroup"]
>;

/** `eventTypes` omitted or null: every event type. */
export type CreateEndpointInput = Schemas["EndpointInput"];
export type UpdateEndpointInput = Schemas["EndpointChange"];

export type ChainStatus = Schemas["ChainStatus"];
export type ChainList = Schemas["ChainList"];
export type EventTypeInfo = Schemas["EventType"];
export type EventTypeList = Schemas["EventTypeList"];

export type DeliveryStatus = Schemas["DeliveryStatus"];
export type Delivery = Schemas["Delivery"];
export type DeliveryPage = Schemas["DeliveryPage"];
export type Attempt = Schemas["Attempt"];
export type AttemptList = Schemas["AttemptList"];
export type Resent = Schemas["Resent"];

/** What the deliveries table filters on: part of the deliveries query. */
export type DeliveryFilter = Pick<
  NonNullable<operations["listEndpointDeliveries"]["parameters"]["query"]>,
  "status" | "type" | "since"
>;

export type ActionStatus = Schemas["ActionStatus"];
export type Action = Schemas["Action"];

export type StatsWindow = Schemas["StatsWindow"];
export type EndpointStats = Schemas["EndpointStats"];
export type StatsBucket = EndpointStats["buckets"][number];

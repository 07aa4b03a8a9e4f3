import { Type } from "@sinclair/typebox";
import { MAX_WAIT_SECONDS } from "../../../core/webhooks/actions.js";
import { Timestamp, named, ref } from "../shared.js";

export const OpenBody = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 100, description: "e.g. nfts.create" }),
    data: Type.Optional(Type.Unknown()),
    resource: Type.Optional(
      Type.String({ maxLength: 2048, description: "URL of the thing acted on" }),
    ),
  },
  { additionalProperties: false },
);

export const CompleteBody = Type.Object(
  {
    status: Type.Union([Type.Literal("succeeded"), Type.Literal("failed")]),
    data: Type.Optional(
      Type.Unknown({ description: "Replaces the action's data; becomes the event's data" }),
    ),
  },
  { additionalProperties: false },
);

export const WaitQuery = Type.Object({
  wait: Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: MAX_WAIT_SECONDS,
      description: "Hold up to this many seconds while pending",
    }),
  ),
});

export const ActionStatus = named(
  "ActionStatus",
  Type.Union([Type.Literal("pending"), Type.Literal("succeeded"), Type.Literal("failed")]),
);

/** Crossmint's action object. */
export const Action = named(
  "Action",
  Type.Object(
    {
      actionId: Type.String(),
      action: Type.String({ description: "e.g. nfts.create" }),
      status: ref(ActionStatus),
      data: Type.Unknown(),
      startedAt: Timestamp,
      completedAt: Type.Optional(Timestamp),
      resource: Type.String(),
    },
    { description: "An asynchronous operation, from submission to completion" },
  ),
);

export const components = [ActionStatus, Action];

import { Type } from "@sinclair/typebox";
import { named, ref } from "../shared.js";

export const EventType = named(
  "EventType",
  Type.Object({
    name: Type.String({ description: "e.g. nfts.create.succeeded" }),
    family: Type.String({ description: "crossmint, chain-observed or operational" }),
    description: Type.String(),
    examples: Type.Array(
      Type.Object({
        label: Type.String(),
        body: Type.Unknown({ description: "The webhook body, as a receiver gets it" }),
      }),
    ),
  }),
);

export const EventTypeList = named(
  "EventTypeList",
  Type.Object({ data: Type.Array(ref(EventType)) }),
);

export const components = [EventType, EventTypeList];

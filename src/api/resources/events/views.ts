import type { Static } from "@sinclair/typebox";
import { iso } from "../../../core/policy/envelope.js";
import type { EventRecord } from "../../../core/interfaces.js";
import type { Event } from "./schemas.js";

export function eventView(e: EventRecord): Static<typeof Event> {
  return {
    id: e.id,
    type: e.type,
    actionId: e.actionId,
    createdAt: iso(e.createdAt),
    payload: JSON.parse(e.payload) as unknown,
  };
}

/** What publishing answers: the event without its payload, and its fan-out. */
export function publishedView(e: EventRecord, deliveries: number) {
  const { payload: _payload, ...view } = eventView(e);
  return { ...view, deliveries };
}

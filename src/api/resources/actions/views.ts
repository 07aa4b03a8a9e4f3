import type { Static } from "@sinclair/typebox";
import { iso } from "../../../core/policy/envelope.js";
import type { Action as ActionRecord } from "../../../core/interfaces.js";
import type { Action } from "./schemas.js";

/** Crossmint's action object: `completedAt` only once succeeded. */
export function actionView(a: ActionRecord): Static<typeof Action> {
  return {
    actionId: a.id,
    action: a.action,
    status: a.status,
    data: a.data,
    startedAt: iso(a.startedAt),
    ...(a.status === "succeeded" && a.completedAt !== null
      ? { completedAt: iso(a.completedAt) }
      : {}),
    resource: a.resource ?? "",
  };
}

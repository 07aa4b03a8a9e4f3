import type {
  Action,
  ActionStatus,
  Idempotency,
  IdempotentResult,
  NewEvent,
  PublishedEvent,
} from "../../core/interfaces.js";
import { sql, type Db } from "./database.js";
import { insertEventWithDeliveries } from "./events.js";
import { withIdempotency } from "./idempotency.js";
import { toAction } from "../rows.js";

export function getAction(db: Db, projectId: string, id: string): Action | null {
  const row = sql(db, "SELECT * FROM actions WHERE id = ? AND project_id = ?").get(
    id,
    projectId,
  ) as Record<string, unknown> | undefined;
  return row ? toAction(row) : null;
}

export function insertAction(db: Db, action: Action): void {
  sql(
    db,
    `INSERT INTO actions (id, project_id, action, status, data, resource, started_at, completed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    action.id,
    action.projectId,
    action.action,
    action.status,
    JSON.stringify(action.data ?? {}),
    action.resource,
    action.startedAt,
    action.completedAt,
  );
}

export function createAction(
  db: Db,
  action: Action,
  idempotency?: Idempotency,
): IdempotentResult<Action> {
  return db.transaction(() =>
    withIdempotency(
      db,
      action.projectId,
      "actions",
      idempotency,
      action.startedAt,
      () => {
        insertAction(db, action);
        return action.id;
      },
      (id) => getAction(db, action.projectId, id),
    ),
  )();
}

type Completion = { action: Action; event: PublishedEvent } | "conflict" | null;

export function completeAction(
  db: Db,
  projectId: string,
  id: string,
  status: Exclude<ActionStatus, "pending">,
  data: unknown | undefined,
  completedAt: number,
  buildEvent: (action: Action) => NewEvent,
): { action: Action; event: PublishedEvent } | "conflict" | null {
  // An event is always built here, so the completion always has one.
  return completeActionWith(db, projectId, id, status, data, completedAt, buildEvent) as Completion;
}

/** Completes the action; its event is what `buildEvent` gives, or none (null). */
export function completeActionWith(
  db: Db,
  projectId: string,
  id: string,
  status: Exclude<ActionStatus, "pending">,
  data: unknown | undefined,
  completedAt: number,
  buildEvent: (action: Action) => NewEvent | null,
): { action: Action; event: PublishedEvent | null } | "conflict" | null {
  return db.transaction(() => {
    const current = getAction(db, projectId, id);
    if (!current) return null;
    if (current.status !== "pending") return "conflict" as const;
    const action: Action = {
      ...current,
      status,
      data: data === undefined ? current.data : data,
      completedAt,
    };
    sql(db, "UPDATE actions SET status = ?, data = ?, completed_at = ? WHERE id = ?").run(
      status,
      JSON.stringify(action.data ?? {}),
      completedAt,
      id,
    );
    const event = buildEvent(action);
    if (!event) return { action, event: null };
    const deliveries = insertEventWithDeliveries(db, event);
    return {
      action,
      event: {
        event: {
          id: event.id,
          projectId,
          type: event.type,
          actionId: event.actionId,
          payload: event.payload,
          createdAt: event.createdAt,
        },
        deliveries,
      },
    };
  })();
}

/** A completed action back to pending (its transaction's block was reorged away). */
export function reopenAction(db: Db, projectId: string, id: string): Action | null {
  sql(
    db,
    "UPDATE actions SET status = 'pending', completed_at = NULL WHERE id = ? AND project_id = ?",
  ).run(id, projectId);
  return getAction(db, projectId, id);
}

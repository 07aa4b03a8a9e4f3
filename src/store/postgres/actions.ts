import type {
  Action,
  ActionStatus,
  Idempotency,
  IdempotentResult,
  NewEvent,
  PublishedEvent,
} from "../../core/interfaces.js";
import { atomically, row, run, type Db } from "./database.js";
import { insertEventWithDeliveries } from "./outbox.js";
import { withIdempotency } from "./idempotency.js";
import { toAction } from "../rows.js";

export async function getAction(db: Db, projectId: string, id: string): Promise<Action | null> {
  const found = await row(db, "SELECT * FROM actions WHERE id = $1 AND project_id = $2", [
    id,
    projectId,
  ]);
  return found ? toAction(found) : null;
}

export async function insertAction(db: Db, action: Action): Promise<void> {
  await run(
    db,
    `INSERT INTO actions (id, project_id, action, status, data, resource, started_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      action.id,
      action.projectId,
      action.action,
      action.status,
      JSON.stringify(action.data ?? {}),
      action.resource,
      action.startedAt,
      action.completedAt,
    ],
  );
}

export function createAction(
  db: Db,
  action: Action,
  idempotency?: Idempotency,
): Promise<IdempotentResult<Action>> {
  return atomically(db, (client) =>
    withIdempotency(
      client,
      action.projectId,
      "actions",
      idempotency,
      action.startedAt,
      async () => {
        await insertAction(client, action);
        return action.id;
      },
      (id) => getAction(client, action.projectId, id),
    ),
  );
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
): Promise<{ action: Action; event: PublishedEvent } | "conflict" | null> {
  // An event is always built here, so the completion always has one.
  return completeActionWith(
    db,
    projectId,
    id,
    status,
    data,
    completedAt,
    buildEvent,
  ) as Promise<Completion>;
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
): Promise<{ action: Action; event: PublishedEvent | null } | "conflict" | null> {
  return atomically(db, async (client) => {
    // Locked: of two concurrent completions, the second sees the first's status.
    const found = await row(
      client,
      "SELECT * FROM actions WHERE id = $1 AND project_id = $2 FOR UPDATE",
      [id, projectId],
    );
    if (!found) return null;
    const current = toAction(found);
    if (current.status !== "pending") return "conflict" as const;
    const action: Action = {
      ...current,
      status,
      data: data === undefined ? current.data : data,
      completedAt,
    };
    await run(
      client,
      "UPDATE actions SET status = $1, data = $2, completed_at = $3 WHERE id = $4",
      [status, JSON.stringify(action.data ?? {}), completedAt, id],
    );
    const event = buildEvent(action);
    if (!event) return { action, event: null };
    const deliveries = await insertEventWithDeliveries(client, event);
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
  });
}

/** A completed action back to pending (its transaction's block was reorged away). */
export async function reopenAction(db: Db, projectId: string, id: string): Promise<Action | null> {
  const reopened = await row(
    db,
    `UPDATE actions SET status = 'pending', completed_at = NULL
     WHERE id = $1 AND project_id = $2
     RETURNING *`,
    [id, projectId],
  );
  return reopened ? toAction(reopened) : null;
}

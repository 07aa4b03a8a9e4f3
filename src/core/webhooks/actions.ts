import type { Store } from "../ports/store.js";
import { buildEnvelope } from "../policy/envelope.js";
import { conflict, invalid, notFound } from "../errors.js";
import { hashRequest, newId } from "../runtime/ids.js";
import type { Action, ActionStatus, NewEvent } from "../interfaces.js";
import type { Signals } from "../runtime/signals.js";
import { NO_TRACE, type TraceContext } from "../ports/trace.js";

const ACTION_NAME = /^[a-zA-Z][a-zA-Z0-9_:-]*(\.[a-zA-Z0-9_:-]+)*$/;
export const MAX_WAIT_SECONDS = 60;

export interface OpenActionInput {
  action: string;
  data?: unknown;
  resource?: string;
}

/** A new action, pending since `now`. */
export function pendingAction(
  projectId: string,
  action: string,
  data: unknown,
  resource: string,
  now: number,
  id: string = newId(),
): Action {
  return {
    id,
    projectId,
    action,
    status: "pending",
    data,
    resource,
    startedAt: now,
    completedAt: null,
  };
}

/** The event an action's completion publishes: `<action>.<status>` in Crossmint's envelope. */
export function completionEvent(action: Action, now: number): NewEvent {
  const id = newId();
  const type = `${action.action}.${action.status}`;
  return {
    id,
    projectId: action.projectId,
    type,
    actionId: action.id,
    createdAt: now,
    payload: buildEnvelope({
      id,
      type,
      actionId: action.id,
      startedAt: action.startedAt,
      // Crossmint reports completedAt only for actions that succeeded.
      completedAt: action.status === "succeeded" ? action.completedAt : null,
      data: action.data,
      resource: action.resource,
      timestamp: now,
    }),
  };
}

export class ActionService {
  constructor(
    private readonly store: Store,
    private readonly signals: Signals,
    private readonly resourceBase: () => string,
    private readonly traces: TraceContext = NO_TRACE,
    private readonly now: () => number = Date.now,
  ) {}

  actionUrl(id: string): string {
    return `${this.resourceBase()}/actions/${id}`;
  }

  async open(projectId: string, input: OpenActionInput, idempotencyKey?: string) {
    if (!ACTION_NAME.test(input.action) || input.action.length > 100) {
      throw invalid("action must be a dotted name such as nfts.create");
    }
    const id = newId();
    const action: Action = {
      id,
      projectId,
      action: input.action,
      status: "pending",
      data: input.data ?? {},
      resource: input.resource ?? this.actionUrl(id),
      startedAt: this.now(),
      completedAt: null,
    };
    const idempotency = idempotencyKey
      ? { key: idempotencyKey, requestHash: hashRequest(input) }
      : undefined;
    const result = await this.store.createAction(action, idempotency);
    if (result.kind === "conflict")
      throw conflict("Idempotency-Key was already used with a different request");
    return { action: result.value, replayed: result.kind === "replayed" };
  }

  async get(projectId: string, id: string): Promise<Action> {
    const action = await this.store.getAction(projectId, id);
    if (!action) throw notFound("action");
    return action;
  }

  async complete(projectId: string, id: string, status: ActionStatus, data?: unknown) {
    if (status === "pending") throw invalid("status must be succeeded or failed");
    const now = this.now();
    const traceParent = this.traces.current();
    const result = await this.store.completeAction(projectId, id, status, data, now, (a) => ({
      ...completionEvent(a, now),
      traceParent,
    }));
    if (result === null) throw notFound("action");
    if (result === "conflict") throw conflict("the action is already completed");
    this.signals.actionChanged(result.action);
    if (result.event.deliveries > 0) this.signals.deliveriesQueued();
    return result;
  }

  /** Holds until the action leaves `pending` or `seconds` pass, without polling the store. */
  async waitFor(
    projectId: string,
    id: string,
    seconds: number,
    signal?: AbortSignal,
  ): Promise<Action> {
    const ms = Math.min(seconds, MAX_WAIT_SECONDS) * 1000;
    const stop = new AbortController();
    signal?.addEventListener("abort", () => stop.abort(), { once: true });
    // Listen before reading, so a completion between the two is not missed.
    const changed = this.signals.waitForAction(id, ms, stop.signal);
    const current = await this.get(projectId, id);
    if (current.status !== "pending" || ms === 0) {
      stop.abort();
      return current;
    }
    const after = await changed;
    return after && after.projectId === projectId ? after : this.get(projectId, id);
  }
}

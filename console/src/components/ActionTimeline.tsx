import { formatDateTime } from "../format";
import type { Action } from "../types";

interface Step {
  name: string;
  detail: string;
  state: "done" | "current" | "failed" | "upcoming";
  time?: string;
}

function stepsOf(action: Action, completedSeenAt: Date | null): Step[] {
  const pending = action.status === "pending";
  const done: Step =
    action.status === "failed"
      ? {
          name: "Failed",
          detail: "The action did not complete.",
          state: "failed",
          time: action.completedAt ?? completedSeenAt?.toISOString(),
        }
      : {
          name: "Succeeded",
          detail: pending ? "Not yet." : "Confirmed.",
          state: pending ? "upcoming" : "done",
          time: action.completedAt ?? completedSeenAt?.toISOString(),
        };
  return [
    {
      name: "Started",
      detail: "Herald accepted the action.",
      state: "done",
      time: action.startedAt,
    },
    {
      name: "Pending",
      detail: pending ? "Waiting for confirmation. This page updates by itself." : "Done waiting.",
      state: pending ? "current" : "done",
    },
    done,
  ];
}

const STATE_WORDS: Record<Step["state"], string> = {
  done: "done",
  current: "in progress",
  failed: "failed",
  upcoming: "not yet",
};

/** started → pending → succeeded or failed, each with its time. */
export function ActionTimeline({
  action,
  completedSeenAt,
}: {
  action: Action;
  completedSeenAt: Date | null;
}) {
  return (
    <ol className="timeline" data-testid="action-timeline" aria-label="Lifecycle">
      {stepsOf(action, completedSeenAt).map((step) => (
        <li
          key={step.name}
          className={`step step-${step.state}`}
          aria-current={step.state === "current" ? "step" : undefined}
          data-step={step.name.toLowerCase()}
          data-state={step.state}
        >
          <span className="step-marker" aria-hidden="true" />
          <span className="step-name">
            {step.name} <span className="visually-hidden">({STATE_WORDS[step.state]})</span>
          </span>
          {step.time && step.state !== "upcoming" && (
            <time dateTime={step.time} className="step-time">
              {formatDateTime(step.time)}
            </time>
          )}
          <span className="hint step-detail">{step.detail}</span>
        </li>
      ))}
    </ol>
  );
}

import { useEffect, useId, useRef } from "react";
import { FAMILY_LABELS, prettyJson } from "../format";
import { useEventTypes } from "../hooks/useEventTypes";
import type { EventTypeInfo } from "../types";
import { InlineError } from "./InlineError";

interface EventTypePickerProps {
  /** null: every event type (also those added later); otherwise the chosen names. */
  value: string[] | null;
  onChange: (value: string[] | null) => void;
  error?: string | null;
}

function groupByFamily(types: EventTypeInfo[]): Array<[string, EventTypeInfo[]]> {
  const groups = new Map<string, EventTypeInfo[]>();
  for (const type of types) {
    const group = groups.get(type.family) ?? [];
    group.push(type);
    groups.set(type.family, group);
  }
  return [...groups];
}

/** "All event types", or a checkbox list of the catalog grouped by family. */
export function EventTypePicker({ value, onChange, error }: EventTypePickerProps) {
  const id = useId();
  const { eventTypes, error: catalogError } = useEventTypes();
  const chosen = value ?? [];
  const errorId = `${id}-error`;

  const toggle = (name: string, on: boolean) => {
    const next = on ? [...chosen, name] : chosen.filter((n) => n !== name);
    onChange(next);
  };
  // Chosen names the catalog does not list (custom types, `prefix.*` patterns) stay visible.
  const known = new Set(eventTypes?.map((t) => t.name));
  const others = chosen.filter((name) => eventTypes && !known.has(name));

  return (
    <fieldset className="event-type-picker" aria-describedby={error ? errorId : undefined}>
      <legend>Event types</legend>
      <div className="radio-row">
        <span>
          <input
            type="radio"
            id={`${id}-all`}
            name={`${id}-mode`}
            checked={value === null}
            onChange={() => onChange(null)}
            aria-describedby={`${id}-all-help`}
          />
          <label htmlFor={`${id}-all`}>All event types</label>
        </span>
        <span>
          <input
            type="radio"
            id={`${id}-chosen`}
            name={`${id}-mode`}
            checked={value !== null}
            onChange={() => onChange(chosen)}
          />
          <label htmlFor={`${id}-chosen`}>Choose event types</label>
        </span>
      </div>
      <p className="hint" id={`${id}-all-help`}>
        {value === null
          ? "The endpoint receives every event, including types added later."
          : `${chosen.length} chosen. The endpoint receives only these.`}
      </p>
      <InlineError id={errorId} message={error} />
      {value !== null && (
        <div className="catalog" data-testid="event-type-catalog">
          {catalogError && (
            <InlineError message={`The event catalog could not be loaded: ${catalogError}`} />
          )}
          {!eventTypes && !catalogError && <p className="hint">Loading the event catalog…</p>}
          {eventTypes &&
            groupByFamily(eventTypes).map(([family, types]) => (
              <FamilyGroup
                key={family}
                family={family}
                types={types}
                chosen={chosen}
                onToggle={toggle}
                onSetAll={(on) => {
                  const names = types.map((t) => t.name);
                  const rest = chosen.filter((n) => !names.includes(n));
                  onChange(on ? [...rest, ...names] : rest);
                }}
              />
            ))}
          {others.length > 0 && (
            <fieldset className="family">
              <legend>Other types and patterns</legend>
              <ul className="type-list">
                {others.map((name) => (
                  <li key={name}>
                    <span className="check">
                      <input
                        type="checkbox"
                        id={`${id}-other-${name}`}
                        checked
                        onChange={(e) => toggle(name, e.target.checked)}
                      />
                      <label htmlFor={`${id}-other-${name}`}>
                        <code>{name}</code>
                      </label>
                    </span>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
        </div>
      )}
    </fieldset>
  );
}

interface FamilyGroupProps {
  family: string;
  types: EventTypeInfo[];
  chosen: string[];
  onToggle: (name: string, on: boolean) => void;
  onSetAll: (on: boolean) => void;
}

function FamilyGroup({ family, types, chosen, onToggle, onSetAll }: FamilyGroupProps) {
  const id = useId();
  const count = types.filter((t) => chosen.includes(t.name)).length;
  const allRef = useRef<HTMLInputElement>(null);
  // "Some chosen" is the checkbox's mixed state, which only exists as a DOM property.
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = count > 0 && count < types.length;
  }, [count, types.length]);
  const label = FAMILY_LABELS[family] ?? family;
  return (
    <fieldset className="family">
      <legend>{label}</legend>
      <span className="check family-all">
        <input
          ref={allRef}
          type="checkbox"
          id={`${id}-all`}
          checked={count === types.length}
          onChange={(e) => onSetAll(e.target.checked)}
        />
        <label htmlFor={`${id}-all`}>Select all {label}</label>
      </span>
      <ul className="type-list">
        {types.map((type) => {
          const inputId = `${id}-${type.name}`;
          return (
            <li key={type.name}>
              <span className="check">
                <input
                  type="checkbox"
                  id={inputId}
                  value={type.name}
                  checked={chosen.includes(type.name)}
                  onChange={(e) => onToggle(type.name, e.target.checked)}
                  aria-describedby={`${inputId}-description`}
                />
                <label htmlFor={inputId}>
                  <code>{type.name}</code>
                </label>
              </span>
              <p className="hint" id={`${inputId}-description`}>
                {type.description}
              </p>
              {type.examples.length > 0 && (
                <details className="example">
                  <summary>
                    Example payload<span className="visually-hidden"> of {type.name}</span>
                  </summary>
                  {type.examples.map((example) => (
                    <div key={example.label}>
                      {type.examples.length > 1 && <h4>{example.label}</h4>}
                      <pre tabIndex={0}>{prettyJson(example.body)}</pre>
                    </div>
                  ))}
                </details>
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

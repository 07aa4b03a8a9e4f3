import type { TSchema } from "@sinclair/typebox";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";

export const BODY_LIMIT = 1024 * 1024;
/** Deeper bodies are refused: nothing real nests this far, and JSON.stringify would overflow. */
export const MAX_BODY_DEPTH = 100;

/** Whether `value` nests objects or arrays more than `limit` levels deep (iterative, no recursion). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item))
      stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Bodies are validated strictly (a string is not a boolean, unknown fields are refused where
 * the schema says so); query strings and path parameters are coerced, as they are text. Both
 * know the named schemas that request schemas refer to.
 */
export function validators(named: readonly TSchema[]) {
  const strict = new Ajv({
    allErrors: false,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    // A destination's schema is picked by its `type`, so errors name that type's fields.
    discriminator: true,
  });
  const coercing = new Ajv({
    allErrors: false,
    coerceTypes: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
  });
  for (const ajv of [strict, coercing]) {
    addFormats.default(ajv);
    for (const schema of named) ajv.addSchema(schema);
  }
  return { strict, coercing };
}

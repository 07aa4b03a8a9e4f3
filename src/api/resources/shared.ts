import { Type, type Static, type TSchema, type TUnsafe } from "@sinclair/typebox";
import { invalid } from "../../core/errors.js";
import { iso } from "../../core/policy/envelope.js";

// What every resource uses: timestamps, named schemas, errors and pages. Fastify validates
// requests against the schemas, serialises responses through them, and /openapi.json (checked
// in as docs/openapi.json) is generated from them.

export const Timestamp = Type.String({ format: "date-time" });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** A path or query id, as long as any id Herald gives out and then some. */
export const Id = Type.String({ minLength: 1, maxLength: 100 });
export const IdParams = Type.Object({ id: Id });

/** `schema` under a name: registered once (server.ts), used through `ref`. */
export const named = <T extends TSchema>($id: string, schema: T): T => ({ ...schema, $id });

/** A `$ref` to a named schema, typed as that schema: it shows as a component in the document. */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (!schema.$id) throw new Error("ref() needs a named schema");
  return Type.Unsafe<Static<T>>({ $ref: schema.$id });
}

/** A response schema with the words the document shows for that status. */
export const answer = <T extends TSchema>(schema: T, description: string): T => ({
  ...schema,
  description,
});

/** A 204: no body at all (`reply.send()` without a payload). */
export const noContent = (description: string) =>
  answer(Type.Unsafe<undefined>(Type.Null()), description);

export const ErrorResponse = named(
  "Error",
  Type.Object(
    {
      error: Type.Literal(true),
      message: Type.String({ description: "Fit to show as is" }),
      validationErrors: Type.Optional(
        Type.Array(
          Type.Object({
            index: Type.Integer({ description: "The item of the batch" }),
            id: Type.Optional(Type.String({ description: "The item's id, if it has one" })),
            message: Type.String(),
          }),
          { description: "A batch's invalid items, all of them (Crossmint's BatchError)" },
        ),
      ),
    },
    { description: "Every failure" },
  ),
);

export const errorAnswer = (description: string) => answer(ref(ErrorResponse), description);

/** The failures any authenticated route can answer (the document lists them on each). */
export const errorResponses = {
  400: errorAnswer("The request is invalid; the message names the field"),
  401: errorAnswer("No API key, or not a valid one"),
  404: errorAnswer("No such resource in this project"),
  409: errorAnswer("The resource is not in a state that allows this"),
  413: errorAnswer("The body is larger than 1 MB"),
};

const DEFAULT_LIMIT = 50;
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: DEFAULT_LIMIT })),
  cursor: Type.Optional(
    Type.String({ format: "uuid", description: "nextCursor from the previous page" }),
  ),
};
/** The page a query asks for (its `limit` is defaulted by the validator already). */
export const page = (query: { limit?: number; cursor?: string }) => ({
  limit: query.limit ?? DEFAULT_LIMIT,
  cursor: query.cursor,
});

/** One page of a list, named `<Item>Page`; `nextCursor` is null on the last page. */
export const pageOf = <T extends TSchema>(item: T) =>
  named(
    `${item.$id}Page`,
    Type.Object({
      data: Type.Array(ref(item)),
      nextCursor: Nullable(Type.String({ description: "Pass as ?cursor= for the next page" })),
    }),
  );

export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/**
 * A date-time from a request as epoch ms. The schema's `date-time` format admits forms Date
 * cannot read (a leap second, 23:59:60), which would otherwise reach the store as NaN.
 */
export function parseTime(text: string, field: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalid(`${field} must be a date-time such as 2026-12-01T10:00:00Z`);
  return ms;
}

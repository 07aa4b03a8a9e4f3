import type { Resealing } from "../core/runtime/master-key.js";

// Every place a value sealed with the master key is kept, for both stores: a master key
// rotation re-seals them all, and start-up on a database without a check value tests the key
// on one of each. A new sealed column is added here, or a rotation leaves it unreadable:
// test/master-key.test.ts fails for a column named `*_enc` or `sealed_*` missing here.

export interface SealedPlace {
  table: string;
  /** The text columns that identify a row (its primary key). */
  key: string[];
  /** The sealed columns; a row's may be null. */
  columns: string[];
  /** Only rows matching this condition hold sealed values. */
  where?: string;
}

export const SEALED_PLACES: SealedPlace[] = [
  {
    table: "endpoints",
    key: ["id"],
    columns: ["secret_enc", "previous_secret_enc", "destination_enc"],
  },
  { table: "chain_accounts", key: ["chain"], columns: ["private_key_enc"] },
  { table: "original_keys", key: ["id"], columns: ["secret_enc"] },
  { table: "idempotency_keys", key: ["project_id", "scope", "key"], columns: ["sealed_response"] },
  { table: "settings", key: ["name"], columns: ["value"], where: "sealed" },
];

/** The condition selecting a place's rows that hold at least one sealed value. */
export function holdsSealed(place: SealedPlace): string {
  const any = `(${place.columns.map((c) => `${c} IS NOT NULL`).join(" OR ")})`;
  return place.where ? `${place.where} AND ${any}` : any;
}

/** How many sealed values the place holds, as one SQL expression over its rows. */
export function countSealed(place: SealedPlace): string {
  return place.columns.map((c) => `count(${c})`).join(" + ");
}

/** Rows are re-sealed in pages of this many, in key order. */
export const RESEAL_PAGE = 500;

/**
 * The next page of a place's rows holding sealed values: its key columns, then its sealed
 * columns. With `after`, the rows after the key given as the first parameters; the limit is
 * the last parameter. `param(n)` is the dialect's n-th placeholder (from 1).
 */
export function selectPage(place: SealedPlace, after: boolean, param: (n: number) => string) {
  const keys = place.key.join(", ");
  const next = after
    ? ` AND (${keys}) > (${place.key.map((_, i) => param(i + 1)).join(", ")})`
    : "";
  const limit = param(after ? place.key.length + 1 : 1);
  return `SELECT ${keys}, ${place.columns.join(", ")} FROM ${place.table}
          WHERE ${holdsSealed(place)}${next} ORDER BY ${keys} LIMIT ${limit}`;
}

/** One sealed value of each column of the place (its last row's), as `value`. */
export function selectSamples(place: SealedPlace): string[] {
  const order = place.key.map((k) => `${k} DESC`).join(", ");
  return place.columns.map(
    (c) =>
      `SELECT ${c} AS value FROM ${place.table}
       WHERE ${place.where ? `${place.where} AND ` : ""}${c} IS NOT NULL ORDER BY ${order} LIMIT 1`,
  );
}

/** A row's key and its sealed values re-sealed (a null stays null); how many there were. */
export interface ResealedRow {
  key: string[];
  values: Array<string | null>;
  count: number;
}

export function resealRow(
  place: SealedPlace,
  row: Record<string, unknown>,
  resealing: Resealing,
): ResealedRow {
  const key = place.key.map((k) => String(row[k]));
  let count = 0;
  const values = place.columns.map((c) => {
    const sealed = row[c];
    if (sealed === null || sealed === undefined) return null;
    count++;
    return resealing.reseal(String(sealed), `${place.table}.${c} of ${key.join("/")}`);
  });
  return { key, values, count };
}

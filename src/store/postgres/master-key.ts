import type { Resealing, Setting } from "../../core/runtime/master-key.js";
import {
  countSealed,
  holdsSealed,
  RESEAL_PAGE,
  resealRow,
  SEALED_PLACES,
  selectPage,
  selectSamples,
  type ResealedRow,
  type SealedPlace,
} from "../sealed-places.js";
import { row, rows, withTransaction, type Client, type Pool } from "./database.js";

// Herald's settings (the master key's check value, sealed secrets of its own) and every
// sealed value at once, for a master key rotation.

export async function getSetting(pool: Pool, name: string): Promise<string | null> {
  const found = await row(pool, "SELECT value FROM settings WHERE name = $1", [name]);
  return found ? (found.value as string) : null;
}

/** Processes starting together on an empty database all get the value of the first insert. */
export async function ensureSetting(pool: Pool, setting: Setting, at: number): Promise<string> {
  // Two statements: under READ COMMITTED the SELECT sees a row another transaction committed
  // while the INSERT waited for it, which one statement's snapshot would not.
  await pool.query(
    `INSERT INTO settings (name, value, sealed, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO NOTHING`,
    [setting.name, setting.value, setting.sealed, at],
  );
  return (await getSetting(pool, setting.name))!;
}

export async function sampleSealedValues(pool: Pool): Promise<string[]> {
  const values: string[] = [];
  for (const place of SEALED_PLACES) {
    for (const text of selectSamples(place)) {
      const found = await row(pool, text);
      if (found) values.push(found.value as string);
    }
  }
  return values;
}

/** One page's new values, written in one statement. */
async function updatePage(client: Client, place: SealedPlace, page: ResealedRow[]) {
  const names = [...place.key, ...place.columns];
  const arrays = names.map((_, i) =>
    page.map((r) => (i < place.key.length ? r.key[i] : r.values[i - place.key.length])),
  );
  await client.query(
    `UPDATE ${place.table} t SET ${place.columns.map((c) => `${c} = u.${c}`).join(", ")}
     FROM unnest(${names.map((_, i) => `$${i + 1}::text[]`).join(", ")}) AS u (${names.join(", ")})
     WHERE ${place.key.map((k) => `t.${k} = u.${k}`).join(" AND ")}`,
    arrays,
  );
}

export async function resealSecrets(pool: Pool, resealing: Resealing): Promise<number> {
  return withTransaction(pool, async (client) => {
    // Nothing sealed may be written meanwhile (and missed): writers wait for the commit.
    const tables = SEALED_PLACES.map((p) => p.table).join(", ");
    await client.query(`LOCK TABLE ${tables} IN EXCLUSIVE MODE`);
    let total = 0;
    for (const place of SEALED_PLACES) {
      const text = `SELECT ${countSealed(place)} AS n FROM ${place.table} WHERE ${holdsSealed(place)}`;
      total += Number((await row(client, text))!.n);
    }
    let done = 0;
    resealing.progress?.(done, total);
    for (const place of SEALED_PLACES) {
      let last: string[] | null = null;
      for (;;) {
        const text = selectPage(place, last !== null, (n) => `$${n}`);
        const page = await rows(client, text, [...(last ?? []), RESEAL_PAGE]);
        if (page.length === 0) break;
        const resealed = page.map((r) => resealRow(place, r, resealing));
        await updatePage(client, place, resealed);
        done += resealed.reduce((sum, r) => sum + r.count, 0);
        resealing.progress?.(done, total);
        last = resealed[resealed.length - 1]!.key;
      }
    }
    for (const { name, value } of resealing.settings) {
      await client.query(
        `INSERT INTO settings (name, value, sealed, created_at) VALUES ($1, $2, false, $3)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, sealed = false`,
        [name, value, resealing.at],
      );
    }
    return done;
  });
}

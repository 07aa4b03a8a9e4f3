import type { Resealing, Setting } from "../../core/runtime/master-key.js";
import {
  countSealed,
  holdsSealed,
  RESEAL_PAGE,
  resealRow,
  SEALED_PLACES,
  selectPage,
  selectSamples,
  type SealedPlace,
} from "../sealed-places.js";
import { sql, type Db } from "./database.js";

// Herald's settings (the master key's check value, sealed secrets of its own) and every
// sealed value at once, for a master key rotation.

export function getSetting(db: Db, name: string): string | null {
  const row = sql(db, "SELECT value FROM settings WHERE name = ?").get(name) as
    { value: string } | undefined;
  return row?.value ?? null;
}

export function ensureSetting(db: Db, setting: Setting, at: number): string {
  sql(
    db,
    `INSERT INTO settings (name, value, sealed, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO NOTHING`,
  ).run(setting.name, setting.value, setting.sealed ? 1 : 0, at);
  return getSetting(db, setting.name)!;
}

export function sampleSealedValues(db: Db): string[] {
  return SEALED_PLACES.flatMap((place) =>
    selectSamples(place).flatMap((text) => {
      const row = sql(db, text).get() as { value: string } | undefined;
      return row ? [row.value] : [];
    }),
  );
}

function* pages(db: Db, place: SealedPlace): Generator<Array<Record<string, unknown>>> {
  let last: string[] | null = null;
  for (;;) {
    const text = selectPage(place, last !== null, () => "?");
    const page = sql(db, text).all(...(last ?? []), RESEAL_PAGE) as Array<Record<string, unknown>>;
    if (page.length === 0) return;
    yield page;
    const end = page[page.length - 1]!;
    last = place.key.map((k) => String(end[k]));
  }
}

export function resealSecrets(db: Db, resealing: Resealing): number {
  return db.transaction(() => {
    const total = SEALED_PLACES.reduce((sum, place) => {
      const text = `SELECT ${countSealed(place)} AS n FROM ${place.table} WHERE ${holdsSealed(place)}`;
      return sum + (sql(db, text).get() as { n: number }).n;
    }, 0);
    let done = 0;
    resealing.progress?.(done, total);
    for (const place of SEALED_PLACES) {
      const update = sql(
        db,
        `UPDATE ${place.table} SET ${place.columns.map((c) => `${c} = ?`).join(", ")}
         WHERE ${place.key.map((k) => `${k} = ?`).join(" AND ")}`,
      );
      for (const page of pages(db, place)) {
        for (const row of page) {
          const { key, values, count } = resealRow(place, row, resealing);
          update.run(...values, ...key);
          done += count;
        }
        resealing.progress?.(done, total);
      }
    }
    for (const { name, value } of resealing.settings) {
      sql(
        db,
        `INSERT INTO settings (name, value, sealed, created_at) VALUES (?, ?, 0, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, sealed = 0`,
      ).run(name, value, resealing.at);
    }
    return done;
  })();
}

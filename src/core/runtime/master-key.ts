// The master key and the store: a check value recorded in the store tells a process started
// with another key to refuse (rather than fail every delivery it cannot sign), the custodial
// wallets' seed is kept sealed so a new master key keeps every address, and a rotation
// re-seals everything under a new key in one transaction.
import { createHmac, hkdfSync } from "node:crypto";
import type { SecretBox } from "./secret-box.js";

export const CHECK_SETTING = "master_key_check";
export const CUSTODIAL_SEED_SETTING = "custodial_seed";

export interface Setting {
  name: string;
  value: string;
  /** The value is sealed with the master key (a rotation re-seals it). */
  sealed: boolean;
}

/** A rotation, as the store carries it out in one transaction. */
export interface Resealing {
  /** The value sealed under the new key; `place` names where it is kept (for an error). */
  reseal(sealed: string, place: string): string;
  /** Plain settings written, replacing what they held, in the same transaction. */
  settings: Array<{ name: string; value: string }>;
  at: number;
  /** Hears how many sealed values are done, of how many. */
  progress?: (done: number, total: number) => void;
}

export interface MasterKeyStore {
  /** Herald's own setting, or null when it was never written. */
  getSetting(name: string): Promise<string | null>;
  /** Writes the setting unless it exists; returns the stored value (concurrent writers all
   * get the first one). */
  ensureSetting(setting: Setting, at: number): Promise<string>;
  /** One sealed value from each place that holds any (endpoints' secrets, signers' keys, …). */
  sampleSealedValues(): Promise<string[]>;
  /** Every sealed value re-sealed and the settings written, all or nothing; how many values. */
  resealSecrets(resealing: Resealing): Promise<number>;
}

/**
 * The check value of a key: an HMAC of a fixed label under it. It tells keys apart and reveals
 * nothing of the key (the key is 256 random bits; any sealed secret allows the same test).
 */
export function masterKeyCheck(key: Buffer): string {
  return "v1." + createHmac("sha256", key).update("herald master key check").digest("base64url");
}

function opens(box: SecretBox, sealed: string): boolean {
  try {
    box.open(sealed);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the store's secrets are sealed with `box`'s key. The first process records the check
 * value; a database from before the check is first tested by opening what it holds sealed.
 */
export async function checkMasterKey(
  store: MasterKeyStore,
  box: SecretBox,
  now: number,
): Promise<"matches" | "recorded" | "mismatch"> {
  const mine = masterKeyCheck(box.masterKey);
  const recorded = await store.getSetting(CHECK_SETTING);
  if (recorded !== null) return recorded === mine ? "matches" : "mismatch";
  const sealed = await store.sampleSealedValues();
  if (!sealed.every((value) => opens(box, value))) return "mismatch";
  const agreed = await store.ensureSetting(
    { name: CHECK_SETTING, value: mine, sealed: false },
    now,
  );
  return agreed === mine ? "recorded" : "mismatch";
}

/**
 * The secret custodial wallets are derived from. It is first written as it was always derived
 * (HKDF of the master key in use), so existing addresses stay; it is kept sealed, so rotating
 * the master key keeps it, and every custodial address with it.
 */
export async function custodialSeed(
  store: MasterKeyStore,
  box: SecretBox,
  now: number,
): Promise<Uint8Array> {
  let sealed = await store.getSetting(CUSTODIAL_SEED_SETTING);
  if (sealed === null) {
    const derived = Buffer.from(
      hkdfSync("sha256", box.masterKey, "herald", "custodial-wallets", 32),
    );
    const setting = { name: CUSTODIAL_SEED_SETTING, value: box.seal(derived.toString("base64")) };
    sealed = await store.ensureSetting({ ...setting, sealed: true }, now);
  }
  return new Uint8Array(Buffer.from(box.open(sealed), "base64"));
}

/**
 * Re-seals every secret under `to`'s key and records its check value, in one transaction.
 * `from` must be the store's key (see checkMasterKey): a value it cannot open stops the
 * rotation and nothing changes.
 */
export async function rotateMasterKey(
  store: MasterKeyStore,
  from: SecretBox,
  to: SecretBox,
  now: number,
  progress?: (done: number, total: number) => void,
): Promise<number> {
  await custodialSeed(store, from, now); // written under `from` first, so it carries over
  return store.resealSecrets({
    reseal(sealed, place) {
      let plain: string;
      try {
        plain = from.open(sealed);
      } catch {
        throw new Error(`${place} cannot be opened with the current master key`);
      }
      return to.seal(plain);
    },
    settings: [{ name: CHECK_SETTING, value: masterKeyCheck(to.masterKey) }],
    at: now,
    progress,
  });
}

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { generateSecret, isValidSecret } from "../core/policy/signing.js";
import { idTime, LOOKBACK_MS } from "../core/webhooks/event-feed.js";

// What `herald listen` keeps between runs, in one small JSON file: its signing secret (so the
// local receiver keeps verifying across restarts), the newest event id it forwarded (where the
// stream resumes) and the ids it forwarded just before it: a resumed stream repeats the events
// of the 10 s before its cursor (core/webhooks/event-feed.ts), and these are the ones skipped.

export interface ListenStateFile {
  secret: string;
  /** The newest event id forwarded; null: none yet. */
  lastEventId: string | null;
  /** Ids forwarded within LOOKBACK_MS of lastEventId's time. */
  recent: string[];
}

/** Default: `$XDG_STATE_HOME/herald/` (else `~/.local/state/herald/`), one file per API and key. */
export function defaultStatePath(apiBase: string, apiKey: string): string {
  const base = process.env.XDG_STATE_HOME || join(homedir(), ".local", "state");
  const tag = createHash("sha256").update(`${apiBase}\n${apiKey}`).digest("hex").slice(0, 16);
  return join(base, "herald", `listen-${tag}.json`);
}

export class ListenState {
  private readonly recent = new Set<string>();
  lastEventId: string | null;
  readonly secret: string;

  private constructor(
    readonly path: string,
    saved: ListenStateFile | null,
    secret: string | undefined,
  ) {
    this.secret = secret ?? saved?.secret ?? generateSecret();
    this.lastEventId = saved?.lastEventId ?? null;
    for (const id of saved?.recent ?? []) this.recent.add(id);
  }

  /** Reads `path` (a missing file is a fresh start); `secret` replaces the saved one. */
  static load(path: string, secret?: string): ListenState {
    let saved: ListenStateFile | null = null;
    try {
      saved = JSON.parse(readFileSync(path, "utf8")) as ListenStateFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new Error(`cannot read the state file ${path}: ${(error as Error).message}`);
      }
    }
    if (saved && (typeof saved.secret !== "string" || !isValidSecret(saved.secret))) {
      throw new Error(`the state file ${path} holds no valid whsec_ secret`);
    }
    const state = new ListenState(path, saved, secret);
    state.save();
    return state;
  }

  /** Forget where it was: a replay (--since) forwards again what it forwarded before. */
  restart(): void {
    this.lastEventId = null;
    this.recent.clear();
    this.save();
  }

  wasForwarded(id: string): boolean {
    return this.recent.has(id);
  }

  /** Records a forwarded event, durably, before the next one is forwarded. */
  forwarded(id: string): void {
    this.recent.add(id);
    if (this.lastEventId === null || id > this.lastEventId) this.lastEventId = id;
    const horizon = idTime(this.lastEventId) - LOOKBACK_MS;
    for (const seen of this.recent) if (idTime(seen) < horizon) this.recent.delete(seen);
    this.save();
  }

  private save(): void {
    const file: ListenStateFile = {
      secret: this.secret,
      lastEventId: this.lastEventId,
      recent: [...this.recent],
    };
    mkdirSync(dirname(this.path), { recursive: true });
    // Written whole, then renamed over the old one: a kill never leaves half a file.
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
    renameSync(temporary, this.path);
  }
}

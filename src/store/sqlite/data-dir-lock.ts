import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * One Herald process per embedded data directory. The lock is an exclusive SQLite transaction
 * on a lock file: the operating system drops it when the process dies, even by SIGKILL, so a
 * crash never leaves a stale lock behind. That is what makes releasing all leases at start-up safe.
 */
export class DataDirLock {
  private constructor(private readonly db: Database.Database) {}

  static acquire(dataDir: string): DataDirLock {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, "herald.lock"), { timeout: 0 });
    try {
      db.pragma("locking_mode = EXCLUSIVE");
      db.exec("BEGIN EXCLUSIVE");
    } catch {
      db.close();
      throw new Error(`${dataDir} is in use by another Herald process`);
    }
    return new DataDirLock(db);
  }

  release(): void {
    if (this.db.open) this.db.close();
  }
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import type { Store } from "../../src/core/ports/store.js";
import { storeContract } from "./store-contract.js";

const dirs = new Map<Store, string>();

storeContract(
  "SQLite store",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "herald-store-"));
    const store = new SqliteStore(join(dir, "herald.db"));
    dirs.set(store, dir);
    return store;
  },
  async (store) => {
    await store.close();
    rmSync(dirs.get(store)!, { recursive: true, force: true });
    dirs.delete(store);
  },
);

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The newest modification time (ms) of any file under `dir`: builds compare it to their output. */
export function newest(dir) {
  return readdirSync(dir).reduce((latest, name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }, 0);
}

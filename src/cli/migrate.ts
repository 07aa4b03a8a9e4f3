import { openStore } from "../app.js";
import { ConfigError } from "../config.js";
import { configOrExit, fail } from "./context.js";

export async function runMigrate(flags: Record<string, string | undefined>): Promise<void> {
  const config = configOrExit(flags);
  try {
    const store = openStore(config);
    const { applied } = await store.migrate();
    await store.close();
    process.stdout.write(
      applied.length ? `applied migrations ${applied.join(", ")}\n` : "the schema is up to date\n",
    );
  } catch (error) {
    fail(
      error instanceof ConfigError
        ? `invalid configuration: ${error.message}`
        : (error as Error).message,
    );
  }
}

import { ConfigError } from "../config.js";
import { startHerald } from "../app.js";
import { createLogger } from "../logger.js";
import { configOrExit, fail } from "./context.js";

export async function runStart(flags: Record<string, string | undefined>): Promise<void> {
  const config = configOrExit(flags);
  const log = createLogger(config.logLevel);
  let herald;
  try {
    herald = await startHerald(config, log);
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    fail((error as Error).message);
  }
  log.info(
    { url: herald.url, console: `${herald.url}/console/`, store: herald.services.store.kind },
    "Herald is listening",
  );
  if (herald.generatedApiKey) {
    // Printed once, never logged: it is the only copy outside the hash in the store.
    process.stdout.write(
      `\nCreated project "default". Its API key (shown only this once):\n\n  ${herald.generatedApiKey}\n\n`,
    );
  }
  if (herald.generatedOriginal) {
    const { apiKey, apiSecret } = herald.generatedOriginal;
    process.stdout.write(
      `Its Original API key and secret (for /original/v1; the secret shown only this once):\n\n` +
        `  ${apiKey}\n  ${apiSecret}\n\n`,
    );
  }
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1);
    log.info({ signal }, "stopping: no new requests, finishing deliveries in flight");
    herald
      .stop()
      .then(() => {
        log.info("stopped");
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, "error while stopping");
        process.exit(1);
      });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

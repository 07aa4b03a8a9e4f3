import { ConfigError, loadConfig, type Config } from "../config.js";

/** Loads the configuration or stops with one line naming the bad setting. */
export function configOrExit(flags: Record<string, string | undefined>): Config {
  try {
    return loadConfig(process.env, flags);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`herald: invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export function fail(message: string): never {
  process.stderr.write(`herald: ${message}\n`);
  process.exit(1);
}

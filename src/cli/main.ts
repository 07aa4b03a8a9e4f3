#!/usr/bin/env node
import { Command } from "commander";
import { SETTINGS } from "../config.js";
import { runBackup } from "./backup.js";
import { LISTEN_DEFAULT_API, runListen } from "./listen.js";
import { runMigrate } from "./migrate.js";
import { registerProjectCommands } from "./projects.js";
import { runRotateMasterKey } from "./rotate-master-key.js";
import { runStart } from "./start.js";

const program = new Command()
  .name("herald")
  .description("Tracks blockchain actions and delivers signed webhooks, at least once")
  .showHelpAfterError();

function withSettings(command: Command, only?: string[]): Command {
  for (const s of SETTINGS) {
    if (only && !only.includes(s.env)) continue;
    const fallback = s.default === null || s.default === "" ? "" : ` (default: ${s.default})`;
    command.option(`${s.flag} <value>`, `${s.description} [${s.env}]${fallback}`);
  }
  return command;
}

withSettings(program.command("start").description("run the API and the dispatcher"))
  .option("--no-migrate", "do not apply pending migrations; refuse to start while any are pending")
  .action(runStart);
withSettings(program.command("migrate").description("apply pending database migrations and exit"), [
  "HERALD_DATA_DIR",
  "HERALD_DATABASE_URL",
  "HERALD_DATABASE_SCHEMA",
  "HERALD_LOG_LEVEL",
  "HERALD_SQLITE_SYNCHRONOUS",
]).action(runMigrate);
withSettings(
  program
    .command("rotate-master-key")
    .description(
      "re-seal every secret under a new master key, in one transaction (stop every Herald first)",
    )
    .option(
      "--new-key <key>",
      "the new key, 32 bytes as base64 or hex (default: generate one and print it once)",
    ),
  [
    "HERALD_DATA_DIR",
    "HERALD_DATABASE_URL",
    "HERALD_DATABASE_SCHEMA",
    "HERALD_MASTER_KEY",
    "HERALD_SQLITE_SYNCHRONOUS",
  ],
).action(runRotateMasterKey);
withSettings(
  program
    .command("backup <file>")
    .description("copy the SQLite store to <file>, consistently, while Herald runs")
    .option("--force", "replace <file> if it exists"),
  ["HERALD_DATA_DIR", "HERALD_DATABASE_URL", "HERALD_DATABASE_SCHEMA"],
).action(runBackup);
program
  .command("listen")
  .description(
    "forward a running Herald's events of one project to a local URL, signed (docs/listen.md)",
  )
  .requiredOption("--forward-to <url>", "the local URL that receives a POST per event")
  .option("--events <types>", "event types or patterns (nfts.*), comma-separated (default: all)")
  .option("--api <url>", `the Herald to read from (default: ${LISTEN_DEFAULT_API})`)
  .option("--api-key <key>", "the project's API key [HERALD_API_KEY]")
  .option("--since <time>", "replay the events from this ISO time (default: from now, or resume)")
  .option(
    "--state <file>",
    "where the secret and the resume point are kept (default: docs/listen.md)",
  )
  .option(
    "--secret <whsec_…>",
    "sign with this secret (default: one generated once, kept in the state file)",
  )
  .action(runListen);
registerProjectCommands(program, (c) =>
  withSettings(c, [
    "HERALD_DATA_DIR",
    "HERALD_DATABASE_URL",
    "HERALD_DATABASE_SCHEMA",
    "HERALD_MASTER_KEY",
    "HERALD_SQLITE_SYNCHRONOUS",
  ]),
);

await program.parseAsync(process.argv);
